package dev.adjoint.cuda;

/** What the checks need from the backend's internals: poisoning, counters, the device. */
public final class CudaTestHooks {
  private CudaTestHooks() {}

  /** Fill every block handed out from now on with 0xFF bytes (NaN, -1), or stop. */
  public static void poison(boolean on) {
    CudaRuntime rt = Cuda.backend().runtime();
    rt.allocator.setPoison(on, (address, bytes) -> rt.api.memset(address, 0xFF, bytes));
  }

  /** cuMemAlloc calls and collections requested so far. */
  public static long[] allocatorCounters() {
    CachingAllocator.Stats s = Cuda.backend().runtime().allocator.stats();
    return new long[] {s.driverAllocations(), s.gcRequests()};
  }
}
