package dev.adjoint.tensor;

import dev.adjoint.backend.cpu.CpuBackend;
import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds the backend of each device: CPU is built in; other devices come from
 * {@code ServiceLoader<Backend>} on first use, so that code which never touches
 * {@code Device.CUDA} never loads JCuda.
 */
public final class Backends {
  private static final Map<Device, Backend> LOADED = new EnumMap<>(Device.class);

  private Backends() {}

  /**
   * The backend of {@code device}, loaded on first use; an error saying which module to add when
   * none is on the class path.
   */
  public static synchronized Backend get(Device device) {
    Backend b = LOADED.get(device);
    if (b != null) return b;
    if (device == Device.CPU) {
      b = CpuBackend.INSTANCE;
    } else {
      for (Backend candidate : ServiceLoader.load(Backend.class)) {
        if (candidate.device() == device) b = candidate;
      }
      if (b == null) {
        throw new IllegalStateException("no backend for " + device + " on the class path; add "
            + "the adjoint-cuda module (and a CUDA driver) to use Device.CUDA");
      }
    }
    LOADED.put(device, b);
    return b;
  }
}
