package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the forward-mode rule of one argument of a method.
 *
 * <p>For {@code R f(A a, B b)}, {@code @Jvp(of = "f", wrt = "a")} marks a static method with
 * parameters {@code (A a, B b, R out, A ta)} that returns the tangent of the output contributed
 * by the tangent {@code ta} of {@code a}. It must be linear in its last parameter. For an
 * instance method the receiver comes first, named {@code self}.
 *
 * <p>When the argument and the result are both scalars ({@code double} or {@code float}), the
 * same method also serves as the reverse-mode rule: the transpose of a 1x1 linear map is itself.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Jvp {
  /** Name of the method this rule differentiates. */
  String of();

  /** Name of the argument (as named in this rule's own parameter list). */
  String wrt();

  /** Class holding the method; empty means the class that declares the rule. */
  Class<?>[] in() default {};
}
