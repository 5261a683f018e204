package dev.adjoint.cuda;

import dev.adjoint.tensor.Backends;
import dev.adjoint.tensor.Device;

/**
 * The CUDA device's settings and state, as {@code torch.cuda} and
 * {@code torch.backends.cuda.matmul} give them. Nothing here is needed to compute on the GPU:
 * placing tensors on {@code Device.CUDA} is enough.
 */
public final class Cuda {
  private static volatile boolean allowTf32 = Boolean.getBoolean("adjoint.cuda.allowTf32");

  private Cuda() {}

  /** Whether a CUDA device can be used (opens it on first call). */
  public static boolean isAvailable() {
    return unavailableReason() == null;
  }

  /** Why no CUDA device can be used, or null when one can. */
  public static String unavailableReason() {
    try {
      backend().ops();
      return null;
    } catch (CudaUnavailableException e) {
      return e.getMessage();
    }
  }

  /** The device's name, compute capability, memory and driver version. */
  public static String deviceName() {
    return backend().runtime().api.describe();
  }

  /**
   * Lets float32 matmul and conv2d run on tensor cores in TF32 (10-bit mantissa inputs, float32
   * accumulation), as PyTorch's {@code torch.backends.cuda.matmul.allow_tf32}. Off by default:
   * products are exact float32 FMA. Also set by {@code -Dadjoint.cuda.allowTf32=true}.
   */
  public static void setAllowTf32(boolean allow) {
    allowTf32 = allow;
  }

  public static boolean allowTf32() {
    return allowTf32;
  }

  /** Waits until every queued operation has run (for timing); reports kernels' errors. */
  public static void synchronize() {
    backend().runtime().synchronize();
  }

  /** Bytes held by live tensors, taken from the driver, and cached for reuse. */
  public static MemoryStats memoryStats() {
    CachingAllocator.Stats s = backend().runtime().allocator.stats();
    return new MemoryStats(s.allocatedBytes(), s.reservedBytes(), s.cachedBytes());
  }

  /**
   * Collects unreachable tensors and returns cached large blocks to the driver
   * ({@code torch.cuda.empty_cache}).
   */
  public static void emptyCache() {
    backend().runtime().allocator.emptyCache();
  }

  /** Memory counters of the caching allocator, in bytes. */
  public record MemoryStats(long allocated, long reserved, long cached) {}

  static CudaBackend backend() {
    return (CudaBackend) Backends.get(Device.CUDA);
  }
}
