package dev.adjoint.cuda;

/** Where the caching allocator gets device memory from, and gives it back to. */
interface DeviceMemory {
  /** A fresh allocation, or {@link OutOfMemory} when the device has no room. */
  long allocate(long bytes);

  void free(long address);

  /** The driver said there is no room for this allocation. */
  final class OutOfMemory extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfMemory(String message) {
      super(message);
    }
  }
}
