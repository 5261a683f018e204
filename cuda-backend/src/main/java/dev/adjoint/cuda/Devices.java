package dev.adjoint.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens the device: JCuda's driver API, or the {@link DeviceApi} class named by the system
 * property {@code adjoint.cuda.api} (the CPU emulator of the kernel tests). Every way this can
 * fail becomes one {@link CudaUnavailableException} that says why.
 */
final class Devices {
  private static final Pattern LINK = Pattern.compile("UnsatisfiedLinkError: ([^\\n]*)");

  private Devices() {}

  static DeviceApi open() {
    String api = System.getProperty("adjoint.cuda.api");
    if (api != null && !api.isEmpty()) return substitute(api);
    int ordinal = Integer.getInteger("adjoint.cuda.device", 0);
    try {
      return new JCudaDevice(ordinal);
    } catch (CudaUnavailableException e) {
      throw e;
    } catch (LinkageError e) {
      throw new CudaUnavailableException(linkFailure(e), e);
    } catch (RuntimeException e) {
      throw new CudaUnavailableException("the driver could not be initialized: " + e, e);
    }
  }

  /** What went wrong when JCuda's classes or native library did not load. */
  static String linkFailure(LinkageError e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof NoClassDefFoundError && message.contains("Could not initialize class")) {
      return "JCuda's driver library failed to load earlier in this JVM (" + message + ")";
    }
    if (e instanceof NoClassDefFoundError) {
      return "JCuda (org.jcuda:jcuda) is not on the class path (" + message + ")";
    }
    // JCuda reports both attempts (java.library.path, then the copy from its jar); the last
    // one names the missing dependency, usually libcuda.so.1.
    String cause = message;
    Matcher m = LINK.matcher(message);
    while (m.find()) cause = m.group(1).trim();
    return "JCuda's driver library did not load: " + cause + ". Device.CUDA needs an NVIDIA "
        + "driver (libcuda.so.1, CUDA 12.0 or newer); tensors on Device.CPU need nothing";
  }

  private static DeviceApi substitute(String className) {
    try {
      Class<?> c = Class.forName(className);
      return (DeviceApi) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new CudaUnavailableException("adjoint.cuda.api names " + className
          + ", which is not a usable dev.adjoint.cuda.DeviceApi: " + e, e);
    }
  }
}
