package dev.adjoint.ad;

/**
 * A primal value and its tangents along several directions, as returned by the generated
 * {@code fJvpN} methods: one forward pass carries every direction.
 *
 * @param value the function's value
 * @param tangents one directional derivative per direction, in the order of the directions
 *     given ({@code tangents[j]} is the JVP along direction {@code j}); an array of the value's
 *     type ({@code double[]} for a {@code double} value, {@code double[][]} for a
 *     {@code double[]} value, {@code Tensor[]} for a tensor)
 * @param <V> the value's type, boxed where primitive
 * @param <T> the array of tangents
 */
public record DualN<V, T>(V value, T tangents) {}
