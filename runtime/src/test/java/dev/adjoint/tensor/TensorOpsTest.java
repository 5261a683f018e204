package dev.adjoint.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Every op against a naive float64 reference, over broadcasting corners and views. */
class TensorOpsTest {
  private final Random random = new Random(7);

  private static final int[][][] BROADCAST_PAIRS = {
      {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{3, 1}, {1, 4}}, {{2, 3, 4}, {3, 1}}, {{5}, {}},
      {{}, {2, 2}}, {{0, 3}, {3}}, {{1, 1}, {2, 1, 5}}, {{4, 1, 6}, {4, 7, 1}}};

  @Test
  void creationAndProperties() {
    Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertArrayEquals(new int[] {2, 3}, t.shape());
    assertEquals(2, t.dim());
    assertEquals(6, t.numel());
    assertEquals(DType.FLOAT32, t.dtype());
    assertEquals(Device.CPU, t.device());
    assertEquals(6, t.get(1, 2));
    assertEquals(4, t.get(-1, 0));
    assertEquals(DType.FLOAT64, Tensor.of(new double[] {1}, 1).dtype());
    assertEquals(DType.INT64, Tensor.arange(DType.INT64, 0, 3).dtype());
    assertArrayEquals(new double[] {2, 3, 4}, Tensor.arange(DType.FLOAT64, 2, 5).toDoubleArray());
    assertEquals(7.5, Tensor.full(7.5, 2, 2).get(1, 1));
    assertEquals(3.0, Tensor.scalar(3).item());
    assertEquals(0, Tensor.scalar(3).dim());
    assertArrayEquals(new float[] {0, 0, 0}, Tensor.zeros(3).toFloatArray());
    assertArrayEquals(new long[] {1, 1}, Tensor.ones(DType.INT64, 2).toLongArray());
    // Seeded generators are reproducible.
    assertArrayEquals(Tensor.randn(new Random(3), 4).toFloatArray(),
        Tensor.randn(new Random(3), 4).toFloatArray());
    float[] u = Tensor.rand(new Random(3), 1000).toFloatArray();
    for (float v : u) assertTrue(v >= 0 && v < 1);
  }

