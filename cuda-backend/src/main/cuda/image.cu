// im2col (unfold) and its adjoint col2im (fold) for NCHW images with square windows.
// fold gathers: each output pixel sums the columns that read it, in the CPU backend's order,
// so no atomics are needed and results are deterministic.
#include "common.cuh"

struct WindowParams {
  i64 out;
  i64 in;
  double pad;  // unfold: the value read outside the image
  int n, c, h, w;
  int k, stride, padding, dilation;
  int oh, ow;
  int total;   // output elements
  int offset;  // the input's element offset
  int xs[4];   // unfold: the input's strides (fold's columns are contiguous)
};

template <typename T>
__device__ __forceinline__ void unfold_body(const WindowParams& p) {
  T* out = (T*)p.out;
  const T* x = (const T*)p.in;
  int kk = p.k * p.k;
  int rows = p.c * kk;
  FOR_EACH(e, p.total) {
    int ox = e % p.ow;
    int t = e / p.ow;
    int oy = t % p.oh;
    t /= p.oh;
    int r = t % rows;
    int n = t / rows;
    int ch = r / kk;
    int kh = (r / p.k) % p.k;
    int kw = r % p.k;
    int iy = oy * p.stride - p.padding + kh * p.dilation;
    int ix = ox * p.stride - p.padding + kw * p.dilation;
    T v = convert<T, double>(p.pad);
    if (iy >= 0 && iy < p.h && ix >= 0 && ix < p.w) {
      v = x[p.offset + n * p.xs[0] + ch * p.xs[1] + iy * p.xs[2] + ix * p.xs[3]];
    }
    out[e] = v;
  }
}

template <typename T>
__device__ __forceinline__ void fold_body(const WindowParams& p) {
  T* out = (T*)p.out;
  const T* cols = (const T*)p.in + p.offset;
  int kk = p.k * p.k;
  int windows = p.oh * p.ow;
  FOR_EACH(e, p.total) {
    int x = e % p.w;
    int t = e / p.w;
    int y = t % p.h;
    t /= p.h;
    int ch = t % p.c;
    int n = t / p.c;
    T acc = (T)0;
    const T* base = cols + ((size_t)n * p.c + ch) * kk * windows;
    for (int kh = 0; kh < p.k; kh++) {
      int iy = y + p.padding - kh * p.dilation;
      if (iy < 0 || iy % p.stride != 0) continue;
      int oy = iy / p.stride;
      if (oy >= p.oh) continue;
      for (int kw = 0; kw < p.k; kw++) {
        int ix = x + p.padding - kw * p.dilation;
        if (ix < 0 || ix % p.stride != 0) continue;
        int ox = ix / p.stride;
        if (ox >= p.ow) continue;
        acc += base[(kh * p.k + kw) * windows + oy * p.ow + ox];
      }
    }
    out[e] = acc;
  }
}

KERNEL(unfold_f32, WindowParams) { unfold_body<float>(p); }
KERNEL(unfold_f64, WindowParams) { unfold_body<double>(p); }
KERNEL(unfold_i64, WindowParams) { unfold_body<i64>(p); }
KERNEL(fold_f32, WindowParams) { fold_body<float>(p); }
KERNEL(fold_f64, WindowParams) { fold_body<double>(p); }
KERNEL(fold_i64, WindowParams) { fold_body<i64>(p); }
