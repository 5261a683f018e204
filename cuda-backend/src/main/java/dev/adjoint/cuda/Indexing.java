package dev.adjoint.cuda;

import static dev.adjoint.cuda.CudaRuntime.base;
import static dev.adjoint.cuda.CudaRuntime.suffix;

import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;

/**
 * gather, indexSelect and cat. An index out of range is reported by the kernel through the
 * runtime's error word and thrown at the next synchronization, with the CPU backend's message.
 */
final class Indexing {
  private final CudaRuntime rt;
  private final Elementwise elementwise;

  Indexing(CudaRuntime rt, Elementwise elementwise) {
    this.rt = rt;
    this.elementwise = elementwise;
  }

  Tensor indexSelect(Tensor x, int dim, Tensor index) {
    int[] xs = x.shape();
    int size = xs[dim];
    int[] outShape = xs.clone();
    outShape[dim] = index.numel();
    int n = Shapes.numel(outShape);
    CudaStorage out = rt.alloc(x.dtype(), n);
    if (n == 0) return new Tensor(out, outShape);
    Tensor src = x;
    int d = dim;
    int[] shape = outShape;
    if (x.dim() > Params.MAXD) {
      // [before, size, after] of a contiguous copy
      src = elementwise.copy(x, x.dtype());
      int before = Shapes.numel(java.util.Arrays.copyOf(xs, dim));
      int after = Shapes.numel(java.util.Arrays.copyOfRange(xs, dim + 1, xs.length));
      src = src.reshape(before, size, after);
      shape = new int[] {before, index.numel(), after};
      d = 1;
    }
    String xShape = Shapes.str(xs);
    int tag = rt.check(bad -> "indexSelect: index " + bad + " is out of range for dimension "
        + dim + " of size " + size + " (shape " + xShape + ")");
    Params p = indexSelectParams(out.address, base(src), base(index), rt.errorAddress(), d,
        size, tag, index.offset(), index.strides()[0], shape, src.offset(), src.strides());
    rt.launch(Kernels.INDEX, "index_select_" + suffix(x.dtype()), Launch.linear(n,
        rt.multiprocessors), p);
    elementwise.dropIfCopy(src, x);
    return new Tensor(out, outShape);
  }

  Tensor gather(Tensor x, int dim, Tensor index) {
    int[] shape = index.shape();
    int n = index.numel();
    CudaStorage out = rt.alloc(x.dtype(), n);
    if (n == 0) return new Tensor(out, shape);
    if (x.dim() > Params.MAXD) {
      throw new IllegalArgumentException("gather: the CUDA backend supports tensors of up to "
          + Params.MAXD + " dimensions, got " + Shapes.str(x.shape()));
    }
    int size = x.shape()[dim];
    String xShape = Shapes.str(x.shape());
    int tag = rt.check(bad -> "gather: index " + bad + " is out of range for dimension " + dim
        + " of size " + size + " (shape " + xShape + ")");
    Params p = gatherParams(out.address, base(x), base(index), rt.errorAddress(), dim, size,
        tag, shape, x.offset(), x.strides(), index.offset(), index.strides());
    rt.launch(Kernels.INDEX, "gather_" + suffix(x.dtype()), Launch.linear(n,
        rt.multiprocessors), p);
    return new Tensor(out, shape);
  }

  /** The kernels' {@code IndexSelectParams}. */
  static Params indexSelectParams(long out, long x, long index, long err, int dim, int size,
      int tag, int ioffset, int istride, int[] shape, int xoffset, int[] xstrides) {
    return new Params().ptr(out).ptr(x).ptr(index).ptr(err).i32(dim).i32(size).i32(tag)
        .i32(ioffset).i32(istride).shape(shape).view(xoffset, xstrides);
  }

  /** The kernels' {@code GatherParams}. */
  static Params gatherParams(long out, long x, long index, long err, int dim, int size,
      int tag, int[] shape, int xoffset, int[] xstrides, int ioffset, int[] istrides) {
    return new Params().ptr(out).ptr(x).ptr(index).ptr(err).i32(dim).i32(size).i32(tag)
        .shape(shape).view(xoffset, xstrides).view(ioffset, istrides);
  }

  Tensor cat(Tensor[] xs, int dim) {
    int[] shape = xs[0].shape();
    int total = 0;
    for (Tensor x : xs) total += x.shape()[dim];
    shape[dim] = total;
    CudaStorage out = rt.alloc(xs[0].dtype(), Shapes.numel(shape));
    int[] strides = Shapes.contiguousStrides(shape);
    int start = 0;
    for (Tensor x : xs) {
      elementwise.copyInto(x, out, x.dtype(), start * strides[dim], strides);
      start += x.shape()[dim];
    }
    return new Tensor(out, shape);
  }
}
