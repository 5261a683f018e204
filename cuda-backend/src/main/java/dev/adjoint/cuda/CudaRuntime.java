package dev.adjoint.cuda;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.function.LongFunction;

/**
 * What the CUDA operations share once a device is open: the driver, the caching allocator, the
 * kernels, and the error word through which indexing kernels report an index out of range
 * (checked at the next synchronization, since kernels run asynchronously).
 */
final class CudaRuntime {
  final DeviceApi api;
  final CachingAllocator allocator;
  final Kernels kernels;
  final int multiprocessors;
  private final CudaStorage errorWord;
  /** Messages of the last {@link #CHECKS} checking launches, by tag modulo CHECKS. */
  static final int CHECKS = 4096;
  private final LongFunction<?>[] checkMessages = new LongFunction<?>[CHECKS];
  private final int[] checkTags = new int[CHECKS];
  private boolean checksPending;
  private int nextTag = 1;

  CudaRuntime(DeviceApi api) {
    this.api = api;
    this.multiprocessors = Math.max(1, api.multiprocessors());
    long gcAfter = Long.getLong("adjoint.cuda.gcAfterBytes",
        Math.max(256L << 20, api.totalMemory() / 16));
    this.allocator = new CachingAllocator(api, gcAfter);
    this.kernels = new Kernels(api);
    this.errorWord = allocator.allocate(DType.INT64, 4);
    api.memset(errorWord.address, 0, 32);
  }

  /** An uninitialized (or, in poison mode, 0xFF-filled) buffer. */
  CudaStorage alloc(DType dtype, int length) {
    return allocator.allocate(dtype, length);
  }

  /** A zero-filled buffer. */
  CudaStorage zeros(DType dtype, int length) {
    CudaStorage s = allocator.allocate(dtype, length);
    if (length > 0) api.memset(s.address, 0, (long) length * dtype.bytes());
    return s;
  }

  void launch(String module, String kernel, Launch launch, Params params) {
    api.launch(kernels.get(module, kernel), launch, params.bytes());
  }

  /**
   * A tag for a kernel that checks indices, and the address it reports to; {@code message}
   * turns the bad index into the error the user sees.
   */
  synchronized int check(LongFunction<String> message) {
    int tag = nextTag;
    nextTag = nextTag == Integer.MAX_VALUE ? 1 : nextTag + 1;
    checkMessages[tag % CHECKS] = message;
    checkTags[tag % CHECKS] = tag;
    checksPending = true;
    return tag;
  }

  long errorAddress() {
    return errorWord.address;
  }

  /**
   * After a synchronization: throws the first index error a kernel reported since the last
   * check, if any (one small extra copy, only when checking kernels ran).
   */
  synchronized void throwReportedErrors() {
    if (!checksPending) return;
    checksPending = false;
    long[] word = new long[4];
    api.download(errorWord.address, word, 4);
    if (word[0] != 0) {
      api.memset(errorWord.address, 0, 32);
      int tag = (int) word[0];
      LongFunction<?> message = checkTags[tag % CHECKS] == tag ? checkMessages[tag % CHECKS]
          : null;
      String what = message == null ? "an index is out of range (index " + word[1] + ")"
          : (String) message.apply(word[1]);
      throw new IllegalArgumentException(what + " (found on the GPU; CUDA reports it at the "
          + "first synchronization after the operation, such as item() or toFloatArray())");
    }
  }

  /** Waits for the device and reports errors found by kernels. */
  void synchronize() {
    api.synchronize();
    throwReportedErrors();
  }

  static CudaStorage storage(Tensor t) {
    return (CudaStorage) t.storage();
  }

  /** Base address of a tensor's storage (kernels add the element offset). */
  static long base(Tensor t) {
    return storage(t).ready();
  }

  /** The device address of a tensor's first element. */
  static long first(Tensor t) {
    CudaStorage s = storage(t);
    return s.ready() + (long) t.offset() * t.dtype().bytes();
  }

  /** Queues the device copy of a deferred one-element upload. */
  void storeConstant(CudaStorage s) {
    byte[] b = new byte[s.dtype().bytes()];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (s.constantBits >>> (8 * i));
    launch(Kernels.OPTIM, "store_bytes", new Launch(1, 1, 1, 64, 1, 1),
        CudaBackend.smallUpload(s.address, b));
  }

  /** The kernels' name suffix of a dtype. */
  static String suffix(DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return "f32";
      case FLOAT64:
        return "f64";
      default:
        return "i64";
    }
  }

  /** Gives a temporary's block back now (it must not be used again). */
  void release(Tensor temporary) {
    allocator.release(storage(temporary));
  }
}
