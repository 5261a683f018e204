package dev.adjoint.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without a driver: one clear error, and CPU code never loads JCuda. */
class CudaAvailabilityTest {
  @Test
  void withoutADriverEveryCudaOperationSaysWhy() {
    assumeFalse(Cuda.isAvailable(), "a CUDA device is available here: nothing to check");
    CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
        () -> Tensor.zeros(3).to(Device.CUDA));
    assertTrue(e.getMessage().startsWith("CUDA is not available: "), e.getMessage());
    assertTrue(e.getMessage().contains("Device.CPU need nothing")
        || e.getMessage().contains("cuInit"), e.getMessage());
    // the second attempt says the same, from the user's own call
    CudaUnavailableException again = assertThrows(CudaUnavailableException.class,
        () -> Tensor.ones(2).to(Device.CUDA));
    assertEquals(e.getMessage(), again.getMessage());
    assertFalse(Cuda.isAvailable());
    assertEquals(e.getMessage(), Cuda.unavailableReason());
  }

  @Test
  void jcudasLoadFailureIsReducedToItsCause() {
    String jcuda = "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
        + "Operating system name: Linux\n---(start of nested stack traces)---\n"
        + "Stack trace from the attempt to load the library as a file:\n"
        + "java.lang.UnsatisfiedLinkError: no JCudaDriver-12.6.0-linux-x86_64 in "
        + "java.library.path: /usr/lib\n\tat java.base/java.lang.ClassLoader.loadLibrary\n"
        + "Stack trace from the attempt to load the library as a resource:\n"
        + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: "
        + "libcuda.so.1: cannot open shared object file: No such file or directory\n"
        + "\tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)\n";
    assertEquals("JCuda's driver library did not load: /tmp/libJCudaDriver-12.6.0-linux-x86_64"
        + ".so: libcuda.so.1: cannot open shared object file: No such file or directory. "
        + "Device.CUDA needs an NVIDIA driver (libcuda.so.1, CUDA 12.0 or newer); tensors on "
        + "Device.CPU need nothing", Devices.linkFailure(new UnsatisfiedLinkError(jcuda)));
    assertEquals("JCuda's driver library failed to load earlier in this JVM (Could not "
        + "initialize class jcuda.driver.JCudaDriver)", Devices.linkFailure(
        new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver")));
    assertEquals("JCuda (org.jcuda:jcuda) is not on the class path (jcuda/driver/CUresult)",
        Devices.linkFailure(new NoClassDefFoundError("jcuda/driver/CUresult")));
  }

  @Test
  void aSubstituteDeviceThatIsNotOneSaysSo() {
    CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
        () -> DevicesSubstitute.open("java.lang.String"));
    assertTrue(e.getMessage().startsWith("CUDA is not available: adjoint.cuda.api names "
        + "java.lang.String, which is not a usable dev.adjoint.cuda.DeviceApi"), e.getMessage());
  }

  /** Opens {@link Devices} with the property set for one call. */
  static final class DevicesSubstitute {
    static DeviceApi open(String className) {
      String old = System.getProperty("adjoint.cuda.api");
      System.setProperty("adjoint.cuda.api", className);
      try {
        return Devices.open();
      } finally {
        if (old == null) System.clearProperty("adjoint.cuda.api");
        else System.setProperty("adjoint.cuda.api", old);
      }
    }
  }

  /** A JVM that computes on the CPU with adjoint-cuda on its class path loads no JCuda class. */
  @Test
  void cpuCodeNeverLoadsJCuda() throws Exception {
    Path log = Files.createTempFile("classes", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xlog:class+load=info:file=" + log, "-cp",
        System.getProperty("java.class.path"), CpuOnly.class.getName())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains("sum 6.0"), out);
    List<String> lines = Files.readAllLines(log);
    assertTrue(lines.stream().anyMatch(l -> l.contains("dev.adjoint.tensor.Tensor ")),
        "the log lists loaded classes");
    assertTrue(lines.stream().noneMatch(l -> l.contains(" jcuda.")), "JCuda classes loaded: "
        + lines.stream().filter(l -> l.contains(" jcuda.")).findFirst().orElse(""));
    Files.delete(log);
  }

  /** The child JVM of {@link #cpuCodeNeverLoadsJCuda}. */
  public static final class CpuOnly {
    public static void main(String[] args) {
      Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
      System.out.println("sum " + x.mul(x.gt(0).to(x.dtype())).sum().item());
      System.out.println(File.separator.isEmpty());
    }
  }
}
