package dev.adjoint.cuda;

/** What the checks need from the backend's internals: poisoning, counters, the device. */
public final class CudaTestHooks {
  private CudaTestHooks() {}

  /** Fill every block handed out from now on with 0xFF bytes (NaN, -1), or stop. */
  public static void poison(boolean on) {
    CudaRuntime rt = Cuda.backend().runtime();
    rt.allocator.setPoison(on, (address, bytes) -> rt.api.memset(address, 0xFF, bytes));
  }

  /** The open device as the test class it is (NullDevice, EmulatedDevice). */
  @SuppressWarnings("unchecked")
  public static <T> T device() {
    return (T) Cuda.backend().runtime().api;
  }

  /** cuMemAlloc calls and collections requested so far. */
  public static long[] allocatorCounters() {
    CachingAllocator.Stats s = Cuda.backend().runtime().allocator.stats();
    return new long[] {s.driverAllocations(), s.gcRequests()};
  }
}
