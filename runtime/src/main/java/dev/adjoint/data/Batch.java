package dev.adjoint.data;

import dev.adjoint.tensor.Tensor;

/**
 * One batch from a {@link DataLoader}: inputs {@code x} and targets {@code y} (null when the
 * loader has no targets), the same examples in the same order along dimension 0.
 */
public record Batch(Tensor x, Tensor y) {
  /** The number of examples. */
  public int size() {
    return x.size(0);
  }
}
