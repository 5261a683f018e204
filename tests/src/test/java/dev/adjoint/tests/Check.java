package dev.adjoint.tests;

import dev.adjoint.ad.GradCheck;

/** Tolerances and helpers shared by the end-to-end tests. */
public final class Check {
  private Check() {}

  /** Central differences in double agree with exact derivatives to about 1e-9 relative. */
  public static final double FD = 1e-6;

  /** The dot-product test holds to rounding. */
  public static final double DOT = 1e-10;

  public static double[] wrap(double v) {
    return new double[] {v};
  }

  /** Central difference of a scalar function of one variable. */
  public static double derivative(java.util.function.DoubleUnaryOperator f, double x) {
    double h = GradCheck.STEP * Math.max(1, Math.abs(x));
    return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
  }

  public static void close(double expected, double actual, double tol, String what) {
    double err = GradCheck.error(expected, actual);
    if (!(err <= tol)) {
      throw new AssertionError(what + ": expected " + expected + " but was " + actual
          + " (relative error " + err + ")");
    }
  }
}
