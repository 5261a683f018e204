package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend.Window;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;

/**
 * Max pooling in one pass per plane (values and the flat index of each maximum, planes spread
 * over the cores), and the scatter that is gather's adjoint, which max pooling's backward uses.
 */
final class Pooling {
  private Pooling() {}

  /**
   * {@link dev.adjoint.tensor.Backend#maxPool2d} for float32 (through the kernels, windows in
   * lanes) and float64; null for INT64, which the caller composes. Padding is -inf, so it never
   * wins; the first maximum in window order wins, NaN wins and stays.
   */
  static Tensor[] maxPool2d(FloatKernels kernels, Tensor x, Window w) {
    if (!x.dtype().isFloating()) return null;
    Tensor c = x.isContiguous() ? x : x.contiguous();
    int[] s = c.shape();
    int planes = s[0] * s[1];
    int h = s[2];
    int wd = s[3];
    int oh = w.out(h);
    int ow = w.out(wd);
    int plane = h * wd;
    int windows = oh * ow;
    int elems = w.kernel() * w.kernel();
    int[] map = new int[elems * windows];
    int[] first = new int[windows];
    for (int l = 0; l < windows; l++) {
      int y0 = (l / ow) * w.stride() - w.padding();
      int x0 = (l % ow) * w.stride() - w.padding();
      first[l] = Math.max(0, y0) * wd + Math.max(0, x0);
      for (int e = 0; e < elems; e++) {
        int y = y0 + e / w.kernel();
        int xx = x0 + e % w.kernel();
        map[e * windows + l] = y < 0 || y >= h || xx < 0 || xx >= wd ? -1 : y * wd + xx;
      }
    }
    CpuStorage src = (CpuStorage) c.storage();
    CpuStorage values = CpuStorage.allocate(x.dtype(), planes * windows);
    long[] index = new long[planes * windows];
    int base = c.offset();
    int chunks = Math.max(1, Math.min(planes, Parallel.chunks((long) planes * plane)));
    Parallel.forEach(chunks, ch -> {
      int[] scratch = new int[windows];
      for (int p = planes * ch / chunks; p < (long) planes * (ch + 1) / chunks; p++) {
        int at = base + p * plane;
        int o = p * windows;
        if (src.f != null) {
          kernels.maxPool(src.f, at, map, first, windows, elems, values.f, o, scratch, 0);
        } else {
          plane(src.d, at, map, first, windows, elems, values.d, o, scratch);
        }
        for (int l = 0; l < windows; l++) index[o + l] = scratch[l];
      }
    });
    int[] outShape = {s[0], s[1], oh, ow};
    return new Tensor[] {new Tensor(values, outShape), new Tensor(new CpuStorage(index),
        outShape)};
  }

  /** float64: the plain loop of {@link ScalarFloatKernels#maxPool}. */
  private static void plane(double[] x, int at, int[] map, int[] first, int windows, int elems,
      double[] values, int vo, int[] index) {
    for (int l = 0; l < windows; l++) {
      int best = first[l];
      double v = Double.NEGATIVE_INFINITY;
      for (int e = 0; e < elems && v == v; e++) {
        int off = map[e * windows + l];
        if (off < 0) continue;
        double y = x[at + off];
        if (y > v || y != y) {
          v = y;
          best = off;
        }
      }
      values[vo + l] = v;
      index[l] = best;
    }
  }

  /**
   * {@link dev.adjoint.tensor.Backend#gatherBackward}: every element of {@code src} added into
   * zeros of {@code shape} where {@code index} points. Slices along the first dimension go to
   * different threads when that dimension is not the scattered one (they write disjoint parts).
   */
  static Tensor gatherBackward(int[] shape, int dim, Tensor index, Tensor src) {
    int[] is = index.shape();
    CpuStorage out = CpuStorage.allocate(src.dtype(), Shapes.numel(shape));
    Tensor result = new Tensor(out, shape);
    if (index.numel() == 0) return result;
    int[] outStrides = Shapes.contiguousStrides(shape);
    int dimStride = outStrides[dim];
    int[] viewStrides = outStrides.clone();
    viewStrides[dim] = 0;
    // The output position of every index element except along dim, as a view of index's shape.
    Tensor target = new Tensor(out, is, viewStrides, 0);
    Tensor idx = index.dtype() == DType.INT64 ? index : index.to(DType.INT64);
    long[] il = ((CpuStorage) idx.storage()).l;
    CpuStorage s = (CpuStorage) src.storage();
    int size = shape[dim];
    int parts = dim != 0 && is[0] > 1 ? Math.min(is[0], Parallel.chunks(index.numel())) : 1;
    Parallel.forEach(Math.max(1, parts), part -> {
      int lo = (int) ((long) is[0] * part / Math.max(1, parts));
      int hi = (int) ((long) is[0] * (part + 1) / Math.max(1, parts));
      Tensor t = parts > 1 ? target.slice(0, lo, hi) : target;
      Tensor i = parts > 1 ? idx.slice(0, lo, hi) : idx;
      Tensor v = parts > 1 ? src.slice(0, lo, hi) : src;
      RowPlan plan = RowPlan.of(t.shape(), t, i, v);
      int ts = plan.length() == 1 ? 0 : plan.rowStride(0);
      int ix = plan.length() == 1 ? 0 : plan.rowStride(1);
      int vs = plan.length() == 1 ? 0 : plan.rowStride(2);
      plan.forRows(0, plan.rows(), (at, len) -> {
        for (int e = 0; e < len; e++) {
          long j = il[at[1] + e * ix];
          if (j < 0 || j >= size) {
            throw new IllegalArgumentException("gather: index " + j + " is out of range for "
                + "dimension " + dim + " of size " + size + " (shape " + Shapes.str(shape)
                + ")");
          }
          int o = at[0] + e * ts + (int) j * dimStride;
          if (out.f != null) out.f[o] += s.f[at[2] + e * vs];
          else if (out.d != null) out.d[o] += s.d[at[2] + e * vs];
          else out.l[o] += s.l[at[2] + e * vs];
        }
      });
    });
    return result;
  }
}
