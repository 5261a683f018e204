package dev.adjoint.cuda.check;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * How far a CUDA result is from the CPU's: the largest error over elements, each
 * {@code |actual - expected| / max(1, |expected|)}, NaN matching NaN; or why they cannot be
 * compared (shape, dtype, device, kind).
 */
public final class Compare {
  private Compare() {}

  /** The tolerance of a result's dtype (TF32 products get their own, looser one). */
  public static double tolerance(DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return 1e-4;
      case FLOAT64:
        return 1e-9;
      default:
        return 0;
    }
  }

  /** The comparison of one result. */
  public record Diff(double error, double tolerance, String problem) {
    public boolean ok() {
      return problem == null && error <= tolerance;
    }
  }

  /**
   * {@code onDevice}: tensor results must be on CUDA (all but those made from Java arrays,
   * such as {@code Tensor.of}, which are on the CPU by definition).
   */
  public static Diff of(Object expected, Object actual, double scale, DType dtype,
      boolean onDevice) {
    if (expected instanceof Tensor) {
      if (!(actual instanceof Tensor)) return new Diff(Double.NaN, 0, "not a tensor: " + actual);
      return tensors((Tensor) expected, (Tensor) actual, scale, onDevice);
    }
    if (expected instanceof Tensor[]) {
      Tensor[] e = (Tensor[]) expected;
      if (!(actual instanceof Tensor[]) || ((Tensor[]) actual).length != e.length) {
        return new Diff(Double.NaN, 0, "not " + e.length + " tensors");
      }
      Diff worst = new Diff(0, 0, null);
      for (int i = 0; i < e.length; i++) {
        Diff d = tensors(e[i], ((Tensor[]) actual)[i], scale, onDevice);
        if (!d.ok()) return d;
        if (d.error() > worst.error() || i == 0) worst = d;
      }
      return worst;
    }
    if (expected instanceof double[] || expected instanceof float[]) {
      if (actual == null || actual.getClass() != expected.getClass()) {
        return new Diff(Double.NaN, 0, "not a " + expected.getClass().getSimpleName());
      }
      return tensors(array(expected), array(actual), scale, false);
    }
    if (expected instanceof Double) {
      if (!(actual instanceof Double)) return new Diff(Double.NaN, 0, "not a double: " + actual);
      double e = (Double) expected;
      double a = (Double) actual;
      return new Diff(error(e, a), tolerance(dtype) * scale, null);
    }
    return new Diff(Double.NaN, 0, "cannot compare " + expected);
  }

  private static Diff tensors(Tensor e, Tensor a, double scale, boolean onDevice) {
    if (onDevice && a.device() != Device.CUDA) {
      return new Diff(Double.NaN, 0, "result on " + a.device());
    }
    if (!Arrays.equals(e.shape(), a.shape())) {
      return new Diff(Double.NaN, 0, "shape " + Arrays.toString(a.shape()) + ", CPU gives "
          + Arrays.toString(e.shape()));
    }
    if (e.dtype() != a.dtype()) {
      return new Diff(Double.NaN, 0, "dtype " + a.dtype() + ", CPU gives " + e.dtype());
    }
    double tol = tolerance(e.dtype()) * scale;
    Tensor back = a.to(Device.CPU);
    if (e.dtype() == DType.INT64) {
      long[] x = e.toLongArray();
      long[] y = back.toLongArray();
      for (int i = 0; i < x.length; i++) {
        if (x[i] != y[i]) {
          return new Diff(Double.NaN, 0, "element " + i + " is " + y[i] + ", CPU gives " + x[i]);
        }
      }
      return new Diff(0, 0, null);
    }
    double[] x = e.toDoubleArray();
    double[] y = back.toDoubleArray();
    double worst = 0;
    int at = -1;
    for (int i = 0; i < x.length; i++) {
      double err = error(x[i], y[i]);
      if (!(err <= worst)) {
        worst = err;
        at = i;
      }
    }
    if (!(worst <= tol) && at >= 0) {
      return new Diff(worst, tol, "element " + at + " is " + y[at] + ", CPU gives " + x[at]);
    }
    return new Diff(worst, tol, null);
  }

  private static Tensor array(Object values) {
    return values instanceof double[] ? Tensor.of((double[]) values, ((double[]) values).length)
        : Tensor.of((float[]) values, ((float[]) values).length);
  }

  static double error(double e, double a) {
    if (Double.isNaN(e) || Double.isNaN(a)) return Double.isNaN(e) && Double.isNaN(a) ? 0 : Double.POSITIVE_INFINITY;
    if (Double.isInfinite(e) || Double.isInfinite(a)) return e == a ? 0 : Double.POSITIVE_INFINITY;
    return Math.abs(a - e) / Math.max(1, Math.abs(e));
  }
}
