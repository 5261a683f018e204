package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Removes a parameter of a {@link Differentiable} method from the parameters it is
 * differentiated with respect to. Passing a value that depends on the differentiated inputs
 * into such a parameter is a compile error, because its derivative would be silently dropped.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface NoDerivative {}
