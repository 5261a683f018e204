package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose body Adjoint differentiates at compile time.
 *
 * <p>For a method {@code R f(P1 p1, ..., Pn pn)} in class {@code C}, the processor writes
 * {@code CDerivatives} in the same package with {@code fGrad}, {@code fValueAndGrad},
 * {@code fJvp}, {@code fVjp} and {@code fHvp}. The differentiable parameters are, by default,
 * every parameter of a differentiable type ({@code double}, {@code float}, {@code double[]},
 * {@code float[]}, records of these) and {@code this} for an instance method of a record.
 *
 * <p>Class-retained so that {@code @Differentiable} methods in jars stay visible to the
 * processor when other code calls them.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Differentiable {
  /**
   * Names of the parameters to differentiate with respect to ({@code "this"} for the receiver
   * of a record instance method). Empty means every parameter of a differentiable type.
   */
  String[] wrt() default {};
}
