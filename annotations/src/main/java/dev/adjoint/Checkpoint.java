package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @Differentiable} method: reverse mode through a call to it keeps only the call's
 * arguments and runs the method again in the reverse sweep (as {@code jax.checkpoint} does),
 * instead of keeping what its own reverse sweep needs. Trades time for memory: a long loop
 * written as calls of a checkpointed segment of k steps keeps one state per segment plus one
 * segment's values, O(sqrt n) for k = sqrt n.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Checkpoint {}
