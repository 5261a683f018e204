package dev.adjoint.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend's fast paths against plain references, over awkward sizes and layouts:
 * element-wise operations walked as merged rows (contiguous, broadcast, transposed, sliced,
 * 0-d, empty, and sizes large enough to be split among the cores, down to a single row split
 * in pieces), reductions over every dimension without transposed copies, and the fused kernels
 * of training (relu's derivative, max pooling with indices, gather's adjoint, the two gradients
 * of convolution) against the compositions of ordinary operations they replace.
 */
class FastPathsTest {
  private final Random random = new Random(19);

  private Tensor rand(DType dtype, int... shape) {
    return Ref.random(random, dtype, shape);
  }

  /** The values of {@code t} broadcast to {@code shape}, in row-major order. */
  private static double[] dense(Tensor t, int[] shape) {
    return t.broadcastTo(shape).contiguous().toDoubleArray();
  }

  /** Operand pairs of every layout the row walk distinguishes, small and large. */
  private List<Tensor[]> operandPairs(DType dtype) {
    List<Tensor[]> pairs = new ArrayList<>();
    Tensor x = rand(dtype, 3, 5, 7, 11);
    pairs.add(new Tensor[] {x, rand(dtype, 3, 5, 7, 11)});
    pairs.add(new Tensor[] {x, rand(dtype, 1, 5, 1, 1)});        // a per-channel bias
    pairs.add(new Tensor[] {x, rand(dtype, 11)});                // a per-column bias
    pairs.add(new Tensor[] {x, rand(dtype, 3, 1, 7, 1)});
    pairs.add(new Tensor[] {x, Tensor.scalar(dtype, 1.75)});
    pairs.add(new Tensor[] {Tensor.scalar(dtype, -0.5), x});
    pairs.add(new Tensor[] {x.transpose(1, 3), rand(dtype, 3, 11, 7, 5)});
    pairs.add(new Tensor[] {x.slice(2, 1, 6), rand(dtype, 3, 5, 5, 11).transpose(0, 1)
        .transpose(0, 1)});
    pairs.add(new Tensor[] {x.slice(3, 2, 9).permute(3, 0, 2, 1), rand(dtype, 7)
        .reshape(7, 1, 1, 1)});
    pairs.add(new Tensor[] {Tensor.scalar(dtype, 2), Tensor.scalar(dtype, 3)});
    pairs.add(new Tensor[] {rand(dtype, 0, 4), rand(dtype, 4)});
    pairs.add(new Tensor[] {rand(dtype, 4, 1), rand(dtype, 1, 6)});
    // Large: split among the cores by rows, and (one row) within a row.
    pairs.add(new Tensor[] {rand(dtype, 3, 70_001), rand(dtype, 70_001)});
    pairs.add(new Tensor[] {rand(dtype, 200_003), rand(dtype, 200_003)});
    pairs.add(new Tensor[] {rand(dtype, 130_007), Tensor.scalar(dtype, 0.25)});
    pairs.add(new Tensor[] {rand(dtype, 600, 301).transpose(0, 1), rand(dtype, 301, 600)});
    return pairs;
  }

