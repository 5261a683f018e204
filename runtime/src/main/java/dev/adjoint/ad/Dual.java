package dev.adjoint.ad;

/**
 * A primal value and its tangent, as returned by the generated {@code fJvp} methods.
 *
 * @param value the function's value
 * @param tangent the directional derivative of the value along the given tangents
 */
public record Dual<T>(T value, T tangent) {}
