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
}
