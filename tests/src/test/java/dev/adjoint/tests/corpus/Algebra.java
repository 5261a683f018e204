package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/**
 * Functions whose forward-mode code the processor simplifies: products of values that are
 * multiples of each other, terms that cancel, common factors, integer factors, tangents summed
 * in loops with a common constant (kept divided by it), and the cases where that must not
 * happen (the sum read inside its loop, constants that differ). The corpus matrix checks each
 * against central differences in float and double at orders one to three.
 */
public final class Algebra {
  private Algebra() {}

  /** u = 4 x, and u * x: the product rule's two terms are one (2 u xDot). */
  @Differentiable
  public static double relatedProducts(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double u = 4 * x[i];
      double w = -0.5 * u;
      s += u * x[i] + w * u - x[i] * w;
    }
    return s;
  }

  /** x y - y x + x: the tangent's y terms cancel. */
  @Differentiable
  public static double cancels(double x, double y) {
    double p = x * y;
    double q = y * x;
    return p - q + x * Math.exp(y - y);
  }

  /** Common primal factors and common tangents: p (a xDot + b yDot) and (a - b) xDot. */
  @Differentiable
  public static double commonFactors(double x, double y, double z) {
    double a = x * y;
    double b = a * z - x * z;
    double c = b * y + a * y * z;
    return c - a * b / (1 + z * z);
  }

  /** An int squared past Integer.MAX_VALUE multiplies the tangent in floating point only. */
  @Differentiable
  public static double integerFactors(double x, int n) {
    int m = 50000 + n;
    double s = x * m * m;
    for (int k = 1; k <= n; k++) s += x * k * x * m;
    return s * 1e-9;
  }

  /** A sum of squares: its tangent is summed without the common 2 and doubled after the loop. */
  @Differentiable
  public static double sumOfSquares(double[] x) {
    double s = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double r = x[i + 1] - x[i] * x[i];
      s += r * r;
      s -= x[i] * x[i];
    }
    return s + Math.sin(s);
  }

  /** The inner sum is rescaled (read only outside its loop), the outer one is not. */
  @Differentiable
  public static double nestedSums(double[] x) {
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      double r = 0;
      for (int j = 0; j < x.length; j++) r += x[j] * x[j];
      total += r * x[i];
    }
    return total;
  }

  /** The sum is read inside its own loop: it must not be rescaled. */
  @Differentiable
  public static double sumReadInLoop(double[] x) {
    double s = 0;
    double t = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * x[i];
      t += s * x[i];
    }
    return t + s;
  }

  /** Constants that differ between branches (2, and 3 and 3): no common factor to take out. */
  @Differentiable
  public static double mixedConstants(double[] x, double limit) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > limit) {
        s += x[i] * x[i];
      } else {
        s += 3 * x[i] - x[i] * x[i] * x[i];
      }
    }
    return s * s;
  }

  /** Divisions: the quotient's tangent stays one term, simplified inside. */
  @Differentiable
  public static double quotients(double x, double y) {
    double q = x / (1 + y * y);
    double r = q * y + q * q;
    return r / (2 + x * x) - 3 * q * 2 * q;
  }
}
