package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/** Straight-line scalar functions. */
public final class Scalars {
  private Scalars() {}

  @Differentiable
  public static double rosenbrock2(double x, double y) {
    double a = 1 - x;
    double b = y - x * x;
    return a * a + 100 * b * b;
  }

  @Differentiable
  public static double quotient(double x, double y) {
    return (x * y + 3) / (y * y + 1) - x / 7;
  }

  @Differentiable
  public static double negAndMix(double x, int n) {
    return -x * n + x / n - 2 * -x;
  }

  @Differentiable
  public static double reassign(double x) {
    double y = x;
    y = y * y;
    y = y * x + 1;
    y += x;
    y *= y;
    y -= 3 * x;
    y /= 1 + x * x;
    return y;
  }

  @Differentiable
  public static double usesVar(double x) {
    var s = x * 2;
    var t = s * s;
    return t;
  }

  @Differentiable
  public static float floats(float x, float y) {
    float z = x * y + 2f;
    return z * z / (1f + y * y);
  }

  @Differentiable
  public static double mixed(float x, double y, long k) {
    double z = x * y;
    float w = (float) (z + x);
    return w * k + (double) x * y;
  }

  @Differentiable
  public static double ternary(double x, double y) {
    return x > y ? x * x * y : y * y - x;
  }

  @Differentiable
  public static double intCast(double x) {
    int k = (int) (3 * x);
    return k * x + Math.floor(x) * x;
  }
}
