package dev.adjoint.cuda;

/**
 * The few driver operations the backend needs, on one device and one stream. Addresses are
 * device addresses as {@code long}. Everything but {@link #download} and {@link #synchronize}
 * is asynchronous: it is queued on the stream and returns. {@link JCudaDevice} is the real one;
 * tests substitute others (system property {@code adjoint.cuda.api}).
 */
interface DeviceApi extends DeviceMemory {
  /** Device name, compute capability and driver version, for logs and the device check. */
  String describe();

  /** Number of streaming multiprocessors (sizes grids). */
  int multiprocessors();

  /** Bytes of device memory in total. */
  long totalMemory();

  // allocate (a fresh cuMemAlloc) and free (which waits for the device first) come from
  // DeviceMemory; only the caching allocator calls them.

  /** Copies {@code count} elements of a float[], double[] or long[] to the device. */
  void upload(long address, Object array, int count);

  /** Waits for the stream, then copies {@code count} elements into the array. */
  void download(long address, Object array, int count);

  /** Sets {@code bytes} bytes to {@code value}. */
  void memset(long address, int value, long bytes);

  /** Device-to-device copy. */
  void copy(long dst, long src, long bytes);

  /** Compiles (JIT) a PTX module and returns a handle for {@link #function}. */
  Object loadModule(String name, String ptx);

  /** The handle of a kernel in a loaded module, or an error naming it. */
  Object function(Object module, String name);

  /**
   * Queues a kernel whose one parameter is a struct by value, passed as its bytes (see
   * {@link Params}).
   */
  void launch(Object function, Launch launch, byte[] params);

  /** Waits until everything queued has run; reports errors of earlier launches. */
  void synchronize();
}
