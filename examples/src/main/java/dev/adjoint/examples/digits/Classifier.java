package dev.adjoint.examples.digits;

import dev.adjoint.tensor.Tensor;

/** A model that maps a batch of flattened images {@code (n, 64)} to logits {@code (n, 10)}. */
public interface Classifier {
  /** Unnormalized class scores, one row per example. */
  Tensor logits(Tensor x);
}
