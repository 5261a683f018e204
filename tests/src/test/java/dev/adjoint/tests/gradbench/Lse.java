package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import java.util.Map;
import java.util.function.Supplier;

/** GradBench's {@code lse}: log-sum-exp of a vector, shifted by its maximum, and its gradient. */
public final class Lse implements Eval {
  @Differentiable
  public static double lse(double[] x) {
    double a = x[0];
    for (int i = 1; i < x.length; i++) {
      a = Math.max(a, x[i]);
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += Math.exp(x[i] - a);
    }
    return Math.log(s) + a;
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    Map<String, Object> input = Json.object(message);
    double[] x = Json.doubles(input.get("x"));
    switch (function) {
      case "primal": return () -> lse(x);
      case "gradient": return () -> LseDerivatives.lseGrad(x);
      default: return null;
    }
  }
}
