package dev.adjoint.tests.bench;

import dev.adjoint.Differentiable;

/** The benchmarked functions, differentiated by Adjoint. */
public final class Problems {
  private Problems() {}

  /** The n-dimensional (chained) Rosenbrock function. */
  @Differentiable
  public static double rosenbrock(double[] x) {
    double sum = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = 1 - x[i];
      double b = x[i + 1] - x[i] * x[i];
      sum += a * a + 100 * b * b;
    }
    return sum;
  }

  /** 1000 explicit Euler steps of Lotka-Volterra, with the state in a local array. */
  @Differentiable
  public static double lotkaVolterra(double[] p, double[] y0) {
    double[] y = y0.clone();
    double h = 0.01;
    for (int step = 0; step < STEPS; step++) {
      double prey = y[0];
      double pred = y[1];
      double dprey = p[0] * prey - p[1] * prey * pred;
      double dpred = p[2] * prey * pred - p[3] * pred;
      y[0] = prey + h * dprey;
      y[1] = pred + h * dpred;
    }
    return y[0] + y[1];
  }

  static final int STEPS = 1000;
}
