package dev.adjoint.cuda;

/**
 * A {@link DeviceApi} that runs nothing: launches and copies return at once, downloads give
 * zeros. With it, {@code check.HostOverhead} measures what the backend costs on the CPU per
 * operation (layouts, packing, allocation), without the driver and the GPU.
 */
public final class NullDevice implements DeviceApi {
  private long next = 1L << 40;
  public long launches;
  /** Launches by kernel name. */
  public final java.util.Map<String, Long> byKernel = new java.util.TreeMap<>();

  @Override
  public String describe() {
    return "null device (host overhead only)";
  }

  @Override
  public int multiprocessors() {
    return 132;
  }

  @Override
  public long totalMemory() {
    return 141L << 30;
  }

  @Override
  public long allocate(long bytes) {
    long a = next;
    next += (bytes + 4095) & ~4095L;
    return a;
  }

  @Override
  public void free(long address) {}

  @Override
  public void upload(long address, Object array, int count) {}

  @Override
  public void download(long address, Object array, int count) {}

  @Override
  public void memset(long address, int value, long bytes) {}

  @Override
  public void copy(long dst, long src, long bytes) {}

  @Override
  public Object loadModule(String name, String ptx) {
    return name;
  }

  @Override
  public Object function(Object module, String name) {
    return name;
  }

  @Override
  public void launch(Object function, Launch launch, byte[] params) {
    launches++;
    byKernel.merge((String) function, 1L, Long::sum);
  }

  @Override
  public void synchronize() {}
}
