package dev.adjoint.nn;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One case of {@code nn_reference.safetensors} in one dtype: what PyTorch was given and what it
 * computed ({@code runtime/src/test/python/nn_reference.py} writes the file), and the
 * comparison of Adjoint's results with it.
 */
final class Reference {
  static final Map<String, Tensor> FILE = load();
  static final List<DType> DTYPES = List.of(DType.FLOAT32, DType.FLOAT64);

  private final String prefix;
  final DType dtype;
  private final double tolerance;

  private Reference(String name, DType dtype, double tolerance) {
    this.prefix = name + "." + (dtype == DType.FLOAT32 ? "f32" : "f64") + ".";
    this.dtype = dtype;
    this.tolerance = tolerance;
    if (!FILE.containsKey(prefix + "out")) {
      throw new AssertionError("nn_reference.safetensors has no case " + prefix
          + "; regenerate it with runtime/src/test/python/nn_reference.py");
    }
  }

  /** Float32 results agree with PyTorch's to float32 rounding, float64 ones to double's. */
  static Reference of(String name, DType dtype) {
    return new Reference(name, dtype, dtype == DType.FLOAT32 ? 2e-5 : 1e-11);
  }

  /** The same case compared with another tolerance, where PyTorch rounds more than needed. */
  Reference tolerance(double t) {
    return new Reference(prefix.substring(0, prefix.length() - 5), dtype, t);
  }

  private static Map<String, Tensor> load() {
    try {
      return SafeTensors.read(Path.of(Reference.class.getResource("nn_reference.safetensors")
          .toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Tensor get(String key) {
    Tensor t = FILE.get(prefix + key);
    if (t == null) throw new AssertionError("no " + prefix + key + " in nn_reference.safetensors");
    return t;
  }

  Tensor in(String name) {
    return get("in." + name);
  }

  Tensor param(String name) {
    return get("param." + name);
  }

  /** A parameter, or null where the case has none (a layer without bias). */
  Tensor optionalParam(String name) {
    return FILE.get(prefix + "param." + name);
  }

  Tensor out() {
    return get("out");
  }

  Tensor cot() {
    return get("cot");
  }

  Tensor grad(String name) {
    return get("grad." + name);
  }

  Tensor after(String name) {
    return get("after." + name);
  }

  double tolerance() {
    return tolerance;
  }

  void checkOut(Tensor actual) {
    check("output", out(), actual);
  }

  void checkGrad(String name, Tensor actual) {
    check("gradient of " + name, grad(name), actual);
  }

  /**
   * Equal shapes and dtype, and every element within the dtype's tolerance, relative to
   * {@code max(1, |expected|)}; infinities and NaNs must match exactly.
   */
  void check(String what, Tensor expected, Tensor actual) {
    String where = prefix + " " + what;
    if (actual == null) throw new AssertionError(where + ": null");
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      throw new AssertionError(where + ": shape " + Arrays.toString(actual.shape())
          + ", PyTorch's " + Arrays.toString(expected.shape()));
    }
    if (actual.dtype() != expected.dtype()) {
      throw new AssertionError(where + ": dtype " + actual.dtype() + ", PyTorch's "
          + expected.dtype());
    }
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      boolean same = Double.compare(e[i], a[i]) == 0 || e[i] == a[i];
      double err = Math.abs(a[i] - e[i]) / Math.max(1, Math.abs(e[i]));
      if (!same && !(err <= tolerance())) {
        throw new AssertionError(where + ": element " + i + " is " + a[i] + ", PyTorch's "
            + e[i] + " (relative error " + err + ", tolerance " + tolerance() + ")");
      }
    }
  }
}
