package dev.adjoint.tests;

import dev.adjoint.ad.GradCheck;
import java.util.Random;

/**
 * One differentiable function under test, seen as a scalar function of a flat vector, with its
 * generated derivatives adapted to the same view. {@link #check} compares each derivative
 * with an independent one: the gradient and the JVP with central differences of the primal, the
 * VJP with the JVP by the dot-product test, the HVP with central differences of the gradient
 * and with the symmetry of the Hessian.
 */
public final class Case {
  private final String name;
  private final GradCheck.Scalar f;
  private GradCheck.Vector grad;
  private GradCheck.Scalar jvpValue;
  private GradCheck.Jvp jvp;
  private GradCheck.Vjp vjp;
  private GradCheck.Jvp hvp;
  private GradCheck.Scalar valueOfValueAndGrad;
  private double tolerance = Check.FD;

  private Case(String name, GradCheck.Scalar f) {
    this.name = name;
    this.f = f;
  }

  public static Case of(String name, GradCheck.Scalar f) {
    return new Case(name, f);
  }

  public Case grad(GradCheck.Vector g) {
    this.grad = g;
    return this;
  }

  /** {@code (x, v) -> tangent}; {@code value} gives the JVP's value, checked against f. */
  public Case jvp(GradCheck.Jvp jvp) {
    this.jvp = jvp;
    return this;
  }

  public Case jvpValue(GradCheck.Scalar value) {
    this.jvpValue = value;
    return this;
  }

  /** {@code (x, u) -> gradient of <u, f(x)>}. */
  public Case vjp(GradCheck.Vjp vjp) {
    this.vjp = vjp;
    return this;
  }

  public Case hvp(GradCheck.Jvp hvp) {
    this.hvp = hvp;
    return this;
  }

  public Case valueAndGrad(GradCheck.Scalar value) {
    this.valueOfValueAndGrad = value;
    return this;
  }

  public Case tolerance(double t) {
    this.tolerance = t;
    return this;
  }

  /** Runs every check at each point. */
  public void check(double[]... points) {
    for (double[] x : points) checkAt(x);
  }

  private void checkAt(double[] x) {
    String at = name + " at " + java.util.Arrays.toString(x) + ": ";
    try {
      double fx = f.apply(x);
      if (grad != null) GradCheck.checkGradient(f, grad, x, tolerance);
      GradCheck.Vector fv = p -> new double[] {f.apply(p)};
      if (jvp != null) GradCheck.checkJvp(fv, jvp, x, tolerance, 7);
      if (jvpValue != null) Check.close(fx, jvpValue.apply(x), 1e-12, "JVP's value");
      if (valueOfValueAndGrad != null) {
        Check.close(fx, valueOfValueAndGrad.apply(x), 1e-12, "valueAndGrad's value");
      }
      if (jvp != null && vjp != null) {
        GradCheck.checkDotProduct(jvp, vjp, x, 1, Check.DOT, 11);
      }
      if (grad != null && vjp != null) {
        double[] g = grad.apply(x);
        double[] v = vjp.apply(x, new double[] {1});
        if (GradCheck.maxError(g, v) > 1e-12) throw new AssertionError("grad != vjp(1)");
      }
      if (hvp != null && grad != null) {
        GradCheck.checkJvp(grad, hvp, x, Math.max(tolerance, 1e-5), 13);
        Random r = new Random(17);
        double[] v = GradCheck.gaussian(r, x.length);
        double[] w = GradCheck.gaussian(r, x.length);
        double left = GradCheck.dot(hvp.apply(x, v), w);
        double right = GradCheck.dot(v, hvp.apply(x, w));
        Check.close(left, right, 1e-9, "Hessian symmetry");
      }
    } catch (AssertionError e) {
      AssertionError wrapped = new AssertionError(at + e.getMessage());
      wrapped.initCause(e);
      throw wrapped;
    }
  }

  public static double[] v(double... xs) {
    return xs;
  }
}
