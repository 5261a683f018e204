package dev.adjoint.ad;

import dev.adjoint.tensor.Tensor;

/**
 * Assembles the Jacobians the generated {@code fJacobian} and {@code fHessian} methods return,
 * from the columns a vector JVP gives (forward mode) or the rows VJPs give (reverse mode). The
 * layout is JAX's: the output's dimensions first, then the input's, so that {@code J[i][j]} is
 * the derivative of output {@code i} with respect to input {@code j}.
 */
public final class Jacobians {
  private Jacobians() {}

  /** {@code J[i][j] = columns[j][i]}: the Jacobian whose columns a vector JVP gave. */
  public static double[][] fromColumns(double[][] columns, int outputs) {
    double[][] j = new double[outputs][columns.length];
    for (int c = 0; c < columns.length; c++) {
      for (int r = 0; r < outputs; r++) j[r][c] = columns[c][r];
    }
    return j;
  }

  /** {@code J[i][j] = columns[j][i]}: the Jacobian whose columns a vector JVP gave. */
  public static float[][] fromColumns(float[][] columns, int outputs) {
    float[][] j = new float[outputs][columns.length];
    for (int c = 0; c < columns.length; c++) {
      for (int r = 0; r < outputs; r++) j[r][c] = columns[c][r];
    }
    return j;
  }

  /**
   * The Jacobian of {@code y} with respect to {@code x}, shaped {@code y.shape() ++ x.shape()},
   * from its columns: {@code columns[j]}, shaped like {@code y}, is the derivative along the
   * {@code j}-th element of {@code x}.
   */
  public static Tensor fromColumns(Tensor[] columns, Tensor y, Tensor x) {
    int m = y.numel();
    int n = x.numel();
    double[] data = new double[m * n];
    for (int c = 0; c < n; c++) {
      double[] col = columns[c] == null ? new double[m] : columns[c].toDoubleArray();
      for (int r = 0; r < m; r++) data[r * n + c] = col[r];
    }
    return assemble(data, y, x);
  }

  /**
   * The Jacobian of {@code y} with respect to {@code x}, shaped {@code y.shape() ++ x.shape()},
   * from its rows: {@code rows[i]}, shaped like {@code x}, is the gradient of the {@code i}-th
   * element of {@code y}.
   */
  public static Tensor fromRows(Tensor[] rows, Tensor y, Tensor x) {
    int m = y.numel();
    int n = x.numel();
    double[] data = new double[m * n];
    for (int r = 0; r < m; r++) {
      if (rows[r] == null) continue;
      System.arraycopy(rows[r].toDoubleArray(), 0, data, r * n, n);
    }
    return assemble(data, y, x);
  }

  private static Tensor assemble(double[] data, Tensor y, Tensor x) {
    int[] ys = y.shape();
    int[] xs = x.shape();
    int[] shape = new int[ys.length + xs.length];
    System.arraycopy(ys, 0, shape, 0, ys.length);
    System.arraycopy(xs, 0, shape, ys.length, xs.length);
    Tensor j = Tensor.of(y.dtype(), data, shape);
    return j.device().equals(y.device()) ? j : j.to(y.device());
  }
}
