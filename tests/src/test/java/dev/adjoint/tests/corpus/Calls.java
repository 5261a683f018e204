package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.Jvp;
import dev.adjoint.NoDerivative;
import dev.adjoint.Vjp;

/** Calls to other differentiable methods, recursion, and custom rules. */
public final class Calls {
  private Calls() {}

  @Differentiable
  public static double square(double x) {
    return x * x;
  }

  @Differentiable
  public static double usesSquare(double x, double y) {
    return square(x + y) * Helpers.cube(y) + square(square(x));
  }

  @Differentiable
  public static double factorialLike(double x, int n) {
    if (n <= 1) {
      return x;
    }
    return x * factorialLike(x - 0.1, n - 1);
  }

  @Differentiable
  public static double arrayCall(double[] x) {
    return Arrays1.dot(x, x) + Arrays1.sumOfSquares(x);
  }

  static double softplus(double x) {
    return Math.log1p(Math.exp(x));
  }

  @Jvp(of = "softplus", wrt = "x")
  static double softplusJvp(double x, double out, double tx) {
    return tx / (1 + Math.exp(-x));
  }

  @Vjp(of = "softplus", wrt = "x")
  static double softplusVjp(double x, double out, double cotangent) {
    return cotangent / (1 + Math.exp(-x));
  }

  @Differentiable
  public static double usesRule(double x) {
    return softplus(x * x) * 2;
  }

  @Differentiable(wrt = "x")
  public static double onlyX(double x, double y) {
    return x * y * y;
  }

  @Differentiable
  public static double noDerivative(double x, @NoDerivative double scale) {
    return Math.sin(x) * scale;
  }

  @Differentiable
  public static double callsNarrowed(double x, double y) {
    return onlyX(x * y, 3) + noDerivative(y, 2);
  }

  @Differentiable
  public static double viaStrictMath(double x) {
    return StrictMath.exp(StrictMath.sin(x));
  }

  /** Overloads: the second one's gradient record is numbered (SumGrad, SumGrad2). */
  @Differentiable
  public static double sum(double x, double y) {
    return x * y + y;
  }

  @Differentiable
  public static double sum(double x, double y, double z) {
    return x * y * z;
  }

  /** A helper reading three elements of a big array at an offset (how C++ passes &a[off]). */
  @Differentiable
  static double dot3(double[] a, int off, double[] b) {
    return a[off] * b[0] + a[off + 1] * b[1] + a[off + 2] * b[2];
  }

  /**
   * Issue 9's reproducer: each call's backward adds into the caller's adjoint arrays of
   * {@code a} (a parameter) and {@code b} (a local computed from it).
   */
  @Differentiable
  public static double dotsAtOffsets(double[] a) {
    double[] b = {a[0] * a[1], 2.0, -1.0};
    double s = 0;
    for (int i = 0; i + 3 <= a.length; i += 3) {
      s += dot3(a, i, b) * a[i];
    }
    return s;
  }
}

