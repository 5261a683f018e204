package dev.adjoint.tensor;

/** Element types. {@code INT64} holds indices and labels and has no derivative. */
public enum DType {
  /** 32-bit floating point, the default. */
  FLOAT32(4),
  /** 64-bit floating point. */
  FLOAT64(8),
  /** 64-bit integers: indices and labels, without derivative. */
  INT64(8);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Whether values of this type have derivatives (FLOAT32, FLOAT64). */
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
