package dev.adjoint.cuda;

import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * The strides of one or more operands over a common shape, simplified for the kernels:
 * dimensions of size 1 dropped, and neighbouring dimensions merged wherever every operand can
 * walk them as one (stride of the outer = stride of the inner x size of the inner). A
 * contiguous tensor becomes rank 1 with stride 1 (the kernels' fast path), a tensor plus a
 * broadcast scalar becomes rank 1 with strides 1 and 0.
 */
final class Layout {
  final int[] shape;
  /** strides[operand][dimension]. */
  final int[][] strides;

  private Layout(int[] shape, int[][] strides) {
    this.shape = shape;
    this.strides = strides;
  }

  int rank() {
    return shape.length;
  }

  /** Whether the kernels' fixed-size arrays can hold it. */
  boolean fits() {
    return shape.length <= Params.MAXD;
  }

  static Layout of(int[] shape, int[]... strides) {
    int rank = shape.length;
    int[] s = new int[rank];
    int[][] st = new int[strides.length][rank];
    int r = 0;
    // From the innermost dimension outwards, each dimension either merges into the one just
    // kept (which lies inside it) or starts a new one.
    for (int d = rank - 1; d >= 0; d--) {
      if (shape[d] == 1) continue;
      if (r > 0 && mergeable(shape, strides, d, s[r - 1], st, r - 1)) {
        s[r - 1] *= shape[d];
        continue;
      }
      s[r] = shape[d];
      for (int o = 0; o < strides.length; o++) st[o][r] = strides[o][d];
      r++;
    }
    if (Shapes.numel(shape) == 0) {
      return new Layout(new int[] {0}, new int[strides.length][1]);
    }
    int[] outShape = new int[r];
    int[][] outStrides = new int[strides.length][r];
    for (int i = 0; i < r; i++) {
      outShape[i] = s[r - 1 - i];
      for (int o = 0; o < strides.length; o++) outStrides[o][i] = st[o][r - 1 - i];
    }
    return new Layout(outShape, outStrides);
  }

  private static boolean mergeable(int[] shape, int[][] strides, int d, int innerSize,
      int[][] kept, int inner) {
    for (int o = 0; o < strides.length; o++) {
      if ((long) strides[o][d] != (long) kept[o][inner] * innerSize) return false;
    }
    return true;
  }

  /** One tensor, or several views over one shape (all already broadcast to it). */
  static Layout of(Tensor... views) {
    int[][] st = new int[views.length][];
    for (int i = 0; i < views.length; i++) st[i] = views[i].strides();
    return of(views[0].shape(), st);
  }

  /** A view's layout together with the contiguous layout of a result of the same shape. */
  static Layout withContiguous(Tensor view) {
    int[] shape = view.shape();
    return of(shape, view.strides(), Shapes.contiguousStrides(shape));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(Arrays.toString(shape));
    for (int[] s : strides) b.append(' ').append(Arrays.toString(s));
    return b.toString();
  }
}
