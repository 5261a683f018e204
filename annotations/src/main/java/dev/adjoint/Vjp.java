package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the reverse-mode rule of one argument of a method.
 *
 * <p>For {@code R f(A a, B b)}, {@code @Vjp(of = "f", wrt = "a")} marks a static method with
 * parameters {@code (A a, B b, R out, R cotangent)} that returns the cotangent of {@code a}. It
 * must be linear in its last parameter. For an instance method the receiver comes first, named
 * {@code self}. A method with only reverse rules cannot be called in forward mode.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Vjp {
  /** Name of the method this rule differentiates. */
  String of();

  /** Name of the argument (as named in this rule's own parameter list). */
  String wrt();

  /** Class holding the method; empty means the class that declares the rule. */
  Class<?>[] in() default {};
}
