// Reductions: sum, max and argmax over one dimension (any strides) or over everything.
// Deterministic: a fixed tree per output, no atomics. max and argmax follow the CPU backend:
// the first NaN wins, else the largest value, the first one on ties.
#include "common.cuh"

struct ReduceParams {
  i64 out;
  i64 in;
  int len;      // elements per output
  int rstride;  // stride of the reduced dimension in the input
  int count;    // number of outputs
  Shape outer;  // the outputs' shape (row-major); the input's strides over it in vin
  View vin;
};

#define FULL_MASK 0xffffffffu

template <typename T>
struct Acc {
  T v;
  int i;  // position along the reduced dimension; -1 for the empty accumulator
};

template <typename T>
__device__ __forceinline__ bool is_nan(T v) {
  return v != v;
}

template <typename T>
struct SumOp {
  __device__ __forceinline__ static Acc<T> identity() {
    Acc<T> a;
    a.v = (T)0;
    a.i = -1;
    return a;
  }
  __device__ __forceinline__ static Acc<T> combine(Acc<T> a, Acc<T> b) {
    a.v = a.v + b.v;
    return a;
  }
};

template <typename T>
struct MaxOp {
  __device__ __forceinline__ static Acc<T> identity() {
    Acc<T> a;
    a.v = (T)0;
    a.i = -1;
    return a;
  }
  // Order-independent, so that any tree gives the sequential answer.
  __device__ __forceinline__ static Acc<T> combine(Acc<T> a, Acc<T> b) {
    if (a.i < 0) return b;
    if (b.i < 0) return a;
    bool an = is_nan(a.v);
    bool bn = is_nan(b.v);
    if (an || bn) {
      if (an && bn) return a.i < b.i ? a : b;
      return an ? a : b;
    }
    if (a.v > b.v) return a;
    if (b.v > a.v) return b;
    return a.i < b.i ? a : b;
  }
};

template <typename T>
__device__ __forceinline__ Acc<T> shfl_down(Acc<T> a, int delta) {
  Acc<T> r;
  r.v = __shfl_down_sync(FULL_MASK, a.v, delta);
  r.i = __shfl_down_sync(FULL_MASK, a.i, delta);
  return r;
}

template <typename T, typename Op>
__device__ __forceinline__ Acc<T> warp_reduce(Acc<T> a) {
#pragma unroll
  for (int d = 16; d > 0; d >>= 1) a = Op::combine(a, shfl_down(a, d));
  return a;
}

template <typename T>
__device__ __forceinline__ Acc<T> element(T v, int i) {
  Acc<T> a;
  a.v = v;
  a.i = i;
  return a;
}

// What an output holds: the value (sum, max) or the position (argmax).
struct WriteValue {
  template <typename T, typename O>
  __device__ __forceinline__ static O get(Acc<T> a) { return (O)a.v; }
};
struct WriteIndex {
  template <typename T, typename O>
  __device__ __forceinline__ static O get(Acc<T> a) { return (O)a.i; }
};

// blockDim = (G, 256 / G): G threads (one or more whole warps) per output.
template <typename T, typename O, typename Op, typename W>
__device__ __forceinline__ void rows_body(const ReduceParams& p) {
  __shared__ Acc<T> partial[8][8];  // [warp of the row][row of the block], G <= 256
  const T* in = (const T*)p.in;
  O* out = (O*)p.out;
  int g = blockDim.x;
  int warp = threadIdx.x >> 5;
  int lane = threadIdx.x & 31;
  for (int o0 = blockIdx.x * blockDim.y; o0 < p.count; o0 += gridDim.x * blockDim.y) {
    int o = o0 + threadIdx.y;
    Acc<T> acc = Op::identity();
    if (o < p.count) {
      int base = view_offset(p.outer, p.vin, o);
      for (int j = threadIdx.x; j < p.len; j += g) {
        acc = Op::combine(acc, element(in[base + j * p.rstride], j));
      }
    }
    acc = warp_reduce<T, Op>(acc);
    if (g > 32) {
      if (lane == 0) partial[warp][threadIdx.y] = acc;
      __syncthreads();
      if (threadIdx.x == 0) {
        for (int w = 1; w < (g >> 5); w++) acc = Op::combine(acc, partial[w][threadIdx.y]);
      }
      __syncthreads();
    }
    if (threadIdx.x == 0 && o < p.count) out[o] = W::template get<T, O>(acc);
  }
}

// blockDim = (32, 8): 32 neighbouring outputs per block, the reduced dimension split in 8.
template <typename T, typename O, typename Op, typename W>
__device__ __forceinline__ void cols_body(const ReduceParams& p) {
  __shared__ Acc<T> partial[8][33];
  const T* in = (const T*)p.in;
  O* out = (O*)p.out;
  for (int o0 = blockIdx.x * 32; o0 < p.count; o0 += gridDim.x * 32) {
    int o = o0 + threadIdx.x;
    Acc<T> acc = Op::identity();
    if (o < p.count) {
      int base = view_offset(p.outer, p.vin, o);
      for (int j = threadIdx.y; j < p.len; j += 8) {
        acc = Op::combine(acc, element(in[base + j * p.rstride], j));
      }
    }
    partial[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0) {
      for (int y = 1; y < 8; y++) acc = Op::combine(acc, partial[y][threadIdx.x]);
      if (o < p.count) out[o] = W::template get<T, O>(acc);
    }
    __syncthreads();
  }
}

// One partial result per block over a contiguous array of len elements (from vin.offset);
// run again over the partials with one block for the total.
template <typename T, typename Op>
__device__ __forceinline__ void all_body(const ReduceParams& p) {
  __shared__ Acc<T> partial[32];
  const T* in = (const T*)p.in + p.vin.offset;
  T* out = (T*)p.out;
  Acc<T> acc = Op::identity();
  FOR_EACH(j, p.len) acc = Op::combine(acc, element(in[j], j));
  acc = warp_reduce<T, Op>(acc);
  int warp = threadIdx.x >> 5;
  int lane = threadIdx.x & 31;
  if (lane == 0) partial[warp] = acc;
  __syncthreads();
  if (threadIdx.x == 0) {
    for (int w = 1; w < (int)(blockDim.x >> 5); w++) acc = Op::combine(acc, partial[w]);
    out[blockIdx.x] = acc.v;  // every block has at least one element (the host sizes the grid)
  }
}

#define REDUCE(T, ts)                                                                         \
  KERNEL(reduce_rows_sum_##ts, ReduceParams) { rows_body<T, T, SumOp<T>, WriteValue>(p); }    \
  KERNEL(reduce_rows_max_##ts, ReduceParams) { rows_body<T, T, MaxOp<T>, WriteValue>(p); }    \
  KERNEL(reduce_rows_argmax_##ts, ReduceParams) { rows_body<T, i64, MaxOp<T>, WriteIndex>(p); } \
  KERNEL(reduce_cols_sum_##ts, ReduceParams) { cols_body<T, T, SumOp<T>, WriteValue>(p); }    \
  KERNEL(reduce_cols_max_##ts, ReduceParams) { cols_body<T, T, MaxOp<T>, WriteValue>(p); }    \
  KERNEL(reduce_cols_argmax_##ts, ReduceParams) { cols_body<T, i64, MaxOp<T>, WriteIndex>(p); } \
  KERNEL(reduce_all_sum_##ts, ReduceParams) { all_body<T, SumOp<T> >(p); }                    \
  KERNEL(reduce_all_max_##ts, ReduceParams) { all_body<T, MaxOp<T> >(p); }

REDUCE(float, f32)
REDUCE(double, f64)
REDUCE(i64, i64)
