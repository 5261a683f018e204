package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/** Differentiable methods that call generated derivatives: derivatives of any order. */
public final class HigherOrder {
  private HigherOrder() {}

  @Differentiable
  public static double f(double x) {
    return Math.sin(x) * x * x;
  }

  /** f'(x), so that its gradient is f''. */
  @Differentiable
  public static double df(double x) {
    return HigherOrderDerivatives.fGrad(x);
  }

  /** f''(x), so that its gradient is f'''. */
  @Differentiable
  public static double d2f(double x) {
    return HigherOrderDerivatives.dfGrad(x);
  }

  @Differentiable
  public static double g(double x, double y) {
    double s = 0;
    for (int i = 1; i <= 3; i++) {
      s += Math.exp(x * y / i) + x * x * y;
    }
    return s;
  }

  /** A gradient penalty, |grad g|^2, as in WGAN-GP: needs second derivatives of g. */
  @Differentiable
  public static double gradPenalty(double x, double y) {
    HigherOrderDerivatives.GGrad grad = HigherOrderDerivatives.gGrad(x, y);
    return grad.x() * grad.x() + grad.y() * grad.y();
  }

  /** A directional derivative inside a differentiable method. */
  @Differentiable
  public static double jvpInside(double x) {
    return HigherOrderDerivatives.fJvp(x, 1.0).tangent() * x;
  }

  /** Gradients of the elements of an array, summed. */
  @Differentiable
  public static double sumOfSlopes(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += HigherOrderDerivatives.fGrad(x) * x;
    }
    return s;
  }
}
