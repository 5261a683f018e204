package dev.adjoint.cuda;

import static dev.adjoint.cuda.CudaRuntime.base;
import static dev.adjoint.cuda.CudaRuntime.suffix;

import dev.adjoint.tensor.Backend.Window;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * Batched matrix products and conv2d as an implicit GEMM (the image is read in place as the
 * columns of im2col, which are never stored). float32 runs exact FMA tiles unless TF32 is
 * allowed ({@link Cuda#setAllowTf32}).
 */
final class Matmuls {
  private final CudaRuntime rt;
  private final Elementwise elementwise;

  Matmuls(CudaRuntime rt, Elementwise elementwise) {
    this.rt = rt;
    this.elementwise = elementwise;
  }

  Tensor matmul(Tensor a, Tensor b) {
    int[] sa = a.shape();
    int[] sb = b.shape();
    int r = sa.length;
    int m = sa[r - 2];
    int k = sa[r - 1];
    int n = sb[r - 1];
    int[] outShape = sa.clone();
    outShape[r - 1] = n;
    int[] batchShape = Arrays.copyOf(sa, r - 2);
    int batch = dev.adjoint.tensor.Shapes.numel(batchShape);
    DType dtype = a.dtype();
    long total = (long) batch * m * n;
    if (total == 0 || k == 0) return new Tensor(rt.zeros(dtype, (int) total), outShape);
    int[] at = a.strides();
    int[] bt = b.strides();
    Layout batches = Layout.of(batchShape, Arrays.copyOf(at, r - 2), Arrays.copyOf(bt, r - 2));
    Tensor ca = a;
    Tensor cb = b;
    if (!batches.fits()) {
      ca = elementwise.copy(a, dtype);
      cb = elementwise.copy(b, dtype);
      batches = Layout.of(batchShape, Arrays.copyOf(ca.strides(), r - 2),
          Arrays.copyOf(cb.strides(), r - 2));
    }
    int[] as = matrixStrides(ca.strides(), m, k);
    int[] bs = matrixStrides(cb.strides(), k, n);
    GemmPlan plan = GemmPlan.of(dtype, dtype == DType.FLOAT32 && Cuda.allowTf32(), false, m, n,
        k, batch, rt.multiprocessors);
    CudaStorage out = rt.alloc(dtype, (int) total);
    CudaStorage target = plan.splits() > 1 ? rt.alloc(dtype, (int) (total * plan.splits())) : out;
    Params p = gemmParams(base(ca), base(cb), target.address, m, n, k, as, bs, batch, plan,
        batches.shape, ca.offset(), batches.strides[0], cb.offset(), batches.strides[1],
        Conv.NONE);
    rt.launch(Kernels.GEMM, plan.kernel(), plan.launch(batch), p);
    if (plan.splits() > 1) sumSplits(out, target, plan.splits(), dtype, (int) total, m, n, 0);
    elementwise.dropIfCopy(ca, a);
    elementwise.dropIfCopy(cb, b);
    return new Tensor(out, outShape);
  }

  /**
   * A matrix's row and column strides, with the stride of a dimension of size 1 (which any
   * value fits) set so that the kernel reads along the other one.
   */
  static int[] matrixStrides(int[] strides, int rows, int cols) {
    int r = strides.length;
    int rs = strides[r - 2];
    int cs = strides[r - 1];
    if (rows == 1) rs = Math.max(1, cs) * cols;
    if (cols == 1) cs = Math.max(1, rs) * rows;
    return new int[] {rs, cs};
  }

  /** conv2d of float32 {@code [N, C, H, W]} with {@code [O, C, k, k]}, as {@code [N, O, L]}. */
  Tensor conv2d(Tensor x, Tensor weight, Window w) {
    if (x.dtype() != DType.FLOAT32 || weight.dtype() != DType.FLOAT32) return null;
    int[] s = x.shape();
    int o = weight.shape()[0];
    int k = w.kernel();
    int oh = w.out(s[2]);
    int ow = w.out(s[3]);
    int windows = oh * ow;
    int kk = s[1] * k * k;
    long cols = (long) s[0] * windows;
    if (cols > Integer.MAX_VALUE) return null;
    int[] outShape = {s[0], o, windows};
    int total = s[0] * o * windows;
    if (total == 0) return new Tensor(rt.alloc(DType.FLOAT32, 0), outShape);
    if (kk == 0) return new Tensor(rt.zeros(DType.FLOAT32, total), outShape);
    Tensor wc = weight.isContiguous() ? weight : elementwise.copy(weight, DType.FLOAT32);
    GemmPlan plan = GemmPlan.of(DType.FLOAT32, Cuda.allowTf32(), true, o, (int) cols, kk, 1,
        rt.multiprocessors);
    CudaStorage out = rt.alloc(DType.FLOAT32, total);
    CudaStorage target = plan.splits() > 1 ? rt.alloc(DType.FLOAT32, total * plan.splits())
        : out;
    Conv conv = new Conv(s[1], s[2], s[3], k, w.stride(), w.padding(), w.dilation(), oh, ow,
        x.strides());
    Params p = gemmParams(base(wc), base(x), target.address, o, (int) cols, kk,
        new int[] {kk, 1}, new int[] {0, 0}, 1, plan, new int[0], wc.offset(), new int[0],
        x.offset(), new int[0], conv);
    rt.launch(Kernels.GEMM, plan.kernel(), plan.launch(1), p);
    if (plan.splits() > 1) {
      sumSplits(out, target, plan.splits(), DType.FLOAT32, total, o, (int) cols, windows);
    }
    elementwise.dropIfCopy(wc, weight);
    return new Tensor(out, outShape);
  }

  /** The image geometry of an implicit-GEMM conv2d ({@link #NONE} for a plain product). */
  record Conv(int channels, int height, int width, int kernel, int stride, int padding,
      int dilation, int outHeight, int outWidth, int[] strides) {
    static final Conv NONE = new Conv(0, 0, 0, 0, 0, 0, 0, 0, 0, new int[4]);
  }

  /** The kernels' {@code GemmParams}. */
  static Params gemmParams(long a, long b, long c, int m, int n, int k, int[] as, int[] bs,
      int batch, GemmPlan plan, int[] batchShape, int aoff, int[] abatch, int boff,
      int[] bbatch, Conv conv) {
    return new Params().ptr(a).ptr(b).ptr(c).i32(m).i32(n).i32(k).i32(as[0]).i32(as[1])
        .i32(bs[0]).i32(bs[1]).i32(batch).i32(plan.tilesN()).i32(plan.splits())
        .i32(plan.kChunk()).shape(batchShape).view(aoff, abatch).view(boff, bbatch)
        .i32(conv.channels()).i32(conv.height()).i32(conv.width()).i32(conv.kernel())
        .i32(conv.stride()).i32(conv.padding()).i32(conv.dilation()).i32(conv.outHeight())
        .i32(conv.outWidth()).ints(conv.strides(), 4);
  }

  /** The kernels' {@code SplitParams}. */
  static Params splitParams(long out, long ws, int splits, int total, int m, int n, int convL) {
    return new Params().ptr(out).ptr(ws).i32(splits).i32(total).i32(m).i32(n).i32(convL);
  }

  private void sumSplits(CudaStorage out, CudaStorage ws, int splits, DType dtype, int total,
      int m, int n, int convL) {
    Params p = splitParams(out.address, ws.address, splits, total, m, n, convL);
    rt.launch(Kernels.GEMM, "splitk_reduce_" + suffix(dtype), Launch.linear(total,
        rt.multiprocessors), p);
    rt.allocator.release(ws);
  }
}
