package dev.adjoint.cuda;

import static dev.adjoint.cuda.CudaRuntime.base;
import static dev.adjoint.cuda.CudaRuntime.suffix;

import dev.adjoint.tensor.Backend.ReduceOp;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * sum, max and argmax over one dimension or all. Per dimension, without copying the input:
 * "rows" (a warp or a block per output) when the reduced dimension is the contiguous one,
 * "cols" (a thread per output, 32 neighbouring outputs per block) otherwise. Over everything:
 * one partial per block, then one block over the partials.
 */
final class Reductions {
  /** Reductions at least this long get a whole block (8 warps) per output. */
  static final int BLOCK_ROW = 2048;
  /** The most partial results of the first pass of a full reduction. */
  static final int MAX_PARTIALS = 1024;

  private final CudaRuntime rt;
  private final Elementwise elementwise;

  Reductions(CudaRuntime rt, Elementwise elementwise) {
    this.rt = rt;
    this.elementwise = elementwise;
  }

  Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim) {
    int[] shape = x.shape();
    if (dim < 0 && op != ReduceOp.ARGMAX) return all(op, x, keepDim);
    if (dim < 0) {
      // argmax of everything: of the flattened tensor along its only dimension
      Tensor flat = x.reshape(x.numel());
      Tensor r = along(op, flat, 0, false);
      int[] out = new int[keepDim ? shape.length : 0];
      Arrays.fill(out, 1);
      return r.reshape(out);
    }
    return along(op, x, dim, keepDim);
  }

  private Tensor all(ReduceOp op, Tensor x, boolean keepDim) {
    int[] outShape = new int[keepDim ? x.dim() : 0];
    Arrays.fill(outShape, 1);
    int n = x.numel();
    if (n == 0) return new Tensor(rt.zeros(x.dtype(), 1), outShape);
    Tensor c = x.isContiguous() ? x : elementwise.copy(x, x.dtype());
    String kernel = "reduce_all_" + Elementwise.name(op) + "_" + suffix(x.dtype());
    int partials = partials(n, rt.multiprocessors);
    CudaStorage out = rt.alloc(x.dtype(), 1);
    if (partials == 1) {
      rt.launch(Kernels.REDUCE, kernel, Launch.blocks(1, Launch.THREADS), allParams(out, c, n));
    } else {
      CudaStorage part = rt.alloc(x.dtype(), partials);
      rt.launch(Kernels.REDUCE, kernel, Launch.blocks(partials, Launch.THREADS),
          allParams(part, c, n));
      Tensor pt = new Tensor(part, new int[] {partials});
      rt.launch(Kernels.REDUCE, kernel, Launch.blocks(1, Launch.THREADS),
          allParams(out, pt, partials));
      rt.release(pt);
    }
    elementwise.dropIfCopy(c, x);
    return new Tensor(out, outShape);
  }

  /**
   * Blocks of the first pass: each must get at least one element (a block without any would
   * leave an empty partial), and a few per multiprocessor suffice.
   */
  static int partials(int n, int multiprocessors) {
    long perBlock = Launch.THREADS;
    long needed = (n + perBlock - 1) / perBlock;
    return (int) Math.max(1, Math.min(needed, Math.min(MAX_PARTIALS, 4L * multiprocessors)));
  }

  private static Params allParams(CudaStorage out, Tensor in, int n) {
    return reduceParams(out.address, base(in), n, 1, 1, new int[0], in.offset(), new int[0]);
  }

  /** The kernels' {@code ReduceParams}. */
  static Params reduceParams(long out, long in, int len, int rstride, int count, int[] outer,
      int offset, int[] strides) {
    return new Params().ptr(out).ptr(in).i32(len).i32(rstride).i32(count).shape(outer)
        .view(offset, strides);
  }

  private Tensor along(ReduceOp op, Tensor x, int dim, boolean keepDim) {
    int[] shape = x.shape();
    int[] outShape = keepDim ? shape.clone() : new int[shape.length - 1];
    if (keepDim) {
      outShape[dim] = 1;
    } else {
      for (int i = 0, j = 0; i < shape.length; i++) if (i != dim) outShape[j++] = shape[i];
    }
    DType type = op == ReduceOp.ARGMAX ? DType.INT64 : x.dtype();
    int count = Shapes.numel(outShape);
    int len = shape[dim];
    if (count == 0) return new Tensor(rt.alloc(type, 0), outShape);
    if (len == 0) return new Tensor(rt.zeros(type, count), outShape);  // sums of nothing
    Tensor src = x;
    Layout outer = outerLayout(src, dim);
    boolean inner = src.strides()[dim] == 1 || len == 1;
    // Few outputs, each long, with the reduced dimension not contiguous: one thread per output
    // would be slow; a copy that makes it contiguous gives every output a block.
    if (!outer.fits() || (!inner && (long) count * 32 < len)) {
      int[] perm = new int[shape.length];
      for (int i = 0, j = 0; i < shape.length; i++) if (i != dim) perm[j++] = i;
      perm[shape.length - 1] = dim;
      Tensor moved = elementwise.copy(x.permute(perm), x.dtype());
      int[] back = new int[shape.length];
      for (int i = 0; i < shape.length; i++) back[perm[i]] = i;
      src = moved.permute(back);
      outer = outerLayout(src, dim);
      inner = true;
    }
    CudaStorage out = rt.alloc(type, count);
    Params p = reduceParams(out.address, base(src), len, src.strides()[dim], count,
        outer.shape, src.offset(), outer.strides[0]);
    String kernel = "reduce_" + (inner ? "rows_" : "cols_") + Elementwise.name(op) + "_"
        + suffix(x.dtype());
    rt.launch(Kernels.REDUCE, kernel, inner ? rowsLaunch(count, len, rt.multiprocessors)
        : colsLaunch(count, rt.multiprocessors), p);
    if (src.storage() != x.storage()) rt.release(src);
    return new Tensor(out, outShape);
  }

  /** The outputs' shape (every dimension but {@code dim}) and the input's strides over it. */
  private static Layout outerLayout(Tensor x, int dim) {
    int[] shape = x.shape();
    int[] strides = x.strides();
    int[] s = new int[shape.length - 1];
    int[] st = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i == dim) continue;
      s[j] = shape[i];
      st[j++] = strides[i];
    }
    return Layout.of(s, st);
  }

  /** A warp per output, or a block (8 warps) for long rows; 256 threads per block. */
  static Launch rowsLaunch(int count, int len, int multiprocessors) {
    int group = len >= BLOCK_ROW ? 256 : 32;
    int perBlock = Launch.THREADS / group;
    long blocks = ((long) count + perBlock - 1) / perBlock;
    int grid = (int) Math.min(blocks, (long) multiprocessors * Launch.BLOCKS_PER_SM);
    return new Launch(Math.max(1, grid), 1, 1, group, perBlock, 1);
  }

  /** 32 outputs per block, the reduced dimension split over 8 threads each. */
  static Launch colsLaunch(int count, int multiprocessors) {
    long blocks = ((long) count + 31) / 32;
    int grid = (int) Math.min(blocks, (long) multiprocessors * Launch.BLOCKS_PER_SM);
    return new Launch(Math.max(1, grid), 1, 1, 32, 8, 1);
  }
}
