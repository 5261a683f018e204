package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/**
 * Selection loops: a running maximum or minimum whose reversal runs only the iteration that
 * set it last (the candidate's code again, then its reversal). At the top level and inside
 * another loop (its choice then on the tape), with the value as either argument, the candidate
 * computed by a nested loop and a branch, a long counter, a step of two, a loop whose initial
 * value is never replaced, and one that never runs. The corpus matrix checks each against
 * central differences in float and double at orders one to three; {@code SelectionTest}
 * compares them with the reversal of every iteration, ties included.
 */
public final class Selections {
  private Selections() {}

  /** GradBench's lse: the maximum, then the shifted sum of exponentials. */
  @Differentiable
  public static double logSumExp(double[] x) {
    double a = x[0];
    for (int i = 1; i < x.length; i++) a = Math.max(a, x[i]);
    double s = 0;
    for (int i = 0; i < x.length; i++) s += Math.exp(x[i] - a);
    return Math.log(s) + a;
  }

  /** A minimum with the running value as the second argument, inside an outer loop. */
  @Differentiable
  public static double nestedMin(double[] x, double[] y) {
    double total = 0;
    for (int i = 0; i < y.length; i++) {
      double m = y[i] * y[i] + 2;
      for (int j = 0; j < x.length; j += 2) m = Math.min((x[j] - y[i]) * (x[j] - y[i]), m);
      total += m * y[i] + Math.sin(m);
    }
    return total;
  }

  /** The candidate from a nested loop and a branch, the maximum read again after the loop. */
  @Differentiable
  public static double branchyCandidate(double[] x, double[] c) {
    double best = -1e6 * x[0] * x[0] - 1e6;
    for (int j = 0; j < c.length; j++) {
      double v = 0;
      for (int l = 0; l < x.length; l++) {
        double t = x[l] - c[j] * (l + 1);
        if (t > 0) {
          v -= t * t;
        } else {
          v += Math.sin(t) * c[j];
        }
      }
      best = Math.max(best, v);
    }
    return best * best + best * x[0];
  }

  /** A long counter and a candidate that is a product of two reads. */
  @Differentiable
  public static double longCounterMax(double[] x, long m) {
    double a = Double.NEGATIVE_INFINITY;
    for (long i = 0; i < m; i++) {
      a = Math.max(a, x[(int) (i % x.length)] * x[(int) ((i + 1) % x.length)]);
    }
    return a * x[0];
  }

  /**
   * The candidate reads an enclosing loop's counter only through data without a derivative:
   * its reversal, running it again, needs that counter restored all the same (found by the
   * fuzzer: the counter was left at its exit value, and the load went out of bounds).
   */
  @Differentiable
  public static double outerCounterInData(double[] x, @dev.adjoint.NoDerivative double[] data) {
    double m = 10 + x[0];
    for (int i = 0; i < data.length; i++) {
      for (int j = 0; j < x.length; j++) m = Math.min(Math.sin(data[i]) * x[j], m);
    }
    return m * m;
  }

  /**
   * A minimum whose initial value is never replaced (so its adjoint flows to that value), and a
   * maximum over a loop that never runs.
   */
  @Differentiable
  public static double neverSelected(double[] x, int n) {
    double low = -10 - x[0] * x[0];
    for (int i = 0; i < x.length; i++) low = Math.min(low, Math.cos(x[i]));
    double high = x[1] * 3;
    for (int i = n; i < n - 2; i++) high = Math.max(high, x[i % x.length]);
    return low * high + low;
  }
}