  @Test
  void binaryOperationsOverEveryLayout() {
    Backend.BinaryOp[] ops = Backend.BinaryOp.values();
    for (DType dtype : DType.values()) {
      for (Tensor[] ab : operandPairs(dtype)) {
        Tensor a = ab[0];
        Tensor b = dtype == DType.INT64 ? ab[1] : ab[1].add(7); // keep divisors away from 0
        int[] shape = Shapes.broadcast("test", a.shape(), b.shape());
        double[] x = dense(a, shape);
        double[] y = dense(b, shape);
        for (Backend.BinaryOp op : ops) {
          if (dtype == DType.INT64 && (op == Backend.BinaryOp.DIV || op == Backend.BinaryOp.POW)) {
            continue;
          }
          Tensor r = apply(op, a, b);
          double[] got = r.toDoubleArray();
          String what = op + " " + dtype + " " + Arrays.toString(a.shape()) + " strides "
              + Arrays.toString(a.strides()) + " with " + Arrays.toString(b.shape());
          assertArrayEquals(shape, r.shape(), what);
          for (int i = 0; i < got.length; i++) {
            double e = reference(op, x[i], y[i], dtype);
            double tol = dtype == DType.FLOAT32 ? 2e-6 * Math.max(1, Math.abs(e)) : 1e-12;
            if (got[i] != e && !(Math.abs(got[i] - e) <= tol)
                && !(Double.isNaN(got[i]) && Double.isNaN(e))) {
              throw new AssertionError(what + " at " + i + ": " + got[i] + ", expected " + e);
            }
          }
        }
      }
    }
  }

  private static Tensor apply(Backend.BinaryOp op, Tensor a, Tensor b) {
    switch (op) {
      case ADD: return a.add(b);
      case SUB: return a.sub(b);
      case MUL: return a.mul(b);
      case DIV: return a.div(b);
      case POW: return a.abs().add(0.5).pow(b.div(4));
      case MAX: return a.maximum(b);
      case MIN: return a.minimum(b);
      case GT: return a.gt(b);
      case LT: return a.lt(b);
      default: return a.eq(b);
    }
  }

  private static double reference(Backend.BinaryOp op, double a, double b, DType dtype) {
    boolean f = dtype == DType.FLOAT32;
    switch (op) {
      case ADD: return f ? (float) a + (float) b : a + b;
      case SUB: return f ? (float) a - (float) b : a - b;
      case MUL: return f ? (float) a * (float) b : a * b;
      case DIV: return f ? (float) a / (float) b : a / b;
      case POW: {
        double base = f ? (float) (Math.abs(a) + 0.5) : Math.abs(a) + 0.5;
        return Math.pow(base, f ? (float) (b / 4) : b / 4);
      }
      case MAX: return Math.max(a, b);
      case MIN: return Math.min(a, b);
      case GT: return a > b ? 1 : 0;
      case LT: return a < b ? 1 : 0;
      default: return a == b ? 1 : 0;
    }
  }

