package dev.adjoint.ad;

import dev.adjoint.Differentiable;
import dev.adjoint.Jvp;

/**
 * Derivative rules of {@code java.lang.Math} and {@code StrictMath}, declared with the same
 * {@link Jvp} mechanism users have. Each rule is {@code (arguments..., out, tangent)}: linear in
 * its last parameter, free to reuse {@code out} (the function's value) where that is cheaper.
 * For scalar functions the transpose of a rule is the rule itself, so one rule serves forward
 * and reverse mode.
 *
 * <p>Every rule is itself {@link Differentiable} and written only with differentiable calls, so
 * derivatives of any order go through it.
 */
public final class MathRules {
  private MathRules() {}

  private static final double LN10 = 2.302585092994046;

  @Differentiable
  @Jvp(of = "sin", wrt = "a", in = {Math.class, StrictMath.class})
  public static double sinJvp(double a, double out, double ta) {
    return ta * Math.cos(a);
  }

  @Differentiable
  @Jvp(of = "cos", wrt = "a", in = {Math.class, StrictMath.class})
  public static double cosJvp(double a, double out, double ta) {
    return -ta * Math.sin(a);
  }

  @Differentiable
  @Jvp(of = "tan", wrt = "a", in = {Math.class, StrictMath.class})
  public static double tanJvp(double a, double out, double ta) {
    return ta * (1 + out * out);
  }

  @Differentiable
  @Jvp(of = "asin", wrt = "a", in = {Math.class, StrictMath.class})
  public static double asinJvp(double a, double out, double ta) {
    return ta / Math.sqrt(1 - a * a);
  }

  @Differentiable
  @Jvp(of = "acos", wrt = "a", in = {Math.class, StrictMath.class})
  public static double acosJvp(double a, double out, double ta) {
    return -ta / Math.sqrt(1 - a * a);
  }

  @Differentiable
  @Jvp(of = "atan", wrt = "a", in = {Math.class, StrictMath.class})
  public static double atanJvp(double a, double out, double ta) {
    return ta / (1 + a * a);
  }

  @Differentiable
  @Jvp(of = "atan2", wrt = "y", in = {Math.class, StrictMath.class})
  public static double atan2JvpY(double y, double x, double out, double ty) {
    return ty * x / (x * x + y * y);
  }

  @Differentiable
  @Jvp(of = "atan2", wrt = "x", in = {Math.class, StrictMath.class})
  public static double atan2JvpX(double y, double x, double out, double tx) {
    return -tx * y / (x * x + y * y);
  }

  @Differentiable
  @Jvp(of = "sinh", wrt = "a", in = {Math.class, StrictMath.class})
  public static double sinhJvp(double a, double out, double ta) {
    return ta * Math.cosh(a);
  }

  @Differentiable
  @Jvp(of = "cosh", wrt = "a", in = {Math.class, StrictMath.class})
  public static double coshJvp(double a, double out, double ta) {
    return ta * Math.sinh(a);
  }

  @Differentiable
  @Jvp(of = "tanh", wrt = "a", in = {Math.class, StrictMath.class})
  public static double tanhJvp(double a, double out, double ta) {
    return ta * (1 - out * out);
  }

  @Differentiable
  @Jvp(of = "exp", wrt = "a", in = {Math.class, StrictMath.class})
  public static double expJvp(double a, double out, double ta) {
    return ta * out;
  }

  @Differentiable
  @Jvp(of = "expm1", wrt = "x", in = {Math.class, StrictMath.class})
  public static double expm1Jvp(double x, double out, double tx) {
    return tx * (out + 1);
  }

  @Differentiable
  @Jvp(of = "log", wrt = "a", in = {Math.class, StrictMath.class})
  public static double logJvp(double a, double out, double ta) {
    return ta / a;
  }

  @Differentiable
  @Jvp(of = "log1p", wrt = "x", in = {Math.class, StrictMath.class})
  public static double log1pJvp(double x, double out, double tx) {
    return tx / (1 + x);
  }

  @Differentiable
  @Jvp(of = "log10", wrt = "a", in = {Math.class, StrictMath.class})
  public static double log10Jvp(double a, double out, double ta) {
    return ta / (a * LN10);
  }

  @Differentiable
  @Jvp(of = "sqrt", wrt = "a", in = {Math.class, StrictMath.class})
  public static double sqrtJvp(double a, double out, double ta) {
    return ta / (2 * out);
  }

  @Differentiable
  @Jvp(of = "cbrt", wrt = "a", in = {Math.class, StrictMath.class})
  public static double cbrtJvp(double a, double out, double ta) {
    return ta / (3 * out * out);
  }

  @Differentiable
  @Jvp(of = "pow", wrt = "a", in = {Math.class, StrictMath.class})
  public static double powJvpA(double a, double b, double out, double ta) {
    // b * a^(b-1), written without dividing by a so that a = 0 stays finite; at b = 0 it is 0
    // (a^0 = 1 is constant), also at a = 0 where a^-1 is infinite (as PyTorch). Only that point
    // takes the branch: elsewhere b = 0 goes through the product, whose derivative in b
    // (a^-1, a mixed second derivative) a branch on b alone would lose.
    return b == 0 && a == 0 ? 0 : ta * b * Math.pow(a, b - 1);
  }

  @Differentiable
  @Jvp(of = "pow", wrt = "b", in = {Math.class, StrictMath.class})
  public static double powJvpB(double a, double b, double out, double tb) {
    // out * ln(a). Where out is 0 (a = 0, b > 0) the derivative is 0, as in PyTorch; a zero
    // tangent gives 0 even where ln(a) is undefined (a negative base, an integer exponent).
    return out == 0 || tb == 0 ? 0 : tb * out * Math.log(a);
  }

