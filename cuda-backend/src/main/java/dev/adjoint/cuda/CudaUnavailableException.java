package dev.adjoint.cuda;

/**
 * Thrown by any operation on {@code Device.CUDA} when no CUDA device can be used: no NVIDIA
 * driver ({@code libcuda.so.1}), no device, or a driver too old for the kernels. The message
 * starts with "CUDA is not available: " and says why.
 */
public final class CudaUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  CudaUnavailableException(String reason, Throwable cause) {
    super("CUDA is not available: " + reason, cause);
  }
}