  @Test
  void unaryOperationsOfViews() {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tensor base = rand(dtype, 6, 300, 70);
      for (Tensor v : new Tensor[] {base, base.transpose(0, 2), base.slice(1, 3, 250),
          base.slice(2, 1, 2), rand(dtype, 5).reshape(5, 1).broadcastTo(5, 9)}) {
        double[] x = v.contiguous().toDoubleArray();
        double[] e = v.exp().toDoubleArray();
        double[] n = v.neg().toDoubleArray();
        for (int i = 0; i < x.length; i++) {
          assertEquals(Math.exp(x[i]), e[i], 2e-6 * Math.max(1, Math.exp(x[i])), dtype + " exp");
          assertEquals(-x[i], n[i], 0, dtype + " neg");
        }
      }
    }
  }

  @Test
  void whereOverLayoutsAndConditionTypes() {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
      Tensor a = rand(dtype, 4, 70_000);
      Tensor b = rand(dtype, 70_000);
      for (Tensor cond : new Tensor[] {a.gt(0), a.gt(0).to(DType.FLOAT32), a.gt(0)
          .to(DType.FLOAT64), rand(DType.FLOAT32, 4, 1)}) {
        Tensor r = Tensor.where(cond, a, b);
        int[] shape = {4, 70_000};
        double[] c = dense(cond, shape);
        double[] x = dense(a, shape);
        double[] y = dense(b, shape);
        double[] got = r.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
          assertEquals(c[i] != 0 ? x[i] : y[i], got[i], 0, dtype + " where " + cond.dtype());
        }
      }
    }
  }

  @Test
  void reductionsOverEveryDimension() {
    int[][] shapes = {{3, 5, 7}, {1, 2049, 3}, {2, 3, 1500}, {4, 70_000}, {70_000, 3}, {0, 3}};
    for (DType dtype : DType.values()) {
      for (int[] shape : shapes) {
        Tensor t = rand(dtype, shape);
        for (Tensor x : new Tensor[] {t, shape.length == 2 && shape[0] > 0 ? t.transpose(0, 1)
            : t}) {
          for (int d = 0; d < x.dim(); d++) {
            checkReduction(x, d, dtype);
          }
        }
      }
    }
  }

  private static void checkReduction(Tensor x, int d, DType dtype) {
    int[] shape = x.shape();
    double[] v = x.contiguous().toDoubleArray();
    int outer = 1;
    for (int i = 0; i < d; i++) outer *= shape[i];
    int len = shape[d];
    int inner = 1;
    for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
    double[] sum = x.sum(d, false).toDoubleArray();
    double[] max = len == 0 ? null : x.max(d, true).toDoubleArray();
    long[] arg = len == 0 ? null : x.argmax(d).toLongArray();
    String what = dtype + " " + Arrays.toString(shape) + " dim " + d;
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        double s = 0;
        double m = Double.NEGATIVE_INFINITY;
        int at = 0;
        for (int j = 0; j < len; j++) {
          double e = v[(o * len + j) * inner + i];
          s += e;
          if (e > m) {
            m = e;
            at = j;
          }
        }
        int r = o * inner + i;
        assertEquals(s, sum[r], dtype == DType.FLOAT32 ? 1e-6 * Math.max(1, len) : 1e-9, what);
        if (len > 0) {
          assertEquals(m, max[r], 0, what + " max");
          assertEquals(at, arg[r], what + " argmax (the first of equal values)");
        }
      }
    }
  }

  @Test
  void maxAndArgmaxPropagateNaNAndPickTheFirstOfTies() {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tensor x = Tensor.of(new double[] {1, 3, 3, 0, Double.NaN, 5, 2, Double.NaN, 7, 4, 4, 1},
          3, 4).to(dtype);
      assertArrayEquals(new long[] {1, 0, 0}, x.argmax(1).toLongArray());
      assertArrayEquals(new double[] {3, Double.NaN, 7}, x.max(1, false).toDoubleArray());
      Tensor t = x.transpose(0, 1).contiguous(); // the same rows, reduced along dim 0
      assertArrayEquals(new long[] {1, 0, 0}, t.argmax(0).toLongArray());
      assertArrayEquals(new double[] {3, Double.NaN, 7}, t.max(0, false).toDoubleArray());
    }
  }

  @Test
  void reluBackwardMatchesTheMaskProduct() {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (int[] shape : new int[][] {{1}, {17}, {3, 5, 7, 11}, {2, 90_001}}) {
        Tensor g = rand(dtype, shape);
        Tensor x = rand(dtype, shape);
        if (shape.length == 1 && shape[0] == 17) {
          x = Tensor.of(new double[] {Double.NaN, 0, -0.0, 1, -1, Double.NaN, 2, 0, 3, -4, 5,
              Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-30, -1e-30, 6, 7}, 17)
              .to(dtype);
        }
        for (Tensor[] gx : new Tensor[][] {{g, x}, {strided(g), strided(x)}}) {
          Tensor expected = gx[0].mul(gx[1].gt(0).to(dtype));
          assertArrayEquals(expected.toDoubleArray(), Tensor.reluBackward(gx[0], gx[1])
              .toDoubleArray(), 0, dtype + " " + Arrays.toString(shape));
        }
      }
    }
  }

  /** The same values in a view whose last dimension has stride 2. */
  private Tensor strided(Tensor t) {
    return Tensor.stack(t.dim(), t, rand(t.dtype(), t.shape())).slice(-1, 0, 1).squeeze(-1);
  }

  @Test
  void maxPoolingMatchesTheComposedPathAndNaiveLoops() {
    int[][] configs = {{2, 2, 0}, {3, 1, 1}, {3, 2, 1}, {2, 1, 0}, {3, 3, 0}, {4, 2, 2}};
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (int[] c : configs) {
        for (int[] shape : new int[][] {{2, 3, 9, 7}, {1, 1, 4, 4}, {5, 16, 28, 28}}) {
          Tensor x = rand(dtype, shape);
          if (shape[2] == 9) {
            x = withSpecialValues(x);
          }
          for (Tensor in : new Tensor[] {x, x.transpose(2, 3).contiguous().transpose(2, 3)}) {
            checkPooling(in, c[0], c[1], c[2]);
          }
        }
      }
    }
  }

  /** NaN in some windows, a window of -inf, and ties. */
  private static Tensor withSpecialValues(Tensor x) {
    double[] v = x.toDoubleArray();
    v[4] = Double.NaN;
    v[70] = Double.NaN;
    v[71] = Double.NaN;
    for (int i = 0; i < 9 * 7; i++) v[2 * 63 + i] = Double.NEGATIVE_INFINITY; // one whole plane
    v[3 * 63 + 10] = 5;
    v[3 * 63 + 11] = 5;
    v[3 * 63 + 17] = 5;
    return Tensor.of(v, x.shape()).to(x.dtype());
  }

  private static void checkPooling(Tensor x, int k, int s, int p) {
    Backend.Window w = new Backend.Window(k, s, p, 1);
    Tensor values = x.maxPool2d(k, s, p);
    Tensor indices = x.maxPool2dIndices(k, s, p);
    Tensor[] composed = x.maxPoolComposed(w);
    String what = x.dtype() + " " + Arrays.toString(x.shape()) + " k=" + k + " s=" + s + " p="
        + p;
    assertArrayEquals(composed[0].toDoubleArray(), values.toDoubleArray(), 0, what);
    assertArrayEquals(composed[1].toLongArray(), indices.toLongArray(), what);
    int[] sh = x.shape();
    double[] v = x.contiguous().toDoubleArray();
    int oh = w.out(sh[2]);
    int ow = w.out(sh[3]);
    double[] got = values.toDoubleArray();
    long[] at = indices.toLongArray();
    for (int plane = 0; plane < sh[0] * sh[1]; plane++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double m = Double.NEGATIVE_INFINITY;
          int best = -1;
          for (int y = oy * s - p; y < oy * s - p + k; y++) {
            for (int xx = ox * s - p; xx < ox * s - p + k; xx++) {
              if (y < 0 || y >= sh[2] || xx < 0 || xx >= sh[3]) continue;
              double e = v[plane * sh[2] * sh[3] + y * sh[3] + xx];
              if (best < 0 || (!Double.isNaN(m) && (e > m || Double.isNaN(e)))) {
                m = e;
                best = y * sh[3] + xx;
              }
            }
          }
          int o = (plane * oh + oy) * ow + ox;
          assertEquals(m, got[o], 0, what + " value " + o);
          assertEquals(best, at[o], what + " index " + o);
        }
      }
    }
  }

  @Test
  void gatherBackwardMatchesTheOneHotProduct() {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      int[] shape = {4, 6, 5};
      for (int dim = 0; dim < 3; dim++) {
        int[] is = shape.clone();
        is[dim] = 7; // more picks than positions: repeats are summed
        long[] idx = new long[4 * 6 * 5 * 7 / shape[dim]];
        for (int i = 0; i < idx.length; i++) idx[i] = random.nextInt(shape[dim]);
        Tensor index = Tensor.of(idx, is);
        Tensor src = rand(dtype, is);
        for (Tensor sv : new Tensor[] {src, src.transpose(0, 2).contiguous().transpose(0, 2)}) {
          assertArrayEquals(Tensor.gatherBackwardComposed(shape, dim, index, sv).toDoubleArray(),
              Tensor.gatherBackward(shape, dim, index, sv).toDoubleArray(), 1e-6,
              dtype + " dim " + dim);
        }
      }
      // Large enough to split among the cores (along dim 0, scattering along dim 1).
      int[] big = {64, 16, 784};
      long[] idx = new long[64 * 16 * 196];
      for (int i = 0; i < idx.length; i++) idx[i] = random.nextInt(784);
      Tensor index = Tensor.of(idx, 64, 16, 196);
      Tensor src = rand(dtype, 64, 16, 196);
      Tensor got = Tensor.gatherBackward(big, 2, index, src);
      double[] expected = new double[64 * 16 * 784];
      double[] sv = src.toDoubleArray();
      for (int i = 0; i < idx.length; i++) expected[(i / 196) * 784 + (int) idx[i]] += sv[i];
      assertArrayEquals(expected, got.toDoubleArray(), 1e-5, dtype + " large");
    }
  }

  @Test
  void convolutionGradientsMatchTheirComposition() {
    // {kernel, stride, padding, dilation}: stride 1 without dilation is the shifted-rows path
    // (same-size, valid, even kernels, padding past k - 1 for the input gradient), the others
    // the per-image im2col path.
    int[][] windows = {{3, 1, 1, 1}, {3, 1, 0, 1}, {3, 2, 1, 1}, {2, 2, 0, 1}, {3, 1, 2, 2},
        {1, 1, 0, 1}, {5, 1, 2, 1}, {2, 1, 1, 1}, {1, 1, 1, 1}, {3, 1, 3, 1}, {4, 1, 1, 1}};
    for (int[] c : windows) {
      int k = c[0];
      int stride = c[1];
      int pad = c[2];
      int dil = c[3];
      for (int[] sizes : new int[][] {{3, 4, 9, 7, 5}, {1, 1, 6, 6, 2}, {5, 16, 14, 14, 32}}) {
        int n = sizes[0];
        int ch = sizes[1];
        int o = sizes[4];
        Tensor x = rand(DType.FLOAT32, n, ch, sizes[2], sizes[3]);
        Tensor w = rand(DType.FLOAT32, o, ch, k, k);
        Tensor y = x.conv2d(w, null, stride, pad, dil, 1);
        Tensor g = rand(DType.FLOAT32, y.shape());
        String what = Arrays.toString(sizes) + " window " + Arrays.toString(c);
        // The compositions the fused kernels replace, in float64.
        Tensor x64 = x.to(DType.FLOAT64);
        Tensor w64 = w.to(DType.FLOAT64);
        Tensor g64 = g.to(DType.FLOAT64);
        int windowsOut = y.size(2) * y.size(3);
        Tensor gcols = w64.reshape(o, ch * k * k).transpose(0, 1)
            .matmul(g64.reshape(n, o, windowsOut));
        Tensor inputGrad = gcols.fold(sizes[2], sizes[3], k, stride, pad, dil);
        Tensor cols = x64.unfold(k, stride, pad, dil);
        Tensor weightGrad = g64.reshape(n, o, windowsOut).matmul(cols.transpose(1, 2)).sum(0,
            false).reshape(o, ch, k, k);
        close(inputGrad, Tensor.conv2dInputGrad(x.shape(), w, g, stride, pad, dil, 1),
            what + " input");
        close(weightGrad, Tensor.conv2dWeightGrad(x, w.shape(), g, stride, pad, dil, 1),
            what + " weight");
        // A strided view of the gradient reads the same.
        Tensor gv = g.transpose(2, 3).contiguous().transpose(2, 3);
        close(inputGrad, Tensor.conv2dInputGrad(x.shape(), w, gv, stride, pad, dil, 1),
            what + " input, strided gradient");
      }
    }
  }

  /** Equal up to float32 rounding of sums of many products: relative to the largest value. */
  private static void close(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what);
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    double scale = 1;
    for (double v : e) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], a[i], 2e-5 * scale, what + " at " + i);
    }
  }
}
