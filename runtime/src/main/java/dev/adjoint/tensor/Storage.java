package dev.adjoint.tensor;

/** A flat buffer of elements owned by one backend. Views of a tensor share their storage. */
public interface Storage {
  /** The element type. */
  DType dtype();

  /** The device holding the buffer. */
  Device device();

  /** Number of elements. */
  int length();
}
