// Fused optimizer steps (Backend.update): one pass that reads a parameter, its gradient and its
// state and writes their new values, in the CPU backend's order of operations
// (dev.adjoint.backend.cpu.UpdateLoops); hyperparameters arrive as doubles and are rounded to
// the element type here, as the CPU rounds them. A null state pointer is the first step.
#include "common.cuh"

struct UpdateParams {
  i64 p;
  i64 g;
  i64 s[3];    // state in
  i64 outP;
  i64 out[3];  // state out
  double h[10];
  int n;
  int flags;
};

#define F_MAXIMIZE 1
#define F_DECAY 2
#define F_MOMENTUM 4
#define F_NESTEROV 8
#define F_DECOUPLED 16
#define F_AMSGRAD 32
#define F_CENTERED 64

__device__ __forceinline__ float f_sqrt_(float x) { return sqrtf(x); }
__device__ __forceinline__ double f_sqrt_(double x) { return sqrt(x); }

// h = {lr, momentum, 1 - dampening, weightDecay}; state: the momentum buffer
template <typename T>
__device__ __forceinline__ void sgd_body(const UpdateParams& p) {
  const T* P = (const T*)p.p;
  const T* G = (const T*)p.g;
  const T* buf = (const T*)p.s[0];
  T* outP = (T*)p.outP;
  T* outBuf = (T*)p.out[0];
  T lr = (T)p.h[0], mom = (T)p.h[1], keep = (T)p.h[2], wd = (T)p.h[3];
  FOR_EACH(i, p.n) {
    T d = (p.flags & F_MAXIMIZE) ? -G[i] : G[i];
    if (p.flags & F_DECAY) d = d + P[i] * wd;
    if (p.flags & F_MOMENTUM) {
      T b = buf == 0 ? d : buf[i] * mom + d * keep;
      outBuf[i] = b;
      d = (p.flags & F_NESTEROV) ? d + b * mom : b;
    }
    outP[i] = P[i] - d * lr;
  }
}

// h = {beta1, 1 - beta1, beta2, 1 - beta2, stepSize, sqrt(bias correction 2), eps,
//      weightDecay, 1 - lr * weightDecay}; state: m, v, vmax
template <typename T>
__device__ __forceinline__ void adam_body(const UpdateParams& p) {
  const T* P = (const T*)p.p;
  const T* G = (const T*)p.g;
  const T* m = (const T*)p.s[0];
  const T* v = (const T*)p.s[1];
  const T* vmax = (const T*)p.s[2];
  T* outP = (T*)p.outP;
  T* outM = (T*)p.out[0];
  T* outV = (T*)p.out[1];
  T* outVmax = (T*)p.out[2];
  T b1 = (T)p.h[0], c1 = (T)p.h[1], b2 = (T)p.h[2], c2 = (T)p.h[3], stepSize = (T)p.h[4];
  T bc2 = (T)p.h[5], eps = (T)p.h[6], wd = (T)p.h[7], shrink = (T)p.h[8];
  FOR_EACH(i, p.n) {
    T d = (p.flags & F_MAXIMIZE) ? -G[i] : G[i];
    T pi = P[i];
    if (p.flags & F_DECOUPLED) pi = pi * shrink;
    if (p.flags & F_DECAY) d = d + pi * wd;
    T mi = d * c1;
    if (m != 0) mi = m[i] * b1 + mi;
    T vi = d * c2 * d;
    if (v != 0) vi = v[i] * b2 + vi;
    outM[i] = mi;
    outV[i] = vi;
    if (p.flags & F_AMSGRAD) {
      vi = vmax == 0 ? vi : (vmax[i] >= vi || vmax[i] != vmax[i] ? vmax[i] : vi);
      outVmax[i] = vi;
    }
    T denom = f_sqrt_(vi) / bc2 + eps;
    outP[i] = pi - mi * stepSize / denom;
  }
}

// h = {alpha, 1 - alpha, eps, weightDecay, momentum, lr}; state: sq, buf, ga
template <typename T>
__device__ __forceinline__ void rmsprop_body(const UpdateParams& p) {
  const T* P = (const T*)p.p;
  const T* G = (const T*)p.g;
  const T* sq = (const T*)p.s[0];
  const T* buf = (const T*)p.s[1];
  const T* ga = (const T*)p.s[2];
  T* outP = (T*)p.outP;
  T* outSq = (T*)p.out[0];
  T* outBuf = (T*)p.out[1];
  T* outGa = (T*)p.out[2];
  T a = (T)p.h[0], ca = (T)p.h[1], eps = (T)p.h[2], wd = (T)p.h[3], mom = (T)p.h[4];
  T lr = (T)p.h[5];
  FOR_EACH(i, p.n) {
    T d = (p.flags & F_MAXIMIZE) ? -G[i] : G[i];
    if (p.flags & F_DECAY) d = d + P[i] * wd;
    T s = d * ca * d;
    if (sq != 0) s = sq[i] * a + s;
    outSq[i] = s;
    T avg;
    if (p.flags & F_CENTERED) {
      T q = d * ca;
      if (ga != 0) q = ga[i] * a + q;
      outGa[i] = q;
      avg = f_sqrt_(s - q * q) + eps;
    } else {
      avg = f_sqrt_(s) + eps;
    }
    if (p.flags & F_MOMENTUM) {
      T b = d / avg;
      if (buf != 0) b = buf[i] * mom + b;
      outBuf[i] = b;
      outP[i] = P[i] - b * lr;
    } else {
      outP[i] = P[i] - d * lr / avg;
    }
  }
}

KERNEL(update_sgd_f32, UpdateParams) { sgd_body<float>(p); }
KERNEL(update_sgd_f64, UpdateParams) { sgd_body<double>(p); }
KERNEL(update_adam_f32, UpdateParams) { adam_body<float>(p); }
KERNEL(update_adam_f64, UpdateParams) { adam_body<double>(p); }
KERNEL(update_rmsprop_f32, UpdateParams) { rmsprop_body<float>(p); }
KERNEL(update_rmsprop_f64, UpdateParams) { rmsprop_body<double>(p); }

// A small upload as a kernel parameter: queued like any launch, no host memory to keep alive.
struct BytesParams {
  i64 dst;
  int count;
  unsigned char data[256];
};

KERNEL(store_bytes, BytesParams) {
  unsigned char* dst = (unsigned char*)p.dst;
  for (int i = threadIdx.x; i < p.count; i += blockDim.x) dst[i] = p.data[i];
}
