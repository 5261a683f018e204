package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GradBench's {@code ode}: {@code s} Runge-Kutta steps of {@code y0' = x0},
 * {@code yi' = xi y(i-1)} from zero to t = 2, and the gradient of the last component of the
 * solution. Written as the C++ reference writes it, with the right-hand side as a helper.
 */
public final class Ode implements Eval {
  /** The right-hand side: z0 = x0, zi = xi y(i-1). */
  @Differentiable
  public static double[] rhs(double[] x, double[] y) {
    double[] z = new double[x.length];
    z[0] = x[0];
    for (int i = 1; i < x.length; i++) {
      z[i] = x[i] * y[i - 1];
    }
    return z;
  }

  @Differentiable
  public static double[] primal(double[] x, int s) {
    int n = x.length;
    double h = 2.0 / s;
    double[] yf = new double[n];
    double[] tmp = new double[n];
    for (int step = 0; step < s; step++) {
      double[] k1 = rhs(x, yf);
      for (int i = 0; i < n; i++) {
        tmp[i] = yf[i] + h * k1[i] / 2;
      }
      double[] k2 = rhs(x, tmp);
      for (int i = 0; i < n; i++) {
        tmp[i] = yf[i] + h * k2[i] / 2;
      }
      double[] k3 = rhs(x, tmp);
      for (int i = 0; i < n; i++) {
        tmp[i] = yf[i] + h * k3[i];
      }
      double[] k4 = rhs(x, tmp);
      for (int i = 0; i < n; i++) {
        yf[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
      }
    }
    return yf;
  }

  /** What the eval differentiates: the last component of the solution. */
  @Differentiable
  public static double last(double[] x, int s) {
    double[] y = primal(x, s);
    return y[y.length - 1];
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    Map<String, Object> input = Json.object(message);
    double[] x = Json.doubles(input.get("x"));
    int s = Json.integer(input.get("s"));
    switch (function) {
      case "primal": return () -> primal(x, s);
      case "gradient": return () -> OdeDerivatives.lastGrad(x, s);
      default: return null;
    }
  }
}