  @Differentiable
  @Jvp(of = "hypot", wrt = "x", in = {Math.class, StrictMath.class})
  public static double hypotJvpX(double x, double y, double out, double tx) {
    return tx * x / out;
  }

  @Differentiable
  @Jvp(of = "hypot", wrt = "y", in = {Math.class, StrictMath.class})
  public static double hypotJvpY(double x, double y, double out, double ty) {
    return ty * y / out;
  }

  @Differentiable
  @Jvp(of = "abs", wrt = "a", in = {Math.class, StrictMath.class})
  public static double absJvp(double a, double out, double ta) {
    return a < 0 ? -ta : a > 0 ? ta : 0; // sign(a) ta: 0 at a = 0, as PyTorch
  }

  @Differentiable
  @Jvp(of = "abs", wrt = "a", in = {Math.class, StrictMath.class})
  public static float absJvp(float a, float out, float ta) {
    return a < 0 ? -ta : a > 0 ? ta : 0;
  }

  // max and min: the derivative follows the argument that was chosen (the first one on ties).
  @Differentiable
  @Jvp(of = "max", wrt = "a", in = {Math.class, StrictMath.class})
  public static double maxJvpA(double a, double b, double out, double ta) {
    return a >= b ? ta : 0;
  }

  @Differentiable
  @Jvp(of = "max", wrt = "b", in = {Math.class, StrictMath.class})
  public static double maxJvpB(double a, double b, double out, double tb) {
    return a >= b ? 0 : tb;
  }

  @Differentiable
  @Jvp(of = "max", wrt = "a", in = {Math.class, StrictMath.class})
  public static float maxJvpA(float a, float b, float out, float ta) {
    return a >= b ? ta : 0;
  }

  @Differentiable
  @Jvp(of = "max", wrt = "b", in = {Math.class, StrictMath.class})
  public static float maxJvpB(float a, float b, float out, float tb) {
    return a >= b ? 0 : tb;
  }

  @Differentiable
  @Jvp(of = "min", wrt = "a", in = {Math.class, StrictMath.class})
  public static double minJvpA(double a, double b, double out, double ta) {
    return a <= b ? ta : 0;
  }

  @Differentiable
  @Jvp(of = "min", wrt = "b", in = {Math.class, StrictMath.class})
  public static double minJvpB(double a, double b, double out, double tb) {
    return a <= b ? 0 : tb;
  }

  @Differentiable
  @Jvp(of = "min", wrt = "a", in = {Math.class, StrictMath.class})
  public static float minJvpA(float a, float b, float out, float ta) {
    return a <= b ? ta : 0;
  }

  @Differentiable
  @Jvp(of = "min", wrt = "b", in = {Math.class, StrictMath.class})
  public static float minJvpB(float a, float b, float out, float tb) {
    return a <= b ? 0 : tb;
  }

  // Piecewise-constant functions: derivative zero wherever it exists.
  @Differentiable
  @Jvp(of = "floor", wrt = "a", in = {Math.class, StrictMath.class})
  public static double floorJvp(double a, double out, double ta) {
    return 0;
  }

  @Differentiable
  @Jvp(of = "ceil", wrt = "a", in = {Math.class, StrictMath.class})
  public static double ceilJvp(double a, double out, double ta) {
    return 0;
  }

  @Differentiable
  @Jvp(of = "rint", wrt = "a", in = {Math.class, StrictMath.class})
  public static double rintJvp(double a, double out, double ta) {
    return 0;
  }

  @Differentiable
  @Jvp(of = "signum", wrt = "d", in = {Math.class, StrictMath.class})
  public static double signumJvp(double d, double out, double td) {
    return 0;
  }

  @Differentiable
  @Jvp(of = "signum", wrt = "f", in = {Math.class, StrictMath.class})
  public static float signumJvp(float f, float out, float tf) {
    return 0;
  }

  // Linear maps and fused multiply-add.
  @Differentiable
  @Jvp(of = "toRadians", wrt = "a", in = {Math.class, StrictMath.class})
  public static double toRadiansJvp(double a, double out, double ta) {
    return ta * (Math.PI / 180);
  }

  @Differentiable
  @Jvp(of = "toDegrees", wrt = "a", in = {Math.class, StrictMath.class})
  public static double toDegreesJvp(double a, double out, double ta) {
    return ta * (180 / Math.PI);
  }

  @Differentiable
  @Jvp(of = "fma", wrt = "a", in = {Math.class, StrictMath.class})
  public static double fmaJvpA(double a, double b, double c, double out, double ta) {
    return ta * b;
  }

  @Differentiable
  @Jvp(of = "fma", wrt = "b", in = {Math.class, StrictMath.class})
  public static double fmaJvpB(double a, double b, double c, double out, double tb) {
    return a * tb;
  }

  @Differentiable
  @Jvp(of = "fma", wrt = "c", in = {Math.class, StrictMath.class})
  public static double fmaJvpC(double a, double b, double c, double out, double tc) {
    return tc;
  }

  @Differentiable
  @Jvp(of = "fma", wrt = "a", in = {Math.class, StrictMath.class})
  public static float fmaJvpA(float a, float b, float c, float out, float ta) {
    return ta * b;
  }

  @Differentiable
  @Jvp(of = "fma", wrt = "b", in = {Math.class, StrictMath.class})
  public static float fmaJvpB(float a, float b, float c, float out, float tb) {
    return a * tb;
  }

  @Differentiable
  @Jvp(of = "fma", wrt = "c", in = {Math.class, StrictMath.class})
  public static float fmaJvpC(float a, float b, float c, float out, float tc) {
    return tc;
  }
}
