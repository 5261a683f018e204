package dev.adjoint.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernels, as PTX modules in this jar ({@code dev/adjoint/cuda/ptx/<module>.ptx}, generated
 * from {@code src/main/cuda} by {@code regenerate-ptx.sh}). A module is JIT-compiled by the
 * driver the first time one of its kernels is needed, so a program pays only for the areas it
 * uses; the driver caches the result on disk across runs.
 */
final class Kernels {
  static final String ELEMENTWISE = "elementwise";
  static final String REDUCE = "reduce";
  static final String INDEX = "index";
  static final String IMAGE = "image";
  static final String GEMM = "gemm";
  static final String OPTIM = "optim";
  static final String[] MODULES = {ELEMENTWISE, REDUCE, INDEX, IMAGE, GEMM, OPTIM};

  private static final Pattern VERSION = Pattern.compile("(?m)^\\.version\\s+(\\S+)");

  private final DeviceApi api;
  private final Map<String, Object> modules = new HashMap<>();
  private final Map<String, Object> functions = new ConcurrentHashMap<>();

  Kernels(DeviceApi api) {
    this.api = api;
  }

  /** The handle of {@code kernel} in {@code module}, loading the module on first use. */
  Object get(String module, String kernel) {
    Object f = functions.get(kernel);
    if (f != null) return f;
    synchronized (this) {
      Object m = modules.get(module);
      if (m == null) {
        m = api.loadModule(module, ptx(module));
        modules.put(module, m);
      }
      f = api.function(m, kernel);
      functions.put(kernel, f);
      return f;
    }
  }

  /** The PTX text of a module, from this jar. */
  static String ptx(String module) {
    String path = "ptx/" + module + ".ptx";
    try (InputStream in = Kernels.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("CUDA: kernel module " + module + " is missing from "
            + "the adjoint-cuda jar (dev/adjoint/cuda/" + path + "); the jar is damaged or "
            + "was built without its resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("CUDA: cannot read kernel module " + module, e);
    }
  }

  /** The PTX ISA version a module declares ({@code .version}). */
  static String isaVersion(String ptx) {
    Matcher m = VERSION.matcher(ptx);
    return m.find() ? m.group(1) : "unknown";
  }

  /**
   * The error for a module the driver would not load: a driver too old for the PTX (the user
   * can fix that, so CUDA is "not available"), or a compilation error (a bug of ours).
   */
  static RuntimeException loadError(String module, String code, String jitLog) {
    String isa = isaVersion(ptx(module));
    String log = jitLog == null || jitLog.isBlank() ? "" : "; JIT log: " + jitLog.trim();
    if (code.contains("UNSUPPORTED_PTX_VERSION")) {
      return new CudaUnavailableException("the NVIDIA driver cannot load the kernels (" + code
          + "): they are PTX ISA " + isa + ", which needs a CUDA 12.0 driver (r525) or newer; "
          + "update the driver" + log, null);
    }
    if (code.contains("NO_BINARY_FOR_GPU")) {
      return new CudaUnavailableException("the kernels (PTX ISA " + isa + ", sm_80) cannot run "
          + "on this GPU (" + code + "); a GPU of compute capability 8.0 or newer is needed"
          + log, null);
    }
    return new IllegalStateException("CUDA: the driver's JIT compiler rejected kernel module "
        + module + " (PTX ISA " + isa + "): " + code + log);
  }
}
