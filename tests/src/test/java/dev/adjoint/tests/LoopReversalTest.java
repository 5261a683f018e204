package dev.adjoint.tests;

import static dev.adjoint.tests.Check.close;

import dev.adjoint.tests.corpus.LoopReversalDerivatives;
import org.junit.jupiter.api.Test;

/**
 * Reversals of loops skipped while no adjoint reaches them must still run while the adjoints'
 * tangents are nonzero. {@code f(x) = (|x|^2 - 1)^3} on the unit sphere: the gradient and the
 * Hessian are zero there (the adjoint reaching the loop, 3 (s - 1)^2, is zero), but the third
 * derivative is {@code 48 x_a x_b x_c}; and a VJP with a zero cotangent has zero adjoints
 * everywhere but a tangent that is the gradient. Closed forms, so a reversal skipped on the
 * adjoint alone fails here.
 */
class LoopReversalTest {
  private static final double[] X = unit(new double[] {0.3, -0.5, 0.7, 0.2});
  private static final double[] V = {0.4, 0.1, -0.6, 0.9};
  private static final double[] W = {-0.2, 0.8, 0.5, 0.3};

  private static double[] unit(double[] x) {
    double n = Math.sqrt(dot(x, x));
    double[] u = new double[x.length];
    for (int i = 0; i < x.length; i++) u[i] = x[i] / n;
    return u;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  @Test
  void gradientAndHessianVanishOnTheSphere() {
    double[] g = LoopReversalDerivatives.sphereCubedGrad(X);
    double[] h = LoopReversalDerivatives.sphereCubedHvp(X, V);
    for (int a = 0; a < X.length; a++) {
      close(0, g[a], 1e-14, "gradient[" + a + "]");
      close(0, h[a], 1e-14, "Hessian times v [" + a + "]");
    }
  }

  @Test
  void thirdDerivativeThroughTheSkippedLoop() {
    // the HVP of x -> <grad f(x), v> along w is D^3 f [v, w] = 48 x (x.v) (x.w)
    double[] t = LoopReversalDerivatives.sphereCubedSlopeHvp(X, V, W);
    for (int a = 0; a < X.length; a++) {
      close(48 * X[a] * dot(X, V) * dot(X, W), t[a], 1e-12, "third derivative [" + a + "]");
    }
  }

  @Test
  void hessianVectorProductWhereTheAdjointIsZero() {
    // the VJP with cotangent 0 is zero, and its tangent along (v, cotangent 1) is the VJP with
    // cotangent 1, the gradient: every adjoint reaching the loop is zero, their tangents are not
    var dual = LoopReversalDerivatives.sphereCubedVjpJvp(unitScaled(1.1), 0.0, V, 1.0);
    double[] expected = gradient(unitScaled(1.1));
    for (int a = 0; a < X.length; a++) {
      close(0, dual.value()[a], 0, "VJP with a zero cotangent [" + a + "]");
      close(expected[a], dual.tangent()[a], 1e-12, "its tangent along the cotangent [" + a + "]");
    }
  }

  private static double[] unitScaled(double r) {
    double[] x = new double[X.length];
    for (int i = 0; i < x.length; i++) x[i] = X[i] * r;
    return x;
  }

  /** grad (s - 1)^3 = 6 (s - 1)^2 x. */
  private static double[] gradient(double[] x) {
    double s = dot(x, x);
    double[] g = new double[x.length];
    for (int i = 0; i < x.length; i++) g[i] = 6 * (s - 1) * (s - 1) * x[i];
    return g;
  }
}
