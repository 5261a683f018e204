package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/**
 * The functions of {@link Selections} written so that they are not selection loops (the
 * selection sits in a branch that is always taken): their reversal runs every iteration, the
 * reference {@code SelectionTest} compares the selection loops with, ties included.
 */
public final class SelectionTwins {
  private SelectionTwins() {}

  @Differentiable
  public static double logSumExp(double[] x) {
    double a = x[0];
    for (int i = 1; i < x.length; i++) {
      if (i > 0) a = Math.max(a, x[i]);
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) s += Math.exp(x[i] - a);
    return Math.log(s) + a;
  }

  @Differentiable
  public static double nestedMin(double[] x, double[] y) {
    double total = 0;
    for (int i = 0; i < y.length; i++) {
      double m = y[i] * y[i] + 2;
      for (int j = 0; j < x.length; j += 2) {
        if (j >= 0) m = Math.min((x[j] - y[i]) * (x[j] - y[i]), m);
      }
      total += m * y[i] + Math.sin(m);
    }
    return total;
  }
}
