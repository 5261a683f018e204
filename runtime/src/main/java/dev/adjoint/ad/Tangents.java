package dev.adjoint.ad;

import dev.adjoint.tensor.Tensor;

/**
 * Directions for the generated vector JVPs ({@code fJvpN}): how many a call carries, and the
 * standard basis that Jacobians and Hessians are built from.
 */
public final class Tangents {
  private Tangents() {}

  /** The number of directions two tangent arguments carry, which must agree. */
  public static int directions(int first, int other) {
    if (first != other) {
      throw new IllegalArgumentException("every tangent argument of a vector JVP must hold the "
          + "same number of directions: one holds " + first + ", another " + other);
    }
    return first;
  }

  /** The standard basis of a scalar's tangent space: one direction, 1. */
  public static double[] basis(double x) {
    return new double[] {1};
  }

  /** The standard basis of a scalar's tangent space: one direction, 1. */
  public static float[] basis(float x) {
    return new float[] {1};
  }

  /** The standard basis of {@code x}'s tangent space: {@code x.length} unit vectors. */
  public static double[][] basis(double[] x) {
    double[][] e = new double[x.length][x.length];
    for (int i = 0; i < x.length; i++) e[i][i] = 1;
    return e;
  }

  /** The standard basis of {@code x}'s tangent space: {@code x.length} unit vectors. */
  public static float[][] basis(float[] x) {
    float[][] e = new float[x.length][x.length];
    for (int i = 0; i < x.length; i++) e[i][i] = 1;
    return e;
  }

  /**
   * The standard basis of {@code x}'s tangent space: {@code x.numel()} one-hot tensors shaped,
   * typed and placed like {@code x}, in row-major order of the element they select.
   */
  public static Tensor[] basis(Tensor x) {
    Tensor[] e = new Tensor[x.numel()];
    for (int i = 0; i < e.length; i++) e[i] = unit(x, i);
    return e;
  }

  /** The {@code i}-th unit vector of length {@code like.length}. */
  public static double[] unit(double[] like, int i) {
    double[] e = new double[like.length];
    e[i] = 1;
    return e;
  }

  /** The {@code i}-th unit vector of length {@code like.length}. */
  public static float[] unit(float[] like, int i) {
    float[] e = new float[like.length];
    e[i] = 1;
    return e;
  }

  /** The one-hot tensor shaped, typed and placed like {@code like}, 1 at flat index {@code i}. */
  public static Tensor unit(Tensor like, int i) {
    double[] data = new double[like.numel()];
    data[i] = 1;
    Tensor e = Tensor.of(like.dtype(), data, like.shape());
    return e.device().equals(like.device()) ? e : e.to(like.device());
  }
}
