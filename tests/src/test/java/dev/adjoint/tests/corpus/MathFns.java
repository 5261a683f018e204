package dev.adjoint.tests.corpus;

import static java.lang.Math.cbrt;
import static java.lang.Math.hypot;

import dev.adjoint.Differentiable;

/** Every java.lang.Math function with a derivative, through the runtime's rules. */
public final class MathFns {
  private MathFns() {}

  @Differentiable
  public static double trig(double x) {
    return Math.sin(x) * Math.cos(2 * x) + Math.tan(x / 3);
  }

  @Differentiable
  public static double inverseTrig(double x) {
    return Math.asin(x / 2) + Math.acos(x / 3) * Math.atan(x);
  }

  @Differentiable
  public static double atan2(double y, double x) {
    return Math.atan2(y, x);
  }

  @Differentiable
  public static double hyperbolic(double x) {
    return Math.sinh(x) - Math.cosh(x / 2) + Math.tanh(3 * x);
  }

  @Differentiable
  public static double exponentials(double x) {
    return Math.exp(x) + Math.expm1(x / 2) + Math.log(1 + x * x) + Math.log1p(x * x)
        + Math.log10(2 + x * x);
  }

  @Differentiable
  public static double roots(double x) {
    return Math.sqrt(1 + x * x) + cbrt(x);
  }

  @Differentiable
  public static double powAndHypot(double a, double b) {
    return Math.pow(a, b) + hypot(a, b);
  }

  @Differentiable
  public static double absMaxMin(double x, double y) {
    return Math.abs(x - y) + Math.max(x * y, y) - Math.min(x, 2 * y);
  }

  @Differentiable
  public static float floatOverloads(float x, float y) {
    return Math.abs(x) * Math.max(x, y) + Math.min(x, y) * Math.signum(y);
  }

  @Differentiable
  public static double piecewiseConstant(double x) {
    return Math.floor(x) * x + Math.ceil(x) + Math.round(x) * x + Math.signum(x) + Math.rint(x);
  }

  @Differentiable
  public static double constants(double x) {
    return Math.PI * x + Math.E;
  }
}
