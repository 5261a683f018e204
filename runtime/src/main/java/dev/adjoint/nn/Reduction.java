package dev.adjoint.nn;

/** How a loss reduces its per-element values, PyTorch's {@code reduction} argument. */
public enum Reduction {
  /** The per-element losses, unreduced ({@code 'none'}). */
  NONE,
  /** Their mean ({@code 'mean'}, the default); for weighted or ignoring losses, as PyTorch. */
  MEAN,
  /** Their sum ({@code 'sum'}). */
  SUM
}
