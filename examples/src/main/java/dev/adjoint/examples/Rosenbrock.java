package dev.adjoint.examples;

import dev.adjoint.Differentiable;

/** The n-dimensional Rosenbrock function, minimized at (1, ..., 1). */
public final class Rosenbrock {
  private Rosenbrock() {}

  @Differentiable
  public static double value(double[] x) {
    double sum = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = 1 - x[i];
      double b = x[i + 1] - x[i] * x[i];
      sum += a * a + 100 * b * b;
    }
    return sum;
  }
}
