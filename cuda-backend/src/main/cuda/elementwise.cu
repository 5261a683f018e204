// Element-wise kernels: unary, binary (broadcast by stride 0), where, and the strided copy with
// dtype conversion that every non-contiguous view goes through. Semantics follow the CPU
// backend (dev.adjoint.backend.cpu.Ops) operation by operation.
#include "common.cuh"

struct EwParams {
  i64 out;
  i64 a;
  i64 b;
  i64 c;
  double p;  // the scalar parameter of unary ops (pow's exponent, clamp's bound)
  Shape shape;
  View va;
  View vb;
  View vc;
};

struct CopyParams {
  i64 dst;
  i64 src;
  Shape shape;
  View vs;
  View vd;
};

// ---------------------------------------------------------------- unary operations

template <typename T>
struct Un {
  // Floating types: the operation in T.
  __device__ __forceinline__ static T neg(T x, double) { return -x; }
  __device__ __forceinline__ static T abs_(T x, double) { return x < 0 ? -x : (x == 0 ? (T)0 : x); }
  __device__ __forceinline__ static T relu(T x, double) { return x > 0 ? x : (T)0; }
  __device__ __forceinline__ static T clamp_min(T x, double p) { return x < (T)p ? (T)p : x; }
  __device__ __forceinline__ static T clamp_max(T x, double p) { return x > (T)p ? (T)p : x; }
  __device__ __forceinline__ static T sign(T x, double) { return x > 0 ? (T)1 : x < 0 ? (T)-1 : x; }
  __device__ __forceinline__ static T step(T x, double) { return x > 0 ? (T)1 : (T)0; }
};

__device__ __forceinline__ float f_exp(float x) { return expf(x); }
__device__ __forceinline__ double f_exp(double x) { return exp(x); }
__device__ __forceinline__ float f_log(float x) { return logf(x); }
__device__ __forceinline__ double f_log(double x) { return log(x); }
__device__ __forceinline__ float f_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double f_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float f_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double f_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float f_sin(float x) { return sinf(x); }
__device__ __forceinline__ double f_sin(double x) { return sin(x); }
__device__ __forceinline__ float f_cos(float x) { return cosf(x); }
__device__ __forceinline__ double f_cos(double x) { return cos(x); }
__device__ __forceinline__ float f_log1p(float x) { return log1pf(x); }
__device__ __forceinline__ double f_log1p(double x) { return log1p(x); }
__device__ __forceinline__ float f_erf(float x) { return erff(x); }
__device__ __forceinline__ double f_erf(double x) { return erf(x); }
__device__ __forceinline__ float f_pow(float x, float y) { return powf(x, y); }
__device__ __forceinline__ double f_pow(double x, double y) { return pow(x, y); }

#define UNARY_OPS(X)                                                    \
  X(neg, Un<T>::neg(x, p))                                              \
  X(exp, f_exp(x))                                                      \
  X(log, f_log(x))                                                      \
  X(sqrt, f_sqrt(x))                                                    \
  X(abs, Un<T>::abs_(x, p))                                             \
  X(tanh, f_tanh(x))                                                    \
  X(sigmoid, (T)1 / ((T)1 + f_exp(-x)))                                 \
  X(relu, Un<T>::relu(x, p))                                            \
  X(sin, f_sin(x))                                                      \
  X(cos, f_cos(x))                                                      \
  X(pow, f_pow(x, (T)p))                                                \
  X(clamp_min, Un<T>::clamp_min(x, p))                                  \
  X(clamp_max, Un<T>::clamp_max(x, p))                                  \
  X(sign, Un<T>::sign(x, p))                                            \
  X(step, Un<T>::step(x, p))                                            \
  X(log1p, f_log1p(x))                                                  \
  X(erf, f_erf(x))

// One functor per operation: op(x, p) in the element type T.
#define DEFINE_UNARY(name, expr)                                             \
  struct U_##name {                                                          \
    template <typename T>                                                    \
    __device__ __forceinline__ static T apply(T x, double p) { return expr; } \
  };
UNARY_OPS(DEFINE_UNARY)

// INT64 unary operations, as the CPU backend computes them: in double, then back to long.
template <typename Op>
struct OnLong {
  __device__ __forceinline__ static i64 apply(i64 x, double p) {
    return to_i64(Op::template apply<double>((double)x, p));
  }
};

