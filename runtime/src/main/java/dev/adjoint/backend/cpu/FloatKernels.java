package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend;
import dev.adjoint.tensor.ParamUpdate;

/**
 * The float32 inner loops, in two implementations: plain Java ({@link ScalarFloatKernels}) and
 * the Vector API ({@code PanamaFloatKernels}, used when {@code jdk.incubator.vector} is
 * readable). {@link Vectorization} chooses, once. Every method works on contiguous runs.
 */
public interface FloatKernels {
  /** {@code out[oo + i] = op(x[xo + i])} for i in [0, n). */
  void unary(Backend.UnaryOp op, float[] x, int xo, float[] out, int oo, int n, float p);

  /**
   * {@code out[oo + i] = op(a[ao + i * as], b[bo + i * bs])}, where {@code as} and {@code bs}
   * are 0 (a broadcast scalar) or 1.
   */
  void binary(Backend.BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
      float[] out, int oo, int n);

  /** {@code out[oo + i] = x[xo + i] > 0 ? g[go + i] : 0} for i in [0, n): relu's derivative. */
  void reluBackward(float[] g, int go, float[] x, int xo, float[] out, int oo, int n);

  /**
   * Max pooling of one plane at {@code x[at..]}: window {@code l} in [0, windows) has elements
   * {@code e} in [0, elems) at plane offsets {@code map[e * windows + l]} (-1: padding, never
   * chosen) and its first element inside the image at {@code first[l]}. Its maximum goes to
   * {@code values[vo + l]} and that element's plane offset to {@code index[io + l]}: the first
   * maximum in element order, or the first NaN; a window of -inf takes its first element.
   */
  void maxPool(float[] x, int at, int[] map, int[] first, int windows, int elems, float[] values,
      int vo, int[] index, int io);

  /** The sum of {@code x[off..off+n)}, accurate for long runs (blocked, double carry). */
  double sum(float[] x, int off, int n);

  /** {@code c = a b} for row-major a (m x k), b (k x n), c (m x n). */
  default void gemm(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k,
      int n) {
    gemm(a, ao, k, 1, b, bo, n, 1, c, co, m, k, n);
  }

  /**
   * {@code c = a b} for strided a and b: a's element (i, p) is {@code a[ao + i * ars + p * acs]}
   * and b's (p, j) is {@code b[bo + p * brs + j * bcs]}; c is row-major. Transposed operands,
   * as gradients of matmul take them, are read in place while packing instead of copied.
   */
  default void gemm(float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
      float[] c, int co, int m, int k, int n) {
    gemm(a, ao, ars, acs, b, bo, brs, bcs, c, co, m, k, n, false);
  }

  /** As above; with {@code accumulate}, {@code c += a b} (what gradients summed over a batch use). */
  default void gemm(float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
      float[] c, int co, int m, int k, int n, boolean accumulate) {
    gemm(a, rows(ao, ars, m), acs, b, rows(bo, brs, k), bcs, c, co, m, k, n, accumulate);
  }

  /**
   * {@code c (+)= a b} with a's element (i, p) at {@code a[aRows[i] + p * acs]} and b's (p, j)
   * at {@code b[bRows[p] + j * bcs]}; c is row-major from {@code co}. Row tables let the rows
   * of a matrix be any windows of an array, such as the shifted rows of a padded image that
   * make a convolution a product without an im2col copy.
   */
  void gemm(float[] a, int[] aRows, int acs, float[] b, int[] bRows, int bcs, float[] c, int co,
      int m, int k, int n, boolean accumulate);

  /** {@code count} row starts {@code off, off + stride, ...}. */
  static int[] rows(int off, int stride, int count) {
    int[] r = new int[count];
    for (int i = 0; i < count; i++) r[i] = off + i * stride;
    return r;
  }

  /**
   * {@link ParamUpdate.Sgd} over elements [from, to) of dense arrays: {@code buf} is null on
   * the first step, {@code outBuf} without momentum.
   */
  void sgd(ParamUpdate.Sgd u, float[] p, float[] g, float[] buf, float[] outP, float[] outBuf,
      int from, int to);

  /** {@link ParamUpdate.Adam}; null state is zero, {@code vmax} only with amsgrad. */
  void adam(ParamUpdate.Adam u, float[] p, float[] g, float[] m, float[] v, float[] vmax,
      float[] outP, float[] outM, float[] outV, float[] outVmax, int from, int to);

  /** {@link ParamUpdate.RmsProp}; null state is zero, absent state has a null output. */
  void rmsProp(ParamUpdate.RmsProp u, float[] p, float[] g, float[] sq, float[] buf, float[] ga,
      float[] outP, float[] outSq, float[] outBuf, float[] outGa, int from, int to);

  /** A name for logs and benchmark reports. */
  String name();
}
