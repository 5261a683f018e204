package dev.adjoint.tests.bench;

/** Analytic gradients written by hand: the baseline a generated gradient is compared with. */
public final class HandWritten {
  private HandWritten() {}

  public static double[] rosenbrockGrad(double[] x) {
    double[] g = new double[x.length];
    for (int i = 0; i + 1 < x.length; i++) {
      double a = 1 - x[i];
      double b = x[i + 1] - x[i] * x[i];
      g[i] += -2 * a - 400 * b * x[i];
      g[i + 1] += 200 * b;
    }
    return g;
  }

  /** Gradient with respect to p (4) and y0 (2), concatenated; states stored on the way. */
  public static double[] lotkaVolterraGrad(double[] p, double[] y0) {
    int n = Problems.STEPS;
    double h = 0.01;
    double[] prey = new double[n];
    double[] pred = new double[n];
    double u = y0[0];
    double v = y0[1];
    for (int s = 0; s < n; s++) {
      prey[s] = u;
      pred[s] = v;
      double du = p[0] * u - p[1] * u * v;
      double dv = p[2] * u * v - p[3] * v;
      u += h * du;
      v += h * dv;
    }
    double a0 = 1;
    double a1 = 1;
    double[] g = new double[6];
    for (int s = n - 1; s >= 0; s--) {
      double x = prey[s];
      double y = pred[s];
      g[0] += a0 * h * x;
      g[1] -= a0 * h * x * y;
      g[2] += a1 * h * x * y;
      g[3] -= a1 * h * y;
      double b0 = a0 * (1 + h * (p[0] - p[1] * y)) + a1 * h * p[2] * y;
      double b1 = -a0 * h * p[1] * x + a1 * (1 + h * (p[2] * x - p[3]));
      a0 = b0;
      a1 = b1;
    }
    g[4] = a0;
    g[5] = a1;
    return g;
  }
}
