package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Storage;

/** A Java array: {@code float[]} (FLOAT32), {@code double[]} (FLOAT64) or {@code long[]}. */
final class CpuStorage implements Storage {
  final DType dtype;
  final float[] f;
  final double[] d;
  final long[] l;

  /** The backing array, whichever element type it has. */
  Object array() {
    return f != null ? f : d != null ? (Object) d : l;
  }

  CpuStorage(float[] f) {
    this.dtype = DType.FLOAT32;
    this.f = f;
    this.d = null;
    this.l = null;
  }

  CpuStorage(double[] d) {
    this.dtype = DType.FLOAT64;
    this.f = null;
    this.d = d;
    this.l = null;
  }

  CpuStorage(long[] l) {
    this.dtype = DType.INT64;
    this.f = null;
    this.d = null;
    this.l = l;
  }

  static CpuStorage allocate(DType dtype, int n) {
    switch (dtype) {
      case FLOAT32: return new CpuStorage(new float[n]);
      case FLOAT64: return new CpuStorage(new double[n]);
      default: return new CpuStorage(new long[n]);
    }
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  public int length() {
    return f != null ? f.length : d != null ? d.length : l.length;
  }

  double get(int i) {
    return f != null ? f[i] : d != null ? d[i] : l[i];
  }

  void set(int i, double v) {
    if (f != null) {
      f[i] = (float) v;
    } else if (d != null) {
      d[i] = v;
    } else {
      l[i] = (long) v;
    }
  }
}
