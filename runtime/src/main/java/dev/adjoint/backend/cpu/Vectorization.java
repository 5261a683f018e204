package dev.adjoint.backend.cpu;

import java.util.Locale;
import java.util.logging.Logger;

/**
 * Decides, once, which float32 kernels the CPU backend uses (Lucene's pattern): the Vector API
 * when the {@code jdk.incubator.vector} module is readable (run with
 * {@code --add-modules jdk.incubator.vector}), plain loops otherwise. The Vector API class is
 * loaded by reflection here, the one seam, so that nothing else links against the incubator
 * module. {@code -Dadjoint.vectorization=scalar} forces the plain loops. The choice and the
 * reason are logged once.
 */
public final class Vectorization {
  private static final Logger LOG = Logger.getLogger(Vectorization.class.getName());
  private static final FloatKernels KERNELS = lookup();

  private Vectorization() {}

  /** The kernels in use. */
  public static FloatKernels kernels() {
    return KERNELS;
  }

  /** The Vector API kernels, or null when the module is not available. */
  public static FloatKernels vectorKernels() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
    try {
      return (FloatKernels) Class.forName("dev.adjoint.backend.cpu.PanamaFloatKernels")
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  private static FloatKernels lookup() {
    String forced = System.getProperty("adjoint.vectorization", "").toLowerCase(Locale.ROOT);
    if (forced.equals("scalar")) {
      LOG.info("Adjoint CPU kernels: plain loops (forced by -Dadjoint.vectorization=scalar)");
      return new ScalarFloatKernels();
    }
    FloatKernels v = vectorKernels();
    if (v == null) {
      LOG.info("Adjoint CPU kernels: plain loops; add --add-modules jdk.incubator.vector "
          + "to use the Vector API (several times faster matmul)");
      return new ScalarFloatKernels();
    }
    LOG.info("Adjoint CPU kernels: " + v.name());
    return v;
  }
}
