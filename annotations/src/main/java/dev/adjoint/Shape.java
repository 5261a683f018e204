package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the shape of a tensor: on a {@code Tensor} parameter, record component or local
 * variable, and on a method for the shape of its result.
 *
 * <p>The value lists the dimensions, separated by commas: integer literals ({@code 784}), names
 * ({@code B}, {@code hidden}), {@code _} for any one dimension, {@code ...} (first only) for any
 * number of leading dimensions, and {@code + - *} of literals and names ({@code C*4*4},
 * {@code N+1}). An empty value is a scalar (no dimensions).
 *
 * <pre>{@code
 * @Differentiable
 * static Tensor logits(Mlp m, @Shape("B, 784") Tensor x) {
 *   return x.matmul(m.w1()).relu().matmul(m.w2());
 * }
 * record Mlp(@Shape("784, H") Tensor w1, @Shape("H, 10") Tensor w2) {}
 * }</pre>
 *
 * <p>A name stands for one positive size: within one call it has one value across the
 * parameters and the result of a method (and its local variables); in a record it is bound per
 * record instance. The processor propagates shapes through every tensor operation of every
 * {@code @Differentiable} method and reports a mismatch it can prove as a compile error
 * ({@code [AdjointShape]}) at the operation. Shapes it cannot know are never an error. The
 * generated derivatives check their arguments against the declared shapes when called and
 * throw {@link IllegalArgumentException} naming the parameter, the declared and the actual
 * shape.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT,
    ElementType.LOCAL_VARIABLE})
public @interface Shape {
  /** The dimensions, for example {@code "B, 784"} or {@code "..., C, H*W"}. */
  String value();
}
