package dev.adjoint.cuda;

import static dev.adjoint.cuda.CudaRuntime.base;
import static dev.adjoint.cuda.CudaRuntime.suffix;

import dev.adjoint.tensor.Backend.Window;
import dev.adjoint.tensor.Tensor;

/** unfold (im2col) and fold (col2im) of NCHW images; pooling is unfold and a reduction. */
final class Images {
  private final CudaRuntime rt;
  private final Elementwise elementwise;

  Images(CudaRuntime rt, Elementwise elementwise) {
    this.rt = rt;
    this.elementwise = elementwise;
  }

  Tensor unfold(Tensor x, Window w, double padValue) {
    int[] s = x.shape();
    int k = w.kernel();
    int oh = w.out(s[2]);
    int ow = w.out(s[3]);
    int[] outShape = {s[0], s[1] * k * k, oh * ow};
    int total = s[0] * s[1] * k * k * oh * ow;
    CudaStorage out = rt.alloc(x.dtype(), total);
    if (total > 0) {
      Params p = windowParams(out.address, base(x), padValue, s, w, oh, ow, total, x.offset(),
          x.strides());
      rt.launch(Kernels.IMAGE, "unfold_" + suffix(x.dtype()), Launch.linear(total,
          rt.multiprocessors), p);
    }
    return new Tensor(out, outShape);
  }

  Tensor fold(Tensor cols, int channels, int height, int width, Window w) {
    int n = cols.shape()[0];
    int[] shape = {n, channels, height, width};
    int total = n * channels * height * width;
    CudaStorage out = rt.alloc(cols.dtype(), total);
    if (total > 0) {
      Tensor c = cols.isContiguous() ? cols : elementwise.copy(cols, cols.dtype());
      Params p = windowParams(out.address, base(c), 0, shape, w, w.out(height), w.out(width),
          total, c.offset(), new int[0]);
      rt.launch(Kernels.IMAGE, "fold_" + suffix(cols.dtype()), Launch.linear(total,
          rt.multiprocessors), p);
      elementwise.dropIfCopy(c, cols);
    }
    return new Tensor(out, shape);
  }

  /** The kernels' {@code WindowParams}. */
  static Params windowParams(long out, long in, double pad, int[] s, Window w, int oh, int ow,
      int total, int offset, int[] strides) {
    return new Params().ptr(out).ptr(in).f64(pad).i32(s[0]).i32(s[1]).i32(s[2]).i32(s[3])
        .i32(w.kernel()).i32(w.stride()).i32(w.padding()).i32(w.dilation()).i32(oh).i32(ow)
        .i32(total).i32(offset).ints(strides, 4);
  }
}
