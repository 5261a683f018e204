package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GradBench's {@code llsq}: the least-squares misfit of a polynomial with coefficients {@code x}
 * to the sign function sampled at {@code n} points of [-1, 1], and its gradient.
 */
public final class Llsq implements Eval {
  @Differentiable
  public static double llsq(double[] x, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double ti = -1 + i * 2.0 / (n - 1);
      double inner = Math.signum(ti);
      double mul = 1;
      for (int j = 0; j < x.length; j++) {
        inner -= x[j] * mul;
        mul *= ti;
      }
      sum += inner * inner;
    }
    return sum / 2;
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    Map<String, Object> input = Json.object(message);
    double[] x = Json.doubles(input.get("x"));
    int n = Json.integer(input.get("n"));
    switch (function) {
      case "primal": return () -> llsq(x, n);
      case "gradient": return () -> LlsqDerivatives.llsqGrad(x, n);
      default: return null;
    }
  }
}
