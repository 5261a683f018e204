package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/** Reading arrays, writing local arrays, returning arrays. */
public final class Arrays1 {
  private Arrays1() {}

  @Differentiable
  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Differentiable
  public static double sumOfSquares(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    return s;
  }

  @Differentiable
  public static double prefixProducts(double[] x) {
    double[] p = new double[x.length];
    p[0] = x[0];
    for (int i = 1; i < x.length; i++) {
      p[i] = p[i - 1] * x[i];
    }
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += p[i];
    }
    return s;
  }

  @Differentiable
  public static double[] scaled(double[] x, double k) {
    double[] y = x.clone();
    for (int i = 0; i < y.length; i++) {
      y[i] *= k * y[i];
    }
    return y;
  }

  @Differentiable
  public static double literal(double x, double y) {
    double[] v = {x, y, x * y};
    v[1] += v[2];
    return v[0] * v[1] + v[2];
  }

  @Differentiable
  public static double ode(double[] y0, double h) {
    // Explicit Euler for a damped oscillator, with a local state array overwritten in place.
    double[] y = y0.clone();
    for (int step = 0; step < 50; step++) {
      double dy0 = y[1];
      double dy1 = -y[0] - 0.1 * y[1];
      y[0] = y[0] + h * dy0;
      y[1] = y[1] + h * dy1;
    }
    return y[0] * y[0] + y[1];
  }

  @Differentiable
  public static float floatArray(float[] x) {
    float s = 0f;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * x[i] * (i + 1);
    }
    return s;
  }

  /** A fresh local array in every iteration. */
  @Differentiable
  public static double arrayPerIteration(double[] xs) {
    double total = 0;
    for (int i = 0; i < xs.length; i++) {
      double[] y = new double[2];
      y[0] = xs[i];
      y[1] = xs[i] * xs[i];
      total += y[0] * y[1];
    }
    return total;
  }
}
