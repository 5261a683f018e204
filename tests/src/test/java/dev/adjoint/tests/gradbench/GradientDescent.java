package dev.adjoint.tests.gradbench;

/**
 * GradBench's {@code multivariate_argmin} ({@code cpp/gradbench/gd.hpp}), step for step, for the
 * nested evals ({@code saddle}, {@code particle}): the step doubles after ten accepted steps and
 * halves on a rejected one; the descent stops when the gradient or the step is below 1e-5. The
 * eval's expected outputs are this descent's, so it is reproduced exactly, not improved.
 */
final class GradientDescent {
  private GradientDescent() {}

  /** An objective with its gradient. */
  interface Cost {
    double value(double[] p);

    double[] gradient(double[] p);
  }

  static double[] argmin(Cost c, double[] start) {
    double[] x = start.clone();
    double fx = c.value(x);
    double[] gx = c.gradient(x);
    int i = 0;
    double eta = 1e-5;
    while (true) {
      if (magnitude(gx, null) <= 1e-5) return x;
      if (i == 10) {
        eta *= 2;
        i = 0;
        continue;
      }
      double[] xp = new double[x.length];
      for (int j = 0; j < x.length; j++) xp[j] = x[j] - eta * gx[j];
      if (magnitude(x, xp) <= 1e-5) return x;
      double fxp = c.value(xp);
      if (fxp < fx) {
        x = xp;
        fx = fxp;
        gx = c.gradient(x);
        i++;
      } else {
        eta /= 2;
        i = 0;
      }
    }
  }

  /** |u - v|, or |u| for a null v, summed in gd.hpp's order. */
  private static double magnitude(double[] u, double[] v) {
    double acc = 0;
    for (int j = 0; j < u.length; j++) {
      double d = v == null ? u[j] : u[j] - v[j];
      acc += d * d;
    }
    return Math.sqrt(acc);
  }
}
