package dev.adjoint.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Naive float64 references for the tensor tests: index walking, nothing clever. */
final class Ref {
  private Ref() {}

  /** Every index of a shape, in row-major order. */
  static List<int[]> indices(int... shape) {
    List<int[]> out = new ArrayList<>();
    int n = 1;
    for (int s : shape) n *= s;
    int[] idx = new int[shape.length];
    for (int i = 0; i < n; i++) {
      out.add(idx.clone());
      for (int d = shape.length - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  }

  /** The index into a tensor of {@code shape} that a broadcast output index reads. */
  static int[] broadcastIndex(int[] outIndex, int[] shape) {
    int[] r = new int[shape.length];
    int lead = outIndex.length - shape.length;
    for (int i = 0; i < shape.length; i++) r[i] = shape[i] == 1 ? 0 : outIndex[i + lead];
    return r;
  }

  static Tensor random(Random r, DType dtype, int... shape) {
    int n = 1;
    for (int s : shape) n *= s;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = Math.round(r.nextGaussian() * 1000) / 250.0;
    return Tensor.of(d, shape).to(dtype);
  }

  /** Checks every element of {@code actual} (of {@code shape}) against {@code expected}. */
  static void check(String what, Tensor actual, int[] shape, ToDoubleFunction<int[]> expected,
      double tolerance) {
    if (!java.util.Arrays.equals(actual.shape(), shape)) {
      throw new AssertionError(what + ": shape " + java.util.Arrays.toString(actual.shape())
          + ", expected " + java.util.Arrays.toString(shape));
    }
    for (int[] idx : indices(shape)) {
      double e = expected.applyAsDouble(idx);
      double a = actual.get(idx);
      double err = Math.abs(a - e) / Math.max(1, Math.abs(e));
      if (!(err <= tolerance) && !(Double.isNaN(a) && Double.isNaN(e))) {
        throw new AssertionError(what + " at " + java.util.Arrays.toString(idx) + ": " + a
            + ", expected " + e);
      }
    }
  }
}
