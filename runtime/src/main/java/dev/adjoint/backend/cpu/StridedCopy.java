package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Tensor;

/**
 * Copies a strided view into a new row-major array of the same element type, one matrix (the
 * last two dimensions) at a time: rows with unit stride are array copies, and transposed
 * matrices are copied in square tiles so that reads and writes both stay in cache. This is
 * what makes a transposed matmul operand, the common case in gradients, cost a fraction of the
 * product.
 */
final class StridedCopy {
  /** Tile side: 32 x 32 floats is 4 KiB read and 4 KiB written, well within L1. */
  private static final int TILE = 32;

  private StridedCopy() {}

  /** Copies {@code t}'s elements from {@code src} into {@code dst} (same array type). */
  static void copy(Object src, Tensor t, Object dst) {
    int[] shape = t.shape();
    int[] strides = t.strides();
    int rank = shape.length;
    int n = t.numel();
    if (n == 0) return;
    int rows = rank >= 2 ? shape[rank - 2] : 1;
    int cols = rank >= 1 ? shape[rank - 1] : 1;
    int rowStride = rank >= 2 ? strides[rank - 2] : 0;
    int colStride = rank >= 1 ? strides[rank - 1] : 1;
    int matrices = n / (rows * cols);
    int[] index = new int[Math.max(rank - 2, 0)];
    int off = t.offset();
    for (int m = 0; m < matrices; m++) {
      matrix(src, off, rowStride, colStride, dst, m * rows * cols, rows, cols);
      for (int d = rank - 3; d >= 0; d--) {
        index[d]++;
        off += strides[d];
        if (index[d] < shape[d]) break;
        off -= strides[d] * shape[d];
        index[d] = 0;
      }
    }
  }

  private static void matrix(Object src, int off, int rs, int cs, Object dst, int at, int rows,
      int cols) {
    if (cs == 1) {
      for (int i = 0; i < rows; i++) System.arraycopy(src, off + i * rs, dst, at + i * cols, cols);
      return;
    }
    for (int i0 = 0; i0 < rows; i0 += TILE) {
      int i1 = Math.min(rows, i0 + TILE);
      for (int j0 = 0; j0 < cols; j0 += TILE) {
        int j1 = Math.min(cols, j0 + TILE);
        if (src instanceof float[]) {
          tile((float[]) src, off, rs, cs, (float[]) dst, at, cols, i0, i1, j0, j1);
        } else if (src instanceof double[]) {
          tile((double[]) src, off, rs, cs, (double[]) dst, at, cols, i0, i1, j0, j1);
        } else {
          tile((long[]) src, off, rs, cs, (long[]) dst, at, cols, i0, i1, j0, j1);
        }
      }
    }
  }

  // One loop per element type: a generic one would box or go through an interface per element.

  private static void tile(float[] s, int off, int rs, int cs, float[] d, int at, int cols,
      int i0, int i1, int j0, int j1) {
    for (int i = i0; i < i1; i++) {
      int from = off + i * rs;
      int to = at + i * cols;
      for (int j = j0; j < j1; j++) d[to + j] = s[from + j * cs];
    }
  }

  private static void tile(double[] s, int off, int rs, int cs, double[] d, int at, int cols,
      int i0, int i1, int j0, int j1) {
    for (int i = i0; i < i1; i++) {
      int from = off + i * rs;
      int to = at + i * cols;
      for (int j = j0; j < j1; j++) d[to + j] = s[from + j * cs];
    }
  }

  private static void tile(long[] s, int off, int rs, int cs, long[] d, int at, int cols,
      int i0, int i1, int j0, int j1) {
    for (int i = i0; i < i1; i++) {
      int from = off + i * rs;
      int to = at + i * cols;
      for (int j = j0; j < j1; j++) d[to + j] = s[from + j * cs];
    }
  }
}
