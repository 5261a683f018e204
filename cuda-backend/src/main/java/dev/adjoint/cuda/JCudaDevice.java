package dev.adjoint.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleLoadDataJIT;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.charset.StandardCharsets;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JITOptions;

/**
 * The driver API through JCuda: the one class of the backend that touches JCuda, so that
 * nothing loads it before a tensor is placed on {@code Device.CUDA}. One device (property
 * {@code adjoint.cuda.device}, default 0), its primary context, one non-blocking stream.
 * Copies from the host are queued on the stream (the driver stages pageable memory before it
 * returns); copies to the host wait for the stream: the one synchronization per download.
 */
final class JCudaDevice implements DeviceApi {
  private final CUdevice device = new CUdevice();
  private final CUcontext context = new CUcontext();
  private final CUstream stream = new CUstream();
  private final String description;
  private final int multiprocessors;
  private final long totalMemory;
  /** Threads on which the context has been made current. */
  private final ThreadLocal<Boolean> bound = new ThreadLocal<>();

  /** Opens the device, or throws {@link CudaUnavailableException} saying why not. */
  JCudaDevice(int ordinal) {
    int r = cuInit(0);
    if (r != CUresult.CUDA_SUCCESS) {
      throw new CudaUnavailableException("cuInit failed with " + CUresult.stringFor(r)
          + (r == CUresult.CUDA_ERROR_NO_DEVICE ? " (no NVIDIA GPU is visible)" : ""), null);
    }
    int[] count = new int[1];
    check(cuDeviceGetCount(count), "cuDeviceGetCount");
    if (ordinal < 0 || ordinal >= count[0]) {
      throw new CudaUnavailableException("device " + ordinal + " was asked for (property "
          + "adjoint.cuda.device) but " + count[0] + " device(s) are visible", null);
    }
    check(cuDeviceGet(device, ordinal), "cuDeviceGet");
    check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
    check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    bound.set(Boolean.TRUE);
    check(cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
    int major = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
    int minor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    if (major < 8) {
      throw new CudaUnavailableException("device " + ordinal + " has compute capability "
          + major + "." + minor + "; the kernels need 8.0 (Ampere) or newer", null);
    }
    multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
    long[] mem = new long[1];
    check(cuDeviceTotalMem(mem, device), "cuDeviceTotalMem");
    totalMemory = mem[0];
    byte[] name = new byte[256];
    check(cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
    int[] version = new int[1];
    check(cuDriverGetVersion(version), "cuDriverGetVersion");
    int len = 0;
    while (len < name.length && name[len] != 0) len++;
    description = new String(name, 0, len, StandardCharsets.US_ASCII) + " (compute capability "
        + major + "." + minor + ", " + multiprocessors + " SMs, " + (totalMemory >> 20)
        + " MiB, CUDA driver " + version[0] / 1000 + "." + version[0] % 1000 / 10 + ")";
  }

  private int attribute(int which) {
    int[] v = new int[1];
    check(cuDeviceGetAttribute(v, which, device), "cuDeviceGetAttribute");
    return v[0];
  }

  private static void check(int result, String call) {
    if (result != CUresult.CUDA_SUCCESS) {
      throw new IllegalStateException("CUDA: " + call + " failed with "
          + CUresult.stringFor(result));
    }
  }

  /** The context must be current on every thread that calls the driver. */
  private void bind() {
    if (bound.get() == null) {
      check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
      bound.set(Boolean.TRUE);
    }
  }

  private static CUdeviceptr at(long address) {
    return ZERO.withByteOffset(address);
  }

  private static final CUdeviceptr ZERO = new CUdeviceptr();

  @Override
  public String describe() {
    return description;
  }

  @Override
  public int multiprocessors() {
    return multiprocessors;
  }

  @Override
  public long totalMemory() {
    return totalMemory;
  }

  @Override
  public long allocate(long bytes) {
    bind();
    Address p = new Address();
    int r = cuMemAlloc(p, bytes);
    if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
      throw new DeviceMemory.OutOfMemory("cuMemAlloc of " + bytes + " bytes: "
          + CUresult.stringFor(r));
    }
    check(r, "cuMemAlloc(" + bytes + ")");
    return p.address();
  }

  @Override
  public void free(long address) {
    bind();
    check(cuCtxSynchronize(), "cuCtxSynchronize");
    check(cuMemFree(at(address)), "cuMemFree");
  }

  @Override
  public void upload(long address, Object array, int count) {
    bind();
    long bytes = (long) count * elementBytes(array);
    check(cuMemcpyHtoDAsync(at(address), host(array), bytes, stream), "cuMemcpyHtoDAsync");
  }

  @Override
  public void download(long address, Object array, int count) {
    bind();
    long bytes = (long) count * elementBytes(array);
    check(cuMemcpyDtoHAsync(host(array), at(address), bytes, stream), "cuMemcpyDtoHAsync");
    synchronize();
  }

  @Override
  public void memset(long address, int value, long bytes) {
    bind();
    check(cuMemsetD8Async(at(address), (byte) value, bytes, stream), "cuMemsetD8Async");
  }

  @Override
  public void copy(long dst, long src, long bytes) {
    bind();
    check(cuMemcpyDtoDAsync(at(dst), at(src), bytes, stream), "cuMemcpyDtoDAsync");
  }

  @Override
  public Object loadModule(String name, String ptx) {
    bind();
    CUmodule module = new CUmodule();
    JITOptions options = new JITOptions();
    byte[] log = new byte[16384];
    options.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, log);
    options.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, log.length);
    byte[] text = ptx.getBytes(StandardCharsets.US_ASCII);
    byte[] image = java.util.Arrays.copyOf(text, text.length + 1);
    int r;
    String jitLog;
    try {
      r = cuModuleLoadDataJIT(module, Pointer.to(image), options);
      jitLog = r == CUresult.CUDA_SUCCESS ? null
          : options.getString(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
    } catch (RuntimeException e) {
      // JCuda calls its JIT-options variant preliminary; the plain load has no log
      r = cuModuleLoadData(module, image);
      jitLog = "(no JIT log: " + e + ")";
    }
    if (r != CUresult.CUDA_SUCCESS) {
      throw Kernels.loadError(name, CUresult.stringFor(r), jitLog);
    }
    return module;
  }

