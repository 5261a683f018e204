package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/** A second class, so that calls between classes are exercised. */
public final class Helpers {
  private Helpers() {}

  @Differentiable
  public static double cube(double x) {
    return x * x * x;
  }
}
