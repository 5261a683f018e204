// Shared definitions of Adjoint's CUDA kernels.
//
// Every kernel takes one struct by value: the Java side packs exactly these bytes
// (dev.adjoint.cuda.Params), so a launch costs one JNI argument, and the layouts below are the
// contract between the two sides (checked against the PTX by CudaKernelsTest). Fields are
// ordered by size where that avoids padding; arrays are fixed at MAXD dimensions.
//
// The same sources compile as host C++ (ADJOINT_EMULATE) for the CPU emulator under
// src/test/emulator, which runs every thread of a block as a fiber.
#pragma once

#ifdef ADJOINT_EMULATE
#include "emu.h"
#else
#define KERNEL(name, P) extern "C" __global__ void name(const P p)
#define KERNEL_BOUNDS(name, P, threads, blocks) \
  extern "C" __global__ void __launch_bounds__(threads, blocks) name(const P p)
#endif

#define MAXD 8

typedef long long i64;

// The common shape of an element-wise operation (after coalescing, rank <= MAXD).
struct Shape {
  int rank;
  int n;
  int size[MAXD];
};

// One strided operand over that shape: element offset and stride per dimension.
struct View {
  int offset;
  int stride[MAXD];
};

// Storage offset of element i (row-major over shape) in view v. Unrolled over MAXD so that the
// parameter arrays are read with constant indices (no local-memory copy of the struct).
__device__ __forceinline__ int view_offset(const Shape& s, const View& v, int i) {
  if (s.rank <= 1) return v.offset + i * v.stride[0];
  int off = v.offset;
#pragma unroll
  for (int d = MAXD - 1; d >= 0; d--) {
    if (d < s.rank) {
      int q = i / s.size[d];
      off += (i - q * s.size[d]) * v.stride[d];
      i = q;
    }
  }
  return off;
}

// Offsets of element i in two views over one shape, decomposing the index once.
__device__ __forceinline__ void view_offsets2(const Shape& s, const View& a, const View& b, int i,
                                              int& oa, int& ob) {
  if (s.rank <= 1) {
    oa = a.offset + i * a.stride[0];
    ob = b.offset + i * b.stride[0];
    return;
  }
  oa = a.offset;
  ob = b.offset;
#pragma unroll
  for (int d = MAXD - 1; d >= 0; d--) {
    if (d < s.rank) {
      int q = i / s.size[d];
      int r = i - q * s.size[d];
      oa += r * a.stride[d];
      ob += r * b.stride[d];
      i = q;
    }
  }
}

__device__ __forceinline__ void view_offsets3(const Shape& s, const View& a, const View& b,
                                              const View& c, int i, int& oa, int& ob, int& oc) {
  if (s.rank <= 1) {
    oa = a.offset + i * a.stride[0];
    ob = b.offset + i * b.stride[0];
    oc = c.offset + i * c.stride[0];
    return;
  }
  oa = a.offset;
  ob = b.offset;
  oc = c.offset;
#pragma unroll
  for (int d = MAXD - 1; d >= 0; d--) {
    if (d < s.rank) {
      int q = i / s.size[d];
      int r = i - q * s.size[d];
      oa += r * a.stride[d];
      ob += r * b.stride[d];
      oc += r * c.stride[d];
      i = q;
    }
  }
}

// Grid-stride loop over [0, n).
#define FOR_EACH(i, n) \
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// Java's conversions to long: truncation, saturation, NaN to 0 (the same as PTX's cvt.rzi).
__device__ __forceinline__ i64 to_i64(double v) {
  if (v != v) return 0;
  if (v >= 9.2233720368547758e18) return 0x7fffffffffffffffLL;
  if (v <= -9.2233720368547758e18) return (i64)0x8000000000000000ULL;
  return (i64)v;
}

template <typename To, typename From>
struct Convert {
  __device__ __forceinline__ static To apply(From v) { return (To)v; }
};
template <>
struct Convert<i64, float> {
  __device__ __forceinline__ static i64 apply(float v) { return to_i64((double)v); }
};
template <>
struct Convert<i64, double> {
  __device__ __forceinline__ static i64 apply(double v) { return to_i64(v); }
};

template <typename To, typename From>
__device__ __forceinline__ To convert(From v) {
  return Convert<To, From>::apply(v);
}

// The first out-of-range index found by a checking kernel: word 0 holds the launch's tag (0 is
// none), word 1 the index. Read by the host at the next synchronization.
__device__ __forceinline__ void report_bad_index(i64* err, int tag, i64 index) {
  if (atomicCAS((unsigned long long*)err, 0ULL, (unsigned long long)tag) == 0ULL) {
    err[1] = index;
  }
}