  @Test
  void binaryOpsBroadcastLikeNumPy() {
    DoubleBinaryOperator[] refs = {(a, b) -> a + b, (a, b) -> a - b, (a, b) -> a * b,
        (a, b) -> a / b, Math::max, Math::min};
    String[] names = {"add", "sub", "mul", "div", "maximum", "minimum"};
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (int[][] pair : BROADCAST_PAIRS) {
        Tensor a = Ref.random(random, dtype, pair[0]);
        Tensor b = Ref.random(random, dtype, pair[1]).add(dtype == DType.FLOAT32 ? 10 : 10);
        int[] out = Shapes.broadcast("test", pair[0], pair[1]);
        Tensor[] results = {a.add(b), a.sub(b), a.mul(b), a.div(b), a.maximum(b), a.minimum(b)};
        double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-15;
        for (int k = 0; k < refs.length; k++) {
          int kk = k;
          Ref.check(names[k] + " " + Arrays.deepToString(pair), results[k], out,
              i -> refs[kk].applyAsDouble(a.get(Ref.broadcastIndex(i, pair[0])),
                  b.get(Ref.broadcastIndex(i, pair[1]))), tol);
        }
      }
    }
  }

  @Test
  void nonContiguousViews() {
    Tensor base = Ref.random(random, DType.FLOAT32, 4, 6);
    Tensor t = base.transpose(0, 1);
    assertTrue(!t.isContiguous());
    Tensor s = base.slice(1, 1, 5);
    Tensor other = Ref.random(random, DType.FLOAT32, 6, 4);
    Ref.check("transposed add", t.add(other), new int[] {6, 4},
        i -> base.get(i[1], i[0]) + other.get(i), 1e-6);
    Ref.check("sliced exp", s.exp(), new int[] {4, 4}, i -> Math.exp(base.get(i[0], i[1] + 1)),
        1e-6);
    Ref.check("transposed sum", t.sum(0, false), new int[] {4}, i -> {
      double acc = 0;
      for (int j = 0; j < 6; j++) acc += base.get(i[0], j);
      return acc;
    }, 1e-6);
    Tensor perm = Ref.random(random, DType.FLOAT64, 2, 3, 4).permute(2, 0, 1);
    assertArrayEquals(new int[] {4, 2, 3}, perm.shape());
    Tensor c = perm.contiguous();
    assertTrue(c.isContiguous());
    Ref.check("permute", c, new int[] {4, 2, 3}, perm::get, 0);
    Tensor r = perm.reshape(8, 3);
    Ref.check("reshape copies a non-contiguous view", r, new int[] {8, 3},
        i -> c.get((i[0] * 3 + i[1]) / 6, ((i[0] * 3 + i[1]) / 3) % 2, (i[0] * 3 + i[1]) % 3), 0);
  }

  /** float32 comparisons walk rows like arithmetic; broadcast and transposed operands too. */
  @Test
  void float32ComparisonsBroadcast() {
    Tensor a = Ref.random(random, DType.FLOAT32, 3, 4);
    Tensor[] others = {Ref.random(random, DType.FLOAT32, 4), Ref.random(random, DType.FLOAT32,
        3, 1), Tensor.scalar(DType.FLOAT32, 0.25), a.slice(0, 1, 2), Ref.random(random,
        DType.FLOAT32, 4, 3).transpose(0, 1)};
    for (Tensor b : others) {
      int[] shape = {3, 4};
      Ref.check("gt", a.gt(b), shape, i -> a.get(i) > b.broadcastTo(shape).get(i) ? 1 : 0, 0);
      Ref.check("lt", a.lt(b), shape, i -> a.get(i) < b.broadcastTo(shape).get(i) ? 1 : 0, 0);
      Ref.check("eq", a.eq(b), shape, i -> a.get(i) == b.broadcastTo(shape).get(i) ? 1 : 0, 0);
      Tensor mask = a.gt(b).to(DType.FLOAT32);
      assertEquals(DType.FLOAT32, mask.dtype());
      Ref.check("mask", mask, shape, i -> a.get(i) > b.broadcastTo(shape).get(i) ? 1 : 0, 0);
    }
  }

  /** Copies of strided views (tiled transposes, row copies, broadcasts) in every dtype. */
  @Test
  void stridedCopiesOfEveryDtype() {
    for (DType dtype : DType.values()) {
      Tensor base = Ref.random(random, dtype, 3, 45, 70);
      Tensor[] views = {
          base.permute(0, 2, 1), base.permute(2, 0, 1), base.permute(1, 2, 0),
          base.slice(2, 3, 67).transpose(0, 1), base.slice(1, 5, 40), base.transpose(0, 2)
              .slice(0, 1, 2).reshape(45, 3).transpose(0, 1).slice(1, 0, 44),
          base.slice(0, 1, 2).reshape(45, 70).transpose(0, 1).slice(1, 7, 8).reshape(70),
          Ref.random(random, dtype, 70, 1).broadcastTo(70, 33),
          Ref.random(random, dtype, 1).reshape().broadcastTo(2, 3)};
      for (Tensor v : views) {
        Tensor c = v.contiguous();
        assertTrue(c.isContiguous());
        Ref.check(dtype + " copy of " + java.util.Arrays.toString(v.shape()), c, v.shape(),
            v::get, 0);
      }
    }
  }

  @Test
  void unaryOps() {
    Tensor x = Ref.random(random, DType.FLOAT64, 3, 5);
    Tensor p = x.abs().add(0.5);
    DoubleUnaryOperator sigmoid = v -> 1 / (1 + Math.exp(-v));
    check("neg", x.neg(), x, v -> -v);
    check("exp", x.exp(), x, Math::exp);
    check("log", p.log(), p, Math::log);
    check("sqrt", p.sqrt(), p, Math::sqrt);
    check("log1p", p.log1p(), p, Math::log1p);
    Tensor tiny = Tensor.of(new double[] {1e-10, -3e-12, 0}, 3);
    check("log1p of tiny values", tiny.log1p(), tiny, Math::log1p);
    // erf: odd, and known values (Abramowitz and Stegun, table 7.1); ErfTest compares 2,000
    // points with PyTorch.
    Tensor e = Tensor.of(new double[] {0, 0.5, -1, 2, 3.5, -6.5}, 6).erf();
    double[] known = {0, 0.5204998778130465, -0.8427007929497149, 0.9953222650189527,
        0.9999992569016276, -1};
    for (int i = 0; i < known.length; i++) assertEquals(known[i], e.get(i), 2e-16, "erf " + i);
    Ref.check("float32 erf", x.to(DType.FLOAT32).erf(), x.shape(),
        i -> (float) x.erf().get(i), 1e-7);
    check("abs", x.abs(), x, Math::abs);
    check("tanh", x.tanh(), x, Math::tanh);
    check("sigmoid", x.sigmoid(), x, sigmoid);
    check("relu", x.relu(), x, v -> Math.max(v, 0));
    check("sin", x.sin(), x, Math::sin);
    check("cos", x.cos(), x, Math::cos);
    check("pow", p.pow(2.5), p, v -> Math.pow(v, 2.5));
    check("clamp", x.clamp(-0.5, 0.75), x, v -> Math.min(0.75, Math.max(-0.5, v)));
    Tensor f = x.to(DType.FLOAT32);
    Ref.check("float32 tanh", f.tanh(), f.shape(), i -> Math.tanh(f.get(i)), 1e-6);
    Ref.check("float32 sigmoid", f.sigmoid(), f.shape(), i -> sigmoid.applyAsDouble(f.get(i)),
        1e-6);
  }

  private static void check(String what, Tensor actual, Tensor x, DoubleUnaryOperator ref) {
    Ref.check(what, actual, x.shape(), i -> ref.applyAsDouble(x.get(i)), 1e-15);
  }

  @Test
  void reductions() {
    for (int[] shape : new int[][] {{4, 5, 6}, {1, 7}, {3, 1}, {0, 4}}) {
      Tensor x = Ref.random(random, DType.FLOAT64, shape);
      for (int d = 0; d < shape.length; d++) {
        int dd = d;
        for (boolean keep : new boolean[] {false, true}) {
          int[] out = reduced(shape, d, keep);
          Ref.check("sum", x.sum(d, keep), out, i -> fold(x, shape, dd, keep, i, 0,
              (a, b) -> a + b), 1e-12);
          if (shape[d] > 0) {
            Ref.check("max", x.max(d, keep), out, i -> fold(x, shape, dd, keep, i,
                Double.NEGATIVE_INFINITY, Math::max), 0);
            Ref.check("mean", x.mean(d, keep), out, i -> fold(x, shape, dd, keep, i, 0,
                (a, b) -> a + b) / shape[dd], 1e-12);
          }
        }
        if (shape[d] > 0) {
          Tensor arg = x.argmax(d);
          assertEquals(DType.INT64, arg.dtype());
          Ref.check("argmax", x.max(d, false), reduced(shape, d, false), i -> {
            int[] full = expand(i, dd, (int) arg.get(i));
            return x.get(full);
          }, 0);
        }
      }
    }
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    assertEquals(10, x.sum().item());
    assertEquals(2.5, x.mean().item());
    assertEquals(4, x.max().item());
    assertEquals(0, x.sum().dim());
  }

  private static int[] reduced(int[] shape, int d, boolean keep) {
    if (keep) {
      int[] s = shape.clone();
      s[d] = 1;
      return s;
    }
    int[] s = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) if (i != d) s[j++] = shape[i];
    return s;
  }

  private static int[] expand(int[] idx, int d, int value) {
    int[] full = new int[idx.length + 1];
    for (int i = 0, j = 0; i < full.length; i++) full[i] = i == d ? value : idx[j++];
    return full;
  }

  private static double fold(Tensor x, int[] shape, int d, boolean keep, int[] idx, double init,
      DoubleBinaryOperator f) {
    double acc = init;
    for (int k = 0; k < shape[d]; k++) {
      int[] full;
      if (keep) {
        full = idx.clone();
        full[d] = k;
      } else {
        full = expand(idx, d, k);
      }
      acc = f.applyAsDouble(acc, x.get(full));
    }
    return acc;
  }

  @Test
  void float32SumOfAMillionElementsStaysAccurate() {
    float[] data = new float[1_000_000];
    double exact = 0;
    Random r = new Random(1);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (1 + r.nextDouble());
      exact += data[i];
    }
    double got = Tensor.of(data, data.length).sum().item();
    assertTrue(Math.abs(got - exact) / exact < 1e-6, "relative error " + Math.abs(got - exact)
        / exact);
  }

  @Test
  void softmaxFamilyIsStable() {
    Tensor x = Tensor.of(new double[] {1000, 1001, 1002, -5, 0, 5}, 2, 3);
    for (int row = 0; row < 2; row++) {
      double m = Math.max(x.get(row, 0), Math.max(x.get(row, 1), x.get(row, 2)));
      double z = 0;
      for (int j = 0; j < 3; j++) z += Math.exp(x.get(row, j) - m);
      double lse = m + Math.log(z);
      assertEquals(lse, x.logSumExp(1).get(row), 1e-12);
      for (int j = 0; j < 3; j++) {
        assertEquals(Math.exp(x.get(row, j) - lse), x.softmax(1).get(row, j), 1e-13);
        assertEquals(x.get(row, j) - lse, x.logSoftmax(-1).get(row, j), 1e-12);
      }
    }
  }

  @Test
  void matmulAgainstNaiveLoops() {
    int[][][] cases = {{{3, 4}, {4, 5}}, {{1, 1}, {1, 1}}, {{7, 13}, {13, 33}},
        {{2, 3, 4}, {4, 2}}, {{2, 1, 3, 5}, {4, 5, 6}}, {{4}, {4, 3}}, {{3, 4}, {4}}, {{5}, {5}},
        {{0, 3}, {3, 2}}, {{3, 0}, {0, 2}}};
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (int[][] c : cases) {
        Tensor a = Ref.random(random, dtype, c[0]);
        Tensor b = Ref.random(random, dtype, c[1]);
        Tensor p = a.matmul(b);
        Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        int k = a2.size(-1);
        int[] expectedShape = p.shape();
        Ref.check("matmul " + Arrays.deepToString(c), p, expectedShape, idx -> {
          int[] full = idx;
          if (b.dim() == 1) full = Arrays.copyOf(full, full.length + 1);
          if (a.dim() == 1) {
            int[] f = new int[full.length + 1];
            System.arraycopy(full, 0, f, 0, full.length - 1);
            f[full.length - 1] = 0;
            f[full.length] = full[full.length - 1];
            full = f;
          }
          int i = full[full.length - 2];
          int j = full[full.length - 1];
          int[] batch = Arrays.copyOf(full, full.length - 2);
          double acc = 0;
          for (int q = 0; q < k; q++) {
            int[] ai = concat(Ref.broadcastIndex(batch, Arrays.copyOf(a2.shape(), a2.dim() - 2)),
                i, q);
            int[] bi = concat(Ref.broadcastIndex(batch, Arrays.copyOf(b2.shape(), b2.dim() - 2)),
                q, j);
            acc += a2.get(ai) * b2.get(bi);
          }
          return acc;
        }, dtype == DType.FLOAT32 ? 1e-5 : 1e-12);
      }
    }
  }

  private static int[] concat(int[] head, int... tail) {
    int[] out = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }

  @Test
  void shapeViews() {
    Tensor x = Tensor.arange(24).reshape(2, 3, 4);
    assertArrayEquals(new int[] {2, 12}, x.reshape(2, -1).shape());
    assertArrayEquals(new int[] {24}, x.flatten().shape());
    assertArrayEquals(new int[] {2, 1, 3, 4}, x.unsqueeze(1).shape());
    assertArrayEquals(new int[] {2, 3, 4, 1}, x.unsqueeze(-1).shape());
    assertArrayEquals(new int[] {2, 3, 4}, x.unsqueeze(1).squeeze().shape());
    assertArrayEquals(new int[] {2, 3, 4}, x.unsqueeze(0).squeeze(0).shape());
    assertArrayEquals(new int[] {2, 3, 4}, x.squeeze(1).shape());
    Tensor b = Tensor.arange(4).broadcastTo(3, 4);
    Ref.check("broadcastTo", b, new int[] {3, 4}, i -> i[1], 0);
    Tensor s = x.slice(2, 1, 3).slice(0, -1, 2);
    Ref.check("slice", s, new int[] {1, 3, 2}, i -> 12 + i[1] * 4 + i[2] + 1, 0);
    assertEquals(23, x.get(1, 2, 3));
    Ref.check("view", x.view(6, 4), new int[] {6, 4}, i -> i[0] * 4 + i[1], 0);
  }

  @Test
  void indexingJoiningAndSelection() {
    Tensor x = Tensor.arange(12).reshape(3, 4);
    Tensor rows = x.indexSelect(0, Tensor.of(new long[] {2, 0, 2}, 3));
    Ref.check("indexSelect", rows, new int[] {3, 4}, i -> new int[] {2, 0, 2}[i[0]] * 4 + i[1], 0);
    Tensor cols = x.indexSelect(1, Tensor.of(new long[] {3, 1}, 2));
    Ref.check("indexSelect dim 1", cols, new int[] {3, 2},
        i -> i[0] * 4 + new int[] {3, 1}[i[1]], 0);
    Tensor g = x.gather(1, Tensor.of(new long[] {0, 3, 1, 1, 2, 0}, 3, 2));
    long[] gi = {0, 3, 1, 1, 2, 0};
    Ref.check("gather", g, new int[] {3, 2}, i -> i[0] * 4 + gi[i[0] * 2 + i[1]], 0);
    Tensor c = Tensor.cat(1, x, x.slice(1, 0, 2));
    Ref.check("cat", c, new int[] {3, 6}, i -> i[1] < 4 ? i[0] * 4 + i[1] : i[0] * 4 + i[1] - 4,
        0);
    Tensor st = Tensor.stack(0, x, x.mul(2));
    Ref.check("stack", st, new int[] {2, 3, 4}, i -> (i[0] + 1) * (i[1] * 4 + i[2]), 0);
    Tensor w = Tensor.where(x.gt(5), x, x.neg());
    Ref.check("where", w, new int[] {3, 4}, i -> {
      double v = i[0] * 4 + i[1];
      return v > 5 ? v : -v;
    }, 0);
    assertEquals(DType.INT64, x.gt(5).dtype());
    Ref.check("lt", x.lt(3), new int[] {3, 4}, i -> i[0] * 4 + i[1] < 3 ? 1 : 0, 0);
    Ref.check("eq", x.eq(x.transpose(0, 1).contiguous().reshape(3, 4)), new int[] {3, 4},
        i -> i[0] * 4 + i[1] == ((i[0] * 4 + i[1]) % 3) * 4 + (i[0] * 4 + i[1]) / 3 ? 1 : 0, 0);
  }

  @Test
  void int64Arithmetic() {
    Tensor a = Tensor.of(new long[] {1, 2, 3}, 3);
    assertArrayEquals(new long[] {2, 4, 6}, a.add(a).toLongArray());
    assertEquals(DType.INT64, a.add(a).dtype());
    assertEquals(DType.FLOAT32, a.div(a).dtype());
    assertEquals(DType.FLOAT32, a.add(Tensor.ones(3)).dtype());
    assertEquals(6, a.sum().item());
  }

  @Test
  void errorsNameTheOperationAndTheShapes() {
    Tensor a = Tensor.zeros(2, 3);
    assertMessage("add: shapes [2, 3] and [4] cannot be broadcast together (dimension 1: 3 vs 4)",
        () -> a.add(Tensor.zeros(4)));
    assertMessage("matmul: shapes [2, 3] and [2, 3] do not chain (3 columns against 2 rows)",
        () -> a.matmul(Tensor.zeros(2, 3)));
    assertMessage("reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)",
        () -> a.reshape(4, 2));
    assertMessage("view: tensor of shape [3, 2] is not contiguous; use reshape (which copies) "
        + "or contiguous() first", () -> a.transpose(0, 1).view(6));
    assertMessage("sum: dimension 2 is out of range for a 2-dimensional tensor",
        () -> a.sum(2, false));
    assertMessage("slice: [1, 5) is out of range for dimension 1 of size 3 (shape [2, 3])",
        () -> a.slice(1, 1, 5));
    assertMessage("Tensor.of: 5 values do not fill shape [2, 3] (6 elements)",
        () -> Tensor.of(new float[5], 2, 3));
    assertMessage("item: tensor of shape [2, 3] has 6 elements, not 1", a::item);
    assertMessage("get: index 2 is out of range for dimension 0 of size 2 (shape [2, 3])",
        () -> a.get(2, 0));
    assertMessage("indexSelect: index 3 is out of range for dimension 0 of size 2 (shape [2, 3])",
        () -> a.indexSelect(0, Tensor.of(new long[] {3}, 1)));
    assertMessage("indexSelect: index must be a 1-D INT64 tensor, got FLOAT32 [1]",
        () -> a.indexSelect(0, Tensor.zeros(1)));
    assertMessage("gather: index 5 is out of range for dimension 1 of size 3 (shape [2, 3])",
        () -> a.gather(1, Tensor.of(new long[] {5, 0}, 2, 1)));
    assertMessage("cat: FLOAT32 [2, 2] does not match FLOAT32 [2, 3] outside dimension 0",
        () -> Tensor.cat(0, a, Tensor.zeros(2, 2)));
    assertMessage("matmul: dtypes differ (FLOAT32 [2, 3] and FLOAT64 [3, 2])",
        () -> a.matmul(Tensor.zeros(DType.FLOAT64, 3, 2)));
    assertMessage("permute: dimension 0 repeats in [0, 0]", () -> a.permute(0, 0));
    assertMessage("broadcastTo: cannot broadcast [2, 3] to [2, 4] (dimension 1: 3 vs 4)",
        () -> a.broadcastTo(2, 4));
    assertMessage("clamp: min 2.0 is greater than max 1.0", () -> a.clamp(2, 1));
    assertMessage("max: dimension 0 of [0, 3] is empty", () -> Tensor.zeros(0, 3).max(0, false));
  }

  private static void assertMessage(String message, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertEquals(message, e.getMessage());
  }

  @Test
  void conv2dAgainstNaiveLoops() {
    // with one group, float32 takes the CPU backend's image-at-a-time path (whole window rows
    // at stride 1 without dilation); groups compose unfold and matmul
    int[][] configs = {{1, 0, 1, 1}, {1, 1, 1, 1}, {2, 1, 1, 1}, {1, 2, 2, 1}, {2, 1, 1, 2},
        {3, 0, 1, 4}};
    for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      for (int[] cfg : configs) {
        int stride = cfg[0];
        int pad = cfg[1];
        int dil = cfg[2];
        int groups = cfg[3];
        int c = 4;
        int o = 4;
        int k = 3;
        Tensor x = Ref.random(random, dtype, 2, c, 7, 6);
        Tensor w = Ref.random(random, dtype, o, c / groups, k, k);
        Tensor b = Ref.random(random, dtype, o);
        Tensor y = x.conv2d(w, b, stride, pad, dil, groups);
        int oh = (7 + 2 * pad - dil * (k - 1) - 1) / stride + 1;
        int ow = (6 + 2 * pad - dil * (k - 1) - 1) / stride + 1;
        Ref.check("conv2d " + Arrays.toString(cfg), y, new int[] {2, o, oh, ow}, idx -> {
          int g = idx[1] / (o / groups);
          double acc = b.get(idx[1]);
          for (int ci = 0; ci < c / groups; ci++) {
            for (int kh = 0; kh < k; kh++) {
              for (int kw = 0; kw < k; kw++) {
                int iy = idx[2] * stride - pad + kh * dil;
                int ix = idx[3] * stride - pad + kw * dil;
                if (iy < 0 || iy >= 7 || ix < 0 || ix >= 6) continue;
                acc += x.get(idx[0], g * (c / groups) + ci, iy, ix) * w.get(idx[1], ci, kh, kw);
              }
            }
          }
          return acc;
        }, dtype == DType.FLOAT32 ? 1e-4 : 1e-12);
      }
    }
    Tensor x = Ref.random(random, DType.FLOAT32, 1, 2, 5, 5);
    Tensor w = Ref.random(random, DType.FLOAT32, 3, 2, 3, 3);
    assertArrayEquals(x.conv2d(w).toFloatArray(), x.conv2d(w, null, 1, 0, 1, 1).toFloatArray());
  }

  @Test
  void poolingAgainstNaiveLoops() {
    Tensor x = Ref.random(random, DType.FLOAT64, 2, 3, 7, 6);
    for (int[] cfg : new int[][] {{2, 2, 0}, {3, 1, 1}, {3, 2, 1}}) {
      int k = cfg[0];
      int st = cfg[1];
      int p = cfg[2];
      int oh = (7 + 2 * p - k) / st + 1;
      int ow = (6 + 2 * p - k) / st + 1;
      for (boolean max : new boolean[] {true, false}) {
        Tensor y = max ? x.maxPool2d(k, st, p) : x.avgPool2d(k, st, p);
        Ref.check((max ? "max" : "avg") + "Pool2d " + Arrays.toString(cfg), y,
            new int[] {2, 3, oh, ow}, idx -> {
              double acc = max ? Double.NEGATIVE_INFINITY : 0;
              for (int kh = 0; kh < k; kh++) {
                for (int kw = 0; kw < k; kw++) {
                  int iy = idx[2] * st - p + kh;
                  int ix = idx[3] * st - p + kw;
                  boolean inside = iy >= 0 && iy < 7 && ix >= 0 && ix < 6;
                  double v = inside ? x.get(idx[0], idx[1], iy, ix) : 0;
                  if (max) {
                    if (inside) acc = Math.max(acc, v);
                  } else {
                    acc += v / (k * k);
                  }
                }
              }
              return acc;
            }, 1e-12);
      }
    }
  }

  @Test
  void foldIsTheAdjointOfUnfold() {
    Tensor x = Ref.random(random, DType.FLOAT64, 2, 3, 6, 5);
    Tensor cols = x.unfold(3, 2, 1, 1);
    Tensor g = Ref.random(random, DType.FLOAT64, cols.shape());
    double left = cols.mul(g).sum().item();
    double right = x.mul(g.fold(6, 5, 3, 2, 1, 1)).sum().item();
    assertEquals(left, right, 1e-10 * Math.abs(left));
  }

  @Test
  void imageOpErrors() {
    Tensor x = Tensor.zeros(1, 4, 5, 5);
    assertMessage("conv2d: input [1, 4, 5, 5] and weight [2, 3, 3, 3] do not fit 1 group(s) "
        + "(weight needs 4 input channels per group)", () -> x.conv2d(Tensor.zeros(2, 3, 3, 3)));
    assertMessage("conv2d: expected input [N, C, H, W] and weight [O, C/groups, k, k], got "
        + "[4, 5] and [2, 4, 3, 3]", () -> Tensor.zeros(4, 5).conv2d(Tensor.zeros(2, 4, 3, 3)));
    assertMessage("conv2d: a 7x7 window (dilation 1, padding 0) does not fit input [1, 4, 5, 5]",
        () -> x.conv2d(Tensor.zeros(2, 4, 7, 7)));
    assertMessage("conv2d: bias must have shape [2], got [3]",
        () -> x.conv2d(Tensor.zeros(2, 4, 3, 3), Tensor.zeros(3), 1, 0, 1, 1));
    assertMessage("maxPool2d: expected an [N, C, H, W] tensor, got [5, 5]",
        () -> Tensor.zeros(5, 5).maxPool2d(2, 2, 0));
    assertMessage("avgPool2d: padding 2 is more than half the kernel 3",
        () -> x.avgPool2d(3, 1, 2));
  }
}
