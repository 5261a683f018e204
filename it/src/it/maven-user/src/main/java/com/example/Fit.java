package com.example;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.backend.cpu.Vectorization;
import dev.adjoint.tensor.Tensor;

/**
 * A user's program: least squares on numbers and on tensors, its gradients from the generated
 * FitDerivatives checked against the closed form 2/n X^T (X w - y).
 */
public final class Fit {
  private Fit() {}

  @Differentiable
  static double loss(double w, @NoDerivative double[] x, @NoDerivative double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double r = w * x[i] - y[i];
      s += r * r;
    }
    return s / x.length;
  }

  @Differentiable
  static Tensor tensorLoss(Tensor w, @NoDerivative Tensor x, @NoDerivative Tensor y) {
    return x.matmul(w).sub(y).pow(2).mean();
  }

  /** Checks both gradients; returns the CPU kernels in use. */
  public static String check() {
    double[] x = {0.5, -1.0, 2.0, 3.0};
    double[] y = {1.0, 0.0, -2.0, 4.0};
    double w = 0.7;
    double expected = 0;
    for (int i = 0; i < x.length; i++) expected += 2 * (w * x[i] - y[i]) * x[i] / x.length;
    near("dloss/dw", FitDerivatives.lossGrad(w, x, y), expected);

    int n = 64;
    int d = 8;
    double[] xs = new double[n * d];
    double[] ys = new double[n];
    double[] ws = new double[d];
    for (int i = 0; i < xs.length; i++) xs[i] = Math.sin(0.37 * i);
    for (int i = 0; i < n; i++) ys[i] = Math.cos(0.11 * i);
    for (int j = 0; j < d; j++) ws[j] = 0.1 * (j - 3);
    Tensor grad = FitDerivatives.tensorLossGrad(Tensor.of(ws, d, 1), Tensor.of(xs, n, d),
        Tensor.of(ys, n, 1));
    double[] residual = new double[n];
    for (int i = 0; i < n; i++) {
      residual[i] = -ys[i];
      for (int j = 0; j < d; j++) residual[i] += xs[i * d + j] * ws[j];
    }
    double[] g = grad.toDoubleArray();
    for (int j = 0; j < d; j++) {
      double e = 0;
      for (int i = 0; i < n; i++) e += 2 * xs[i * d + j] * residual[i] / n;
      near("dtensorLoss/dw[" + j + "]", g[j], e);
    }
    return Vectorization.kernels().name();
  }

  private static void near(String what, double actual, double expected) {
    if (Math.abs(actual - expected) > 1e-9 * (1 + Math.abs(expected))) {
      throw new AssertionError(what + " = " + actual + ", closed form " + expected);
    }
  }

  public static void main(String[] args) {
    String kernels = check();
    System.out.println("gradients match the closed form on Java " + Runtime.version().feature()
        + ", CPU kernels: " + kernels);
    if (!kernels.startsWith("vector-api")) {
      throw new AssertionError("run with --add-modules jdk.incubator.vector; kernels: " + kernels);
    }
  }
}
