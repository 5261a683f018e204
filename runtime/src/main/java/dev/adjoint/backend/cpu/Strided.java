package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Tensor;

/**
 * Walks the elements of strided views in row-major order of their common shape, yielding each
 * view's storage offset: the one loop that every non-contiguous kernel shares.
 */
final class Strided {
  private Strided() {}

  /** Storage offsets of every element of {@code t}, in row-major order. */
  static int[] offsets(Tensor t) {
    int[] shape = t.shape();
    int[] strides = t.strides();
    int n = t.numel();
    int[] out = new int[n];
    if (n == 0) return out;
    int rank = shape.length;
    int[] index = new int[rank];
    int off = t.offset();
    for (int i = 0; i < n; i++) {
      out[i] = off;
      for (int d = rank - 1; d >= 0; d--) {
        index[d]++;
        off += strides[d];
        if (index[d] < shape[d]) break;
        off -= strides[d] * shape[d];
        index[d] = 0;
      }
    }
    return out;
  }
}
