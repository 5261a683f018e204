package dev.adjoint.ad;

/**
 * A function's value and its gradient, as returned by the generated {@code fValueAndGrad}
 * methods.
 *
 * @param value the function's value
 * @param grad the gradient with respect to the differentiable parameters
 */
public record ValueAndGrad<V, G>(V value, G grad) {}
