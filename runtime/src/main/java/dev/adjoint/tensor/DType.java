package dev.adjoint.tensor;

/** Element types. {@code INT64} holds indices and labels and has no derivative. */
public enum DType {
  FLOAT32(4), FLOAT64(8), INT64(8);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  public boolean isFloating() {
    return this != INT64;
  }

  /** The type of a binary operation's result (PyTorch's promotion for these three types). */
  public static DType promote(DType a, DType b) {
    if (a == FLOAT64 || b == FLOAT64) return FLOAT64;
    if (a == FLOAT32 || b == FLOAT32) return FLOAT32;
    return INT64;
  }
}
