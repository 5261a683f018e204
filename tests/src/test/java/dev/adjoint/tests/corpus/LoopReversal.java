package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/**
 * Loops whose reversal computes its trip count instead of recording it (counted loops: every
 * comparison, steps other than one, a long counter, bounds from lengths and expressions, loops
 * that run zero times, counters reused by two loops), loops that must still record it (a bound
 * that changes, a counter read after its loop), and loops whose reversal is skipped while no
 * adjoint reaches it (the inner loop of a running minimum or maximum, a branch that selects).
 * The corpus matrix checks each against central differences in float and double at orders one
 * to three.
 */
public final class LoopReversal {
  private LoopReversal() {}

  /** Up, up to, down, down to, with steps 1, 2, 3 and -2, and one loop that never runs. */
  @Differentiable
  public static double countedForms(double[] x, int n) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i] * Math.sin(s + x[i]);
    for (int i = 1; i <= n; i += 2) s += s * x[i % x.length];
    for (int i = x.length - 1; i >= 0; i -= 2) s = s * 0.5 + x[i] * x[i];
    for (int i = x.length + n; i > n; i -= 3) s += Math.cos(s * x[i % x.length]);
    for (int i = n; i < n - 5; i++) s += 100 * x[0];
    return s;
  }

  /** A long counter, and a loop nest whose inner bound is the product of two parameters. */
  @Differentiable
  public static double longCounter(double[] x, long m, int n) {
    double s = 0;
    for (long i = 0; i < m; i++) {
      for (int j = 0; j < n * x.length; j += 2) s += Math.tanh(s - x[j % x.length] * i);
    }
    return s;
  }

  /**
   * Triangular nests: an inner bound that is the outer counter ({@code j < i}, {@code j = i + 1}),
   * counted all the same, the outer counter set for each reversed iteration; and one whose
   * outer counter is stepped before the inner loop, which keeps the taped count.
   */
  @Differentiable
  public static double triangular(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < i; j++) s += x[i] * x[j] * Math.exp(-s);
    }
    for (int i = 0; i < x.length; i++) {
      for (int j = i + 1; j < x.length; j++) s += Math.sin(x[i] - x[j] * s);
    }
    for (int i = 0; i < x.length; i++) { // i read only by the inner loop's bound
      for (int j = 0; j < i; j++) s = s * 0.5 + x[j] * Math.sin(s);
    }
    int i = 0;
    while (i < x.length) {
      i++;
      for (int j = i; j < x.length; j++) s = s * 0.9 + x[j] * x[i - 1];
    }
    return s;
  }

  /**
   * A local array written once per iteration and read many times after (GradBench's gmm centres
   * a point, then reads the centred coordinates in a triangular product): the reverse sweep
   * restores its elements instead of recording each value loaded, including across a branch and
   * a second write of one element.
   */
  @Differentiable
  public static double restoredArray(double[] x, double[] mu, int d) {
    double[] xc = new double[d];
    double total = 0;
    for (int k = 0; k < mu.length / d; k++) {
      for (int i = 0; i < d; i++) xc[i] = x[i] - mu[k * d + i];
      double sq = 0;
      for (int i = 0; i < d; i++) {
        for (int j = i + 1; j < d; j++) sq += xc[i] * xc[j] * Math.cos(xc[j]);
      }
      if (sq > 0) xc[0] = xc[0] * sq;
      for (int i = 0; i < d; i++) total += Math.exp(-xc[i] * xc[i]) * sq;
    }
    return total;
  }

  /** The counter read after its loop, and a counter stepped in a branch: both recorded. */
  @Differentiable
  public static double counterReadAfter(double[] x) {
    int i;
    double s = 1;
    for (i = 0; i < x.length && s < 5; i++) s *= 1 + x[i];
    s += i * x[0];
    int k = 0;
    while (k < x.length) {
      s += x[k] * s;
      if (s > 0) {
        k += 1;
      } else {
        k += 2;
      }
    }
    return s;
  }

  /** k-means' cost: the inner loop's reversal runs only for the closest centroid. */
  @Differentiable
  public static double closest(double[] x, double[] c) {
    double cost = 0;
    for (int i = 0; i < x.length; i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int j = 0; j < c.length; j++) {
        double dist = 0;
        for (int l = 0; l < 2; l++) {
          double t = x[(i + l) % x.length] - c[j] * (l + 1);
          dist += t * t;
        }
        best = Math.min(best, dist);
      }
      cost += best * best;
    }
    return cost;
  }

  /** A running maximum kept with a branch; the adjoint reaches the loop only when it is taken. */
  @Differentiable
  public static double branchMax(double[] x) {
    double best = -1e9;
    double w = 0;
    for (int j = 0; j < x.length; j++) {
      double v = 0;
      for (int l = 0; l < x.length; l++) v += Math.sin(x[l] * (j + 1)) * x[j];
      if (v > best) {
        best = v;
        w = x[j];
      }
    }
    return best * w;
  }

  /**
   * Two adjoints flow into the inner loop's reversal (the sum and the product it carries), one
   * of them zero whenever {@code s} is not selected; the reversal pops what the loop overwrote,
   * so it runs always.
   */
  @Differentiable
  public static double twoCarried(double[] x) {
    double out = 0;
    for (int i = 0; i < x.length; i++) {
      double s = 0;
      double p = 1;
      for (int l = 0; l < x.length; l++) {
        s += x[l] * x[i];
        p *= 1 + 0.1 * x[l] * s;
      }
      out += Math.max(s, 0.5) + p;
    }
    return out;
  }

  /**
   * (|x|^2 - 1)^3: on the unit sphere the adjoint reaching the loop is zero while its tangent
   * is not, so a Hessian-vector product or a third derivative that skipped the loop's reversal
   * on the adjoint alone would be wrong.
   */
  @Differentiable
  public static double sphereCubed(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i] * x[i];
    double y = s - 1;
    return y * y * y;
  }

  /** The gradient of {@link #sphereCubed} along {@code v}: its HVP is a third derivative. */
  @Differentiable
  public static double sphereCubedSlope(double[] x, @dev.adjoint.NoDerivative double[] v) {
    double[] g = LoopReversalDerivatives.sphereCubedGrad(x);
    double d = 0;
    for (int i = 0; i < x.length; i++) d += g[i] * v[i];
    return d;
  }
}
