package dev.adjoint.ad;

import dev.adjoint.Differentiable;
import dev.adjoint.Jvp;
import dev.adjoint.Vjp;
import dev.adjoint.tensor.Tensor;

/**
 * What generated code needs to accumulate tensor adjoints and tangents. A tensor adjoint starts
 * as {@code null}, meaning zero, so that values nothing flows back into cost no allocation.
 */
public final class TensorAdjoints {
  private TensorAdjoints() {}

  /** {@code a + b}, where null is zero. */
  public static Tensor add(Tensor a, Tensor b) {
    return a == null ? b : b == null ? a : a.add(b);
  }

  /**
   * {@code value}, or zeros shaped like {@code like} when it is null (zero). A null {@code like}
   * (an absent optional tensor, such as a layer without bias) has a null gradient.
   */
  public static Tensor orZeros(Tensor value, Tensor like) {
    return value != null ? value : like == null ? null : like.zerosLike();
  }

  /**
   * Where reverse mode starts: the given cotangent, or (for {@code fGrad}, which passes null)
   * ones like a result that must then hold one element.
   */
  public static Tensor seed(Tensor cotangent, Tensor out) {
    if (cotangent != null) return cotangent;
    if (out.numel() != 1) {
      throw new IllegalArgumentException("a gradient needs a result with one element, got "
          + "shape " + java.util.Arrays.toString(out.shape()) + "; use fVjp with a cotangent");
    }
    return out.onesLike();
  }

  @Differentiable
  @Jvp(of = "add", wrt = "a")
  public static Tensor addJvpA(Tensor a, Tensor b, Tensor out, Tensor t) {
    return t;
  }

  @Differentiable
  @Jvp(of = "add", wrt = "b")
  public static Tensor addJvpB(Tensor a, Tensor b, Tensor out, Tensor t) {
    return t;
  }

  @Differentiable
  @Vjp(of = "add", wrt = "a")
  public static Tensor addVjpA(Tensor a, Tensor b, Tensor out, Tensor g) {
    return g;
  }

  @Differentiable
  @Vjp(of = "add", wrt = "b")
  public static Tensor addVjpB(Tensor a, Tensor b, Tensor out, Tensor g) {
    return g;
  }

  @Differentiable
  @Jvp(of = "orZeros", wrt = "value")
  public static Tensor orZerosJvp(Tensor value, Tensor like, Tensor out, Tensor t) {
    // a null tangent: the adjoint's was zero too (null out: an absent optional tensor)
    return t != null || out == null ? t : out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "orZeros", wrt = "value")
  public static Tensor orZerosVjp(Tensor value, Tensor like, Tensor out, Tensor g) {
    return g;
  }

  @Differentiable
  @Jvp(of = "seed", wrt = "cotangent")
  public static Tensor seedJvp(Tensor cotangent, Tensor out, Tensor result, Tensor t) {
    return t != null ? t : result.zerosLike(); // null: the constant seed of fGrad
  }

  @Differentiable
  @Vjp(of = "seed", wrt = "cotangent")
  public static Tensor seedVjp(Tensor cotangent, Tensor out, Tensor result, Tensor g) {
    return g;
  }

  // Where the result goes and what shape zeros take have no derivative.

  @Differentiable
  @Jvp(of = "seed", wrt = "out")
  public static Tensor seedJvpOut(Tensor cotangent, Tensor out, Tensor result, Tensor t) {
    return result.zerosLike();
  }

  @Differentiable
  @Vjp(of = "seed", wrt = "out")
  public static Tensor seedVjpOut(Tensor cotangent, Tensor out, Tensor result, Tensor g) {
    return out.zerosLike();
  }

  @Differentiable
  @Jvp(of = "orZeros", wrt = "like")
  public static Tensor orZerosJvpLike(Tensor value, Tensor like, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "orZeros", wrt = "like")
  public static Tensor orZerosVjpLike(Tensor value, Tensor like, Tensor out, Tensor g) {
    return like.zerosLike();
  }
}
