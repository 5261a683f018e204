package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend.ReduceOp;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * Reductions on the CPU, over one dimension of a contiguous tensor seen as {@code [outer, len,
 * inner]}: with {@code inner = 1} each output is one run of {@code len} elements; otherwise whole
 * rows of {@code inner} elements are combined, in place, so that no transposed copy is made.
 * float32 sums stay blocked (1024 elements summed in float, blocks carried in double) either
 * way. Outputs are split among the cores above {@link Parallel#GRAIN} elements per core, by
 * fixed ranges, so results do not depend on scheduling. MAX and ARGMAX propagate NaN and pick
 * the first of equal values, as PyTorch.
 */
final class Reductions {
  private static final int BLOCK = ScalarFloatKernels.SUM_BLOCK;

  private Reductions() {}

  static Tensor reduce(FloatKernels kernels, ReduceOp op, Tensor x, int dim, boolean keepDim) {
    int[] shape = x.shape();
    int[] outShape;
    int outer;
    int len;
    int inner;
    if (dim < 0) {
      outShape = new int[keepDim ? shape.length : 0];
      Arrays.fill(outShape, 1);
      outer = 1;
      len = x.numel();
      inner = 1;
    } else {
      outShape = shape.clone();
      if (keepDim) {
        outShape[dim] = 1;
      } else {
        outShape = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != dim) outShape[j++] = shape[i];
      }
      outer = Shapes.numel(Arrays.copyOf(shape, dim));
      len = shape[dim];
      inner = Shapes.numel(Arrays.copyOfRange(shape, dim + 1, shape.length));
    }
    Tensor c = x.isContiguous() ? x : x.contiguous();
    CpuStorage s = (CpuStorage) c.storage();
    int base = c.offset();
    DType type = op == ReduceOp.ARGMAX ? DType.INT64 : x.dtype();
    CpuStorage out = CpuStorage.allocate(type, outer * inner);
    Tensor result = new Tensor(out, outShape);
    if (outer * inner == 0 || len == 0) return result; // an empty sum is 0
    if (dim < 0 && op == ReduceOp.SUM && s.f != null) {
      // One long run: its blocks in parallel, carried in double in a fixed order.
      out.f[0] = (float) sumRun(kernels, s.f, base, len);
      return result;
    }
    long work = (long) outer * len * inner;
    int chunks = Parallel.chunks(work);
    if (inner == 1) {
      int c1 = Math.min(chunks, outer);
      Parallel.forEach(c1, ch -> {
        for (int r = (int) ((long) outer * ch / c1); r < (long) outer * (ch + 1) / c1; r++) {
          run(kernels, op, s, base + r * len, len, out, r);
        }
      });
    } else {
      int pieces = Math.max(1, Math.min(chunks, outer * ((inner + 63) / 64)));
      Parallel.forEach(pieces, ch -> {
        long from = (long) outer * inner * ch / pieces;
        long to = (long) outer * inner * (ch + 1) / pieces;
        // [from, to) over the outputs in order: whole or partial rows of inner elements.
        for (long at = from; at < to; ) {
          int o = (int) (at / inner);
          int i0 = (int) (at % inner);
          int i1 = (int) Math.min(inner, i0 + (to - at));
          columns(op, s, base + o * len * inner, len, inner, i0, i1, out, o * inner);
          at += i1 - i0;
        }
      });
    }
    return result;
  }

  /** A float32 sum of one long run, its 1024-element blocks shared among the cores. */
  private static double sumRun(FloatKernels kernels, float[] x, int off, int n) {
    int chunks = Parallel.chunks(n);
    if (chunks <= 1) return kernels.sum(x, off, n);
    int blocks = (n + BLOCK - 1) / BLOCK;
    double[] partial = new double[chunks];
    Parallel.forEach(chunks, c -> {
      int b0 = (int) ((long) blocks * c / chunks);
      int b1 = (int) ((long) blocks * (c + 1) / chunks);
      int from = b0 * BLOCK;
      int to = Math.min(n, b1 * BLOCK);
      partial[c] = kernels.sum(x, off + from, Math.max(0, to - from));
    });
    double total = 0;
    for (double p : partial) total += p;
    return total;
  }

  /** Output {@code r} from the run {@code x[at..at+len)}. */
  private static void run(FloatKernels kernels, ReduceOp op, CpuStorage s, int at, int len,
      CpuStorage out, int r) {
    if (op == ReduceOp.SUM) {
      if (s.f != null) {
        out.f[r] = (float) kernels.sum(s.f, at, len);
      } else if (s.d != null) {
        double acc = 0;
        for (int i = 0; i < len; i++) acc += s.d[at + i];
        out.d[r] = acc;
      } else {
        long acc = 0;
        for (int i = 0; i < len; i++) acc += s.l[at + i];
        out.l[r] = acc;
      }
      return;
    }
    int best = 0;
    if (s.f != null) {
      float v = s.f[at];
      for (int i = 1; i < len && v == v; i++) {
        float e = s.f[at + i];
        if (e > v || e != e) {
          v = e;
          best = i;
        }
      }
      if (op == ReduceOp.MAX) out.f[r] = v;
    } else if (s.d != null) {
      double v = s.d[at];
      for (int i = 1; i < len && v == v; i++) {
        double e = s.d[at + i];
        if (e > v || e != e) {
          v = e;
          best = i;
        }
      }
      if (op == ReduceOp.MAX) out.d[r] = v;
    } else {
      long v = s.l[at];
      for (int i = 1; i < len; i++) {
        if (s.l[at + i] > v) {
          v = s.l[at + i];
          best = i;
        }
      }
      if (op == ReduceOp.MAX) out.l[r] = v;
    }
    if (op == ReduceOp.ARGMAX) out.l[r] = best;
  }

  /**
   * Outputs {@code [i0, i1)} of one outer index: {@code x} holds {@code len} rows of
   * {@code inner} elements from {@code at}; the results go to {@code out} from {@code o}.
   */
  private static void columns(ReduceOp op, CpuStorage s, int at, int len, int inner, int i0,
      int i1, CpuStorage out, int o) {
    int w = i1 - i0;
    if (op == ReduceOp.SUM) {
      if (s.f != null) {
        sumColumns(s.f, at + i0, len, inner, w, out.f, o + i0);
      } else if (s.d != null) {
        for (int j = 0; j < len; j++) {
          int row = at + j * inner + i0;
          for (int i = 0; i < w; i++) out.d[o + i0 + i] += s.d[row + i];
        }
      } else {
        for (int j = 0; j < len; j++) {
          int row = at + j * inner + i0;
          for (int i = 0; i < w; i++) out.l[o + i0 + i] += s.l[row + i];
        }
      }
      return;
    }
    long[] index = op == ReduceOp.ARGMAX ? out.l : null;
    if (s.f != null) {
      float[] best = op == ReduceOp.MAX ? out.f : new float[w];
      int bo = op == ReduceOp.MAX ? o + i0 : 0;
      System.arraycopy(s.f, at + i0, best, bo, w);
      for (int j = 1; j < len; j++) {
        int row = at + j * inner + i0;
        for (int i = 0; i < w; i++) {
          float v = best[bo + i];
          float e = s.f[row + i];
          if (v == v && (e > v || e != e)) {
            best[bo + i] = e;
            if (index != null) index[o + i0 + i] = j;
          }
        }
      }
    } else if (s.d != null) {
      double[] best = op == ReduceOp.MAX ? out.d : new double[w];
      int bo = op == ReduceOp.MAX ? o + i0 : 0;
      System.arraycopy(s.d, at + i0, best, bo, w);
      for (int j = 1; j < len; j++) {
        int row = at + j * inner + i0;
        for (int i = 0; i < w; i++) {
          double v = best[bo + i];
          double e = s.d[row + i];
          if (v == v && (e > v || e != e)) {
            best[bo + i] = e;
            if (index != null) index[o + i0 + i] = j;
          }
        }
      }
    } else {
      long[] best = op == ReduceOp.MAX ? out.l : new long[w];
      int bo = op == ReduceOp.MAX ? o + i0 : 0;
      System.arraycopy(s.l, at + i0, best, bo, w);
      for (int j = 1; j < len; j++) {
        int row = at + j * inner + i0;
        for (int i = 0; i < w; i++) {
          if (s.l[row + i] > best[bo + i]) {
            best[bo + i] = s.l[row + i];
            if (index != null) index[o + i0 + i] = j;
          }
        }
      }
    }
  }

  /**
   * Column sums of {@code len} rows of {@code inner} floats (w of them from {@code at}): rows
   * added in float in blocks of 1024, the blocks carried in double, as the run sums are.
   */
  private static void sumColumns(float[] x, int at, int len, int inner, int w, float[] out,
      int o) {
    if (len <= BLOCK) {
      System.arraycopy(x, at, out, o, w);
      for (int j = 1; j < len; j++) addRow(x, at + j * inner, out, o, w);
      return;
    }
    float[] block = new float[w];
    double[] total = new double[w];
    for (int j0 = 0; j0 < len; j0 += BLOCK) {
      int j1 = Math.min(len, j0 + BLOCK);
      System.arraycopy(x, at + j0 * inner, block, 0, w);
      for (int j = j0 + 1; j < j1; j++) addRow(x, at + j * inner, block, 0, w);
      for (int i = 0; i < w; i++) total[i] += block[i];
    }
    for (int i = 0; i < w; i++) out[o + i] = (float) total[i];
  }

  private static void addRow(float[] x, int from, float[] acc, int at, int w) {
    for (int i = 0; i < w; i++) acc[at + i] += x[from + i];
  }
}
