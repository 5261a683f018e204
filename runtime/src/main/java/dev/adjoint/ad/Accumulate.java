package dev.adjoint.ad;

/**
 * Element-wise accumulation of array cotangents, called by generated reverse-mode code where a
 * whole array flows into another (a clone, an array passed to another differentiable method).
 */
public final class Accumulate {
  private Accumulate() {}

  /** {@code into[i] += from[i]} for every i; returns {@code into}. */
  public static double[] add(double[] into, double[] from) {
    checkLength(into.length, from.length);
    for (int i = 0; i < into.length; i++) into[i] += from[i];
    return into;
  }

  /** {@code into[i] += from[i]} for every i; returns {@code into}. */
  public static float[] add(float[] into, float[] from) {
    checkLength(into.length, from.length);
    for (int i = 0; i < into.length; i++) into[i] += from[i];
    return into;
  }

  private static void checkLength(int a, int b) {
    if (a != b) {
      throw new IllegalArgumentException(
          "cotangent length " + b + " does not match the array's length " + a);
    }
  }
}
