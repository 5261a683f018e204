package dev.adjoint.cuda.check;

import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;

/** Copies of arguments with every tensor moved to a device (other values as they are). */
final class Moves {
  private Moves() {}

  static Object[] to(Device device, Object[] args) {
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) out[i] = to(device, args[i]);
    return out;
  }

  static Object to(Device device, Object v) {
    if (v == null) return null;
    if (v instanceof Tensor) return ((Tensor) v).to(device);
    if (v instanceof Tensor[]) {
      Tensor[] ts = (Tensor[]) v;
      Tensor[] out = new Tensor[ts.length];
      for (int i = 0; i < ts.length; i++) out[i] = ts[i].to(device);
      return out;
    }
    return v;
  }
}
