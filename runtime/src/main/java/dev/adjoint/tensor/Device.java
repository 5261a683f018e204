package dev.adjoint.tensor;

/**
 * Where a tensor's data lives. CPU needs nothing installed; CUDA is served by the
 * {@code adjoint-cuda} module when it is on the class path (found with {@code ServiceLoader}).
 */
public enum Device {
  /** Main memory; the default, built into the runtime. */
  CPU,
  /** An NVIDIA GPU, through the {@code adjoint-cuda} module. */
  CUDA
}
