package dev.adjoint.ad;

import java.util.Random;

/**
 * Checks derivatives the way JAX's {@code check_grads} does: a gradient against central finite
 * differences in {@code double}, and forward mode against reverse mode with the dot-product test
 * {@code <J v, u> = <v, J^T u>} for random v and u. Users call it on their own functions; every
 * derivative test of Adjoint uses it.
 *
 * <p>Errors are relative: {@code |a - b| / max(1, |a|, |b|)}.
 */
public final class GradCheck {
  private GradCheck() {}

  /** A scalar function of a vector. */
  @FunctionalInterface
  public interface Scalar {
    /** The value at {@code x}. */
    double apply(double[] x);
  }

  /** A vector function of a vector. */
  @FunctionalInterface
  public interface Vector {
    /** The value at {@code x}. */
    double[] apply(double[] x);
  }

  /** {@code (x, v) -> J(x) v}. */
  @FunctionalInterface
  public interface Jvp {
    /** The Jacobian at {@code x} times {@code v}. */
    double[] apply(double[] x, double[] v);
  }

  /** {@code (x, u) -> J(x)^T u}. */
  @FunctionalInterface
  public interface Vjp {
    /** The transposed Jacobian at {@code x} times {@code u}. */
    double[] apply(double[] x, double[] u);
  }

  /** Thrown when a derivative does not match its check. */
  public static final class Mismatch extends AssertionError {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message);
    }
  }

  /** The step that balances truncation and rounding error of central differences in double. */
  public static final double STEP = 1e-6;

  /** Central finite-difference gradient of {@code f} at {@code x}. */
  public static double[] numericGradient(Scalar f, double[] x) {
    double[] g = new double[x.length];
    double[] p = x.clone();
    for (int i = 0; i < x.length; i++) {
      double h = STEP * Math.max(1, Math.abs(x[i]));
      p[i] = x[i] + h;
      double up = f.apply(p);
      p[i] = x[i] - h;
      double down = f.apply(p);
      p[i] = x[i];
      g[i] = (up - down) / (2 * h);
    }
    return g;
  }

  /** Central finite-difference directional derivative {@code J(x) v}. */
  public static double[] numericJvp(Vector f, double[] x, double[] v) {
    double h = STEP * Math.max(1, norm(x)) / Math.max(1e-300, norm(v));
    double[] up = f.apply(axpy(h, v, x));
    double[] down = f.apply(axpy(-h, v, x));
    double[] out = new double[up.length];
    for (int i = 0; i < out.length; i++) out[i] = (up[i] - down[i]) / (2 * h);
    return out;
  }

  /** Largest relative error between two vectors. */
  public static double maxError(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new Mismatch("lengths differ: " + a.length + " and " + b.length);
    }
    double worst = 0;
    for (int i = 0; i < a.length; i++) worst = Math.max(worst, error(a[i], b[i]));
    return worst;
  }

  /**
   * The relative error {@code |a - b| / max(1, |a|, |b|)}: 0 when equal (infinities and two NaNs
   * included), infinite when only one is NaN or infinite, so that a comparison {@code error > tol}
   * cannot pass a wrong infinity or NaN (whose quotient would be NaN).
   */
  public static double error(double a, double b) {
    if (a == b || Double.isNaN(a) && Double.isNaN(b)) return 0;
    if (!Double.isFinite(a) || !Double.isFinite(b)) return Double.POSITIVE_INFINITY;
    return Math.abs(a - b) / Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
  }

  /** Checks {@code gradient} against central differences of {@code f}; returns the error. */
  public static double checkGradient(Scalar f, Vector gradient, double[] x, double tolerance) {
    double[] expected = numericGradient(f, x);
    double[] actual = gradient.apply(x);
    double err = maxError(actual, expected);
    if (!(err <= tolerance)) {
      throw new Mismatch("gradient differs from central differences by " + err + " (tolerance "
          + tolerance + ")\n  gradient:    " + java.util.Arrays.toString(actual)
          + "\n  differences: " + java.util.Arrays.toString(expected));
    }
    return err;
  }

  /** Checks a JVP against central differences of {@code f} along random directions. */
  public static double checkJvp(Vector f, Jvp jvp, double[] x, double tolerance, long seed) {
    Random r = new Random(seed);
    double worst = 0;
    for (int trial = 0; trial < 3; trial++) {
      double[] v = gaussian(r, x.length);
      double[] expected = numericJvp(f, x, v);
      double[] actual = jvp.apply(x, v);
      double err = maxError(actual, expected);
      if (!(err <= tolerance)) {
        throw new Mismatch("JVP differs from central differences by " + err + " along "
            + java.util.Arrays.toString(v) + "\n  jvp:         "
            + java.util.Arrays.toString(actual) + "\n  differences: "
            + java.util.Arrays.toString(expected));
      }
      worst = Math.max(worst, err);
    }
    return worst;
  }

  /**
   * The dot-product test: {@code <jvp(x, v), u>} must equal {@code <v, vjp(x, u)>} for random v
   * and u, which holds exactly (up to rounding) when the two are transposes of each other.
   */
  public static double checkDotProduct(Jvp jvp, Vjp vjp, double[] x, int outputs,
      double tolerance, long seed) {
    Random r = new Random(seed);
    double worst = 0;
    for (int trial = 0; trial < 3; trial++) {
      double[] v = gaussian(r, x.length);
      double[] u = gaussian(r, outputs);
      double left = dot(jvp.apply(x, v), u);
      double right = dot(v, vjp.apply(x, u));
      double err = error(left, right);
      if (!(err <= tolerance)) {
        throw new Mismatch("dot-product test failed: <J v, u> = " + left + " but <v, J^T u> = "
            + right + " (relative error " + err + ")");
      }
      worst = Math.max(worst, err);
    }
    return worst;
  }

  /** {@code n} standard normal samples: random directions for the checks. */
  public static double[] gaussian(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
    return v;
  }

  /** The dot product; arrays of different lengths are a {@link Mismatch}. */
  public static double dot(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new Mismatch("lengths differ: " + a.length + " and " + b.length);
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static double[] axpy(double a, double[] x, double[] y) {
    double[] out = y.clone();
    for (int i = 0; i < out.length; i++) out[i] += a * x[i];
    return out;
  }
}