  @Override
  public Object function(Object module, String name) {
    bind();
    CUfunction f = new CUfunction();
    int r = cuModuleGetFunction(f, (CUmodule) module, name);
    if (r != CUresult.CUDA_SUCCESS) {
      throw new IllegalStateException("CUDA: kernel " + name + " is not in its module ("
          + CUresult.stringFor(r) + ")");
    }
    return f;
  }

  @Override
  public void launch(Object function, Launch l, byte[] params) {
    bind();
    Pointer args = Pointer.to(Pointer.to(params));
    check(cuLaunchKernel((CUfunction) function, l.gridX(), l.gridY(), l.gridZ(), l.blockX(),
        l.blockY(), l.blockZ(), 0, stream, args, null), "cuLaunchKernel");
  }

  @Override
  public void synchronize() {
    bind();
    int r = cuStreamSynchronize(stream);
    if (r != CUresult.CUDA_SUCCESS) {
      throw new IllegalStateException("CUDA: a kernel failed (" + CUresult.stringFor(r)
          + "); the context is unusable after most such errors, restart the JVM");
    }
  }

  private static Pointer host(Object array) {
    if (array instanceof float[]) return Pointer.to((float[]) array);
    if (array instanceof double[]) return Pointer.to((double[]) array);
    if (array instanceof long[]) return Pointer.to((long[]) array);
    throw new IllegalArgumentException("not a float[], double[] or long[]: " + array);
  }

  private static int elementBytes(Object array) {
    return array instanceof float[] ? 4 : 8;
  }

  /** A device pointer whose address can be read (JCuda keeps it protected). */
  private static final class Address extends CUdeviceptr {
    long address() {
      return getNativePointer() + getByteOffset();
    }
  }
}
