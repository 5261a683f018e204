// Host C++ stand-ins for the CUDA built-ins Adjoint's kernels use, so that the same .cu
// sources run on the CPU: every thread of a block is a fiber (ucontext), __syncthreads and
// warp shuffles are barriers among fibers, blocks run one after another. Slow, exact,
// deterministic: it checks indexing, bounds, barriers and reductions, not speed. What it
// cannot check (memory model, the real mma.sync fragment layout) is listed in docs/cuda.md.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__
#define __shared__ static
#define __launch_bounds__(...)

struct dim3 {
  unsigned x, y, z;
};
struct float4 {
  float x, y, z, w;
};

namespace emu {
struct Fiber;
extern Fiber* current;
extern dim3 block_idx;
extern dim3 block_dim;
extern dim3 grid_dim;
const dim3& thread_idx();
int lane();
void sync_block();
void sync_warp();
// Exchanges 8-byte slots among the lanes of the calling warp: returns lane src's value.
uint64_t exchange(uint64_t mine, int src);

using Entry = std::function<void(const void*)>;
struct Registrar {
  Registrar(const char* name, size_t param_bytes, Entry entry);
};
}  // namespace emu

#define threadIdx (emu::thread_idx())
#define blockIdx (emu::block_idx)
#define blockDim (emu::block_dim)
#define gridDim (emu::grid_dim)

inline void __syncthreads() { emu::sync_block(); }
inline void __syncwarp() { emu::sync_warp(); }

template <typename T>
inline T emu_shfl(T v, int src) {
  static_assert(sizeof(T) <= 8, "shuffle of at most 8 bytes");
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(T));
  uint64_t r = emu::exchange(bits, src);
  T out;
  std::memcpy(&out, &r, sizeof(T));
  return out;
}
template <typename T>
inline T __shfl_down_sync(unsigned, T v, int delta) {
  int src = emu::lane() + delta;
  return emu_shfl(v, src < 32 ? src : emu::lane());
}
template <typename T>
inline T __shfl_xor_sync(unsigned, T v, int mask) {
  return emu_shfl(v, emu::lane() ^ mask);
}

// One fiber runs at a time, so atomics are plain read-modify-writes.
inline unsigned long long atomicCAS(unsigned long long* a, unsigned long long cmp,
                                    unsigned long long v) {
  unsigned long long old = *a;
  if (old == cmp) *a = v;
  return old;
}

inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned __float_as_uint(float f) {
  unsigned u;
  std::memcpy(&u, &f, 4);
  return u;
}
inline float __uint_as_float(unsigned u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

inline long long __double_as_longlong(double d) {
  long long v;
  std::memcpy(&v, &d, 8);
  return v;
}

// cvt.rna.tf32.f32: round to 10 mantissa bits, ties away from zero (finite values).
inline float emu_to_tf32(float x) {
  unsigned u = __float_as_uint(x);
  if ((u & 0x7f800000u) != 0x7f800000u) u = (u + 0x1000u) & 0xffffe000u;
  return __uint_as_float(u);
}

// mma.sync.m16n8k8.row.col.f32.tf32.tf32.f32, collectively over the warp, with the fragment
// layout of the PTX ISA: groupID = lane / 4, t = lane % 4; a0 (g, t), a1 (g + 8, t),
// a2 (g, t + 4), a3 (g + 8, t + 4); b0 (k = t, n = g), b1 (t + 4, g); c0 (g, 2t), c1 (g, 2t+1),
// c2 (g + 8, 2t), c3 (g + 8, 2t + 1).
void emu_mma_m16n8k8_tf32(float* d, const float* a, const float* b);

#define KERNEL(name, P)                                                                  \
  static void name##_body(const P p);                                                    \
  static emu::Registrar name##_registrar(#name, sizeof(P), [](const void* bytes) {       \
    P p;                                                                                 \
    std::memcpy(&p, bytes, sizeof(P));                                                   \
    name##_body(p);                                                                      \
  });                                                                                    \
  static void name##_body(const P p)
#define KERNEL_BOUNDS(name, P, threads, blocks) KERNEL(name, P)
