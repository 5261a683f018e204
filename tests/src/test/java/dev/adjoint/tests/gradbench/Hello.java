package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import java.util.function.Supplier;

/** GradBench's {@code hello}: {@code square} and its derivative, {@code double}. */
public final class Hello implements Eval {
  @Differentiable
  public static double square(double x) {
    return x * x;
  }

  @Override
  public Supplier<Object> prepare(String function, Object input) {
    double x = ((Number) input).doubleValue();
    switch (function) {
      case "square": return () -> square(x);
      case "double": return () -> HelloDerivatives.squareGrad(x);
      default: return null;
    }
  }
}