template <typename T, typename F>
__device__ __forceinline__ void unary_body(const EwParams& p) {
  T* out = (T*)p.out;
  const T* a = (const T*)p.a;
  int n = p.shape.n;
  if (p.shape.rank <= 1 && p.va.stride[0] == 1) {
    const T* x = a + p.va.offset;
    FOR_EACH(i, n) out[i] = F::apply(x[i], p.p);
  } else {
    FOR_EACH(i, n) out[i] = F::apply(a[view_offset(p.shape, p.va, i)], p.p);
  }
}

template <typename Op>
struct Float32 {
  __device__ __forceinline__ static float apply(float x, double p) { return Op::template apply<float>(x, p); }
};
template <typename Op>
struct Float64 {
  __device__ __forceinline__ static double apply(double x, double p) { return Op::template apply<double>(x, p); }
};

#define UNARY_KERNELS(name, expr)                                                        \
  KERNEL(unary_##name##_f32, EwParams) { unary_body<float, Float32<U_##name> >(p); }    \
  KERNEL(unary_##name##_f64, EwParams) { unary_body<double, Float64<U_##name> >(p); }   \
  KERNEL(unary_##name##_i64, EwParams) { unary_body<i64, OnLong<U_##name> >(p); }
UNARY_OPS(UNARY_KERNELS)

// ---------------------------------------------------------------- binary operations

struct B_add { template <typename T> __device__ __forceinline__ static T apply(T a, T b) { return a + b; } };
struct B_sub { template <typename T> __device__ __forceinline__ static T apply(T a, T b) { return a - b; } };
struct B_mul { template <typename T> __device__ __forceinline__ static T apply(T a, T b) { return a * b; } };
struct B_div { template <typename T> __device__ __forceinline__ static T apply(T a, T b) { return a / b; } };
struct B_pow { template <typename T> __device__ __forceinline__ static T apply(T a, T b) { return f_pow(a, b); } };
// NaN in either operand propagates; ties keep the first (as Ops.apply).
struct B_max { template <typename T> __device__ __forceinline__ static T apply(T a, T b) { return (a >= b || a != a) ? a : b; } };
struct B_min { template <typename T> __device__ __forceinline__ static T apply(T a, T b) { return (a <= b || a != a) ? a : b; } };
struct B_gt { template <typename T> __device__ __forceinline__ static i64 apply(T a, T b) { return a > b ? 1 : 0; } };
struct B_lt { template <typename T> __device__ __forceinline__ static i64 apply(T a, T b) { return a < b ? 1 : 0; } };
struct B_eq { template <typename T> __device__ __forceinline__ static i64 apply(T a, T b) { return a == b ? 1 : 0; } };

// The value of a scalar operand passed in EwParams.p as raw bits (b is then null).
template <typename T>
__device__ __forceinline__ T scalar_bits(double p);
template <>
__device__ __forceinline__ float scalar_bits<float>(double p) {
  return __uint_as_float((unsigned)(__double_as_longlong(p) & 0xffffffffULL));
}
template <>
__device__ __forceinline__ double scalar_bits<double>(double p) {
  return p;
}
template <>
__device__ __forceinline__ i64 scalar_bits<i64>(double p) {
  return (i64)__double_as_longlong(p);
}

template <typename T, typename O, typename F>
__device__ __forceinline__ void binary_body(const EwParams& p) {
  O* out = (O*)p.out;
  const T* a = (const T*)p.a;
  const T* b = (const T*)p.b;
  int n = p.shape.n;
  if (b == 0) {
    T y = scalar_bits<T>(p.p);
    if (p.shape.rank <= 1 && p.va.stride[0] == 1) {
      const T* x = a + p.va.offset;
      FOR_EACH(i, n) out[i] = F::template apply<T>(x[i], y);
    } else {
      FOR_EACH(i, n) out[i] = F::template apply<T>(a[view_offset(p.shape, p.va, i)], y);
    }
    return;
  }
  if (p.shape.rank <= 1) {
    const T* x = a + p.va.offset;
    const T* y = b + p.vb.offset;
    int sa = p.va.stride[0];
    int sb = p.vb.stride[0];
    if (sa == 1 && sb == 1) {
      FOR_EACH(i, n) out[i] = F::template apply<T>(x[i], y[i]);
    } else {
      FOR_EACH(i, n) out[i] = F::template apply<T>(x[i * sa], y[i * sb]);
    }
  } else {
    FOR_EACH(i, n) {
      int oa, ob;
      view_offsets2(p.shape, p.va, p.vb, i, oa, ob);
      out[i] = F::template apply<T>(a[oa], b[ob]);
    }
  }
}

#define BINARY_ARITH(name)                                                                  \
  KERNEL(binary_##name##_f32, EwParams) { binary_body<float, float, B_##name>(p); }         \
  KERNEL(binary_##name##_f64, EwParams) { binary_body<double, double, B_##name>(p); }
#define BINARY_EXACT(name) \
  KERNEL(binary_##name##_i64, EwParams) { binary_body<i64, i64, B_##name>(p); }
#define BINARY_COMPARE(name)                                                                \
  KERNEL(binary_##name##_f32, EwParams) { binary_body<float, i64, B_##name>(p); }           \
  KERNEL(binary_##name##_f64, EwParams) { binary_body<double, i64, B_##name>(p); }          \
  KERNEL(binary_##name##_i64, EwParams) { binary_body<i64, i64, B_##name>(p); }

BINARY_ARITH(add)
BINARY_ARITH(sub)
BINARY_ARITH(mul)
BINARY_ARITH(div)
BINARY_ARITH(pow)
BINARY_ARITH(max)
BINARY_ARITH(min)
BINARY_EXACT(add)
BINARY_EXACT(sub)
BINARY_EXACT(mul)
BINARY_EXACT(max)
BINARY_EXACT(min)
BINARY_COMPARE(gt)
BINARY_COMPARE(lt)
BINARY_COMPARE(eq)

// ---------------------------------------------------------------- where

template <typename T, typename C>
__device__ __forceinline__ void where_body(const EwParams& p) {
  T* out = (T*)p.out;
  const T* a = (const T*)p.a;
  const T* b = (const T*)p.b;
  const C* c = (const C*)p.c;
  FOR_EACH(i, p.shape.n) {
    int oa, ob, oc;
    view_offsets3(p.shape, p.va, p.vb, p.vc, i, oa, ob, oc);
    out[i] = c[oc] != 0 ? a[oa] : b[ob];
  }
}

#define WHERE(T, ts, C, cs) \
  KERNEL(where_##ts##_##cs, EwParams) { where_body<T, C>(p); }
WHERE(float, f32, float, f32)
WHERE(float, f32, double, f64)
WHERE(float, f32, i64, i64)
WHERE(double, f64, float, f32)
WHERE(double, f64, double, f64)
WHERE(double, f64, i64, i64)
WHERE(i64, i64, float, f32)
WHERE(i64, i64, double, f64)
WHERE(i64, i64, i64, i64)

// ---------------------------------------------------------------- strided copy and conversion

template <typename D, typename S>
__device__ __forceinline__ void copy_body(const CopyParams& p) {
  D* dst = (D*)p.dst;
  const S* src = (const S*)p.src;
  int n = p.shape.n;
  if (p.shape.rank <= 1 && p.vs.stride[0] == 1 && p.vd.stride[0] == 1) {
    const S* x = src + p.vs.offset;
    D* y = dst + p.vd.offset;
    FOR_EACH(i, n) y[i] = convert<D, S>(x[i]);
  } else {
    FOR_EACH(i, n) {
      int os, od;
      view_offsets2(p.shape, p.vs, p.vd, i, os, od);
      dst[od] = convert<D, S>(src[os]);
    }
  }
}

#define COPY(D, ds, S, ss) \
  KERNEL(copy_##ss##_##ds, CopyParams) { copy_body<D, S>(p); }
COPY(float, f32, float, f32)
COPY(float, f32, double, f64)
COPY(float, f32, i64, i64)
COPY(double, f64, float, f32)
COPY(double, f64, double, f64)
COPY(double, f64, i64, i64)
COPY(i64, i64, float, f32)
COPY(i64, i64, double, f64)
COPY(i64, i64, i64, i64)
