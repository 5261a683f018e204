package dev.adjoint.cuda.check;

import dev.adjoint.cuda.Cuda;
import dev.adjoint.tensor.Backends;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.ParamUpdate;
import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Op-value cases beyond the samples: the paths of the CUDA kernels (strided and contiguous,
 * rank beyond the kernels' 8 dimensions, rows and columns of reductions, one and two passes,
 * every GEMM tile and split-K, TF32, implicit-GEMM conv2d), every dtype, NaN and ties.
 * {@code size} scales the large cases (1 for the emulator, more on a GPU).
 */
final class Corners {
  private Corners() {}

  private static Tensor t(Object o) {
    return (Tensor) o;
  }

  static List<Case> all(int size) {
    List<Case> c = new ArrayList<>();
    elementwise(c);
    copies(c);
    reductions(c, size);
    matmuls(c, size);
    images(c);
    indexing(c);
    updates(c);
    return c;
  }

  /** Fused optimizer steps against the CPU's, first steps (no state) and later ones. */
  private static void updates(List<Case> c) {
    ParamUpdate[] updates = {new ParamUpdate.Sgd(0.1, 0, 0, 0, false, false),
        new ParamUpdate.Sgd(0.1, 0.9, 0.1, 0.01, true, false),
        new ParamUpdate.Sgd(0.05, 0.9, 0, 0, false, true),
        new ParamUpdate.Adam(1e-3, 0.9, 0.999, 1e-8, 0, false, false, false, 1),
        new ParamUpdate.Adam(1e-3, 0.9, 0.999, 1e-8, 0.01, true, true, false, 3),
        new ParamUpdate.Adam(1e-2, 0.8, 0.99, 1e-6, 0.1, false, false, true, 2),
        new ParamUpdate.RmsProp(0.01, 0.99, 1e-8, 0, 0, false, false),
        new ParamUpdate.RmsProp(0.01, 0.9, 1e-8, 0.01, 0.9, true, false),
        new ParamUpdate.RmsProp(0.01, 0.9, 1e-8, 0, 0.5, false, true)};
    for (ParamUpdate u : updates) {
      for (boolean first : new boolean[] {true, false}) {
        int k = u.stateCount();
        c.add(Case.of("update", u + (first ? ", first step" : ""), g -> {
          Object[] a = new Object[2 + k];
          a[0] = g.rand(7, 9);
          a[1] = g.rand(9, 7);
          for (int i = 0; i < k; i++) a[2 + i] = first ? null : g.positive(7, 9);
          return a;
        }, a -> {
          Tensor p = t(a[0]);
          Tensor[] state = new Tensor[k];
          for (int i = 0; i < k; i++) state[i] = (Tensor) a[2 + i];
          return Backends.get(p.device()).update(u, p, t(a[1]).transpose(0, 1), state);
        }));
      }
    }
  }

  private static void elementwise(List<Case> c) {
    String[] names = {"add", "sub", "mul", "div", "pow", "maximum", "minimum", "gt", "lt", "eq"};
    int[][][] pairs = {{{5, 6}, {6}}, {{3, 1, 7}, {1, 4, 7}}, {{130, 40}, {130, 1}}};
    for (String name : names) {
      for (int[][] p : pairs) {
        String shapes = Arrays.deepToString(p);
        c.add(Case.of("elementwise", name + " " + shapes, g -> new Object[] {g.small(3, p[0]),
            g.positive(p[1])}, a -> binary(name, t(a[0]), t(a[1]))));
        c.add(Case.of("elementwise", name + " INT64 " + shapes, g -> new Object[] {
            g.small(3, p[0]), g.small(3, p[1])}, a -> binary(name, t(a[0]).to(DType.INT64),
            t(a[1]).to(DType.INT64).abs().add(1))).only(DType.FLOAT64));
      }
      c.add(Case.of("elementwise", name + " transposed", g -> new Object[] {g.small(3, 6, 5),
          g.positive(5, 6)}, a -> binary(name, t(a[0]).transpose(0, 1), t(a[1]))));
      c.add(Case.of("elementwise", name + " float32 with float64", g -> new Object[] {
          g.small(3, 4, 5), g.positive(5)}, a -> binary(name, t(a[0]).to(DType.FLOAT32),
          t(a[1]).to(DType.FLOAT64))).only(DType.FLOAT64));
      c.add(Case.of("elementwise", name + " mask with float", g -> new Object[] {g.mask(4, 5),
          g.positive(4, 5)}, a -> binary(name, t(a[0]), t(a[1]))));
    }
    String[] unary = {"neg", "abs", "relu", "sign", "clamp", "exp", "tanh", "sigmoid", "sin",
        "cos", "log", "sqrt", "pow", "log1p", "erf"};
    for (String name : unary) {
      c.add(Case.of("elementwise", name + " strided", g -> new Object[] {g.positive(40, 30)},
          a -> unary(name, t(a[0]).sub(1.25).transpose(0, 1).slice(0, 3, 27))));
      c.add(Case.of("elementwise", name + " INT64", g -> new Object[] {g.small(5, 7, 3)},
          a -> unary(name, t(a[0]).to(DType.INT64))).only(DType.FLOAT64));
    }
    c.add(Case.of("elementwise", "NaN and infinities", g -> new Object[] {special(g)}, a -> {
      Tensor x = t(a[0]);
      Tensor r = x.indexSelect(0, Tensor.arange(DType.INT64, -12, 0).neg().sub(
          Tensor.scalar(DType.INT64, 1)).to(x.device()));
      return Tensor.cat(0, x.relu(), x.abs(), x.sign(), x.clamp(-1, 1), x.maximum(r),
          x.minimum(r), x.gt(0).to(x.dtype()), x.eq(r).to(x.dtype()));
    }));
    c.add(Case.of("elementwise", "where, float condition, broadcast", g -> new Object[] {
        g.small(1, 3, 1), g.rand(3, 4), g.rand(4)}, a -> Tensor.where(t(a[0]), t(a[1]),
        t(a[2]))));
    c.add(Case.of("elementwise", "where INT64 values", g -> new Object[] {g.mask(5, 6),
        g.small(9, 5, 6)}, a -> Tensor.where(t(a[0]), t(a[1]).to(DType.INT64),
        t(a[1]).to(DType.INT64).neg())).only(DType.FLOAT64));
    // 10 dimensions of size 2, reversed: nothing merges, beyond the kernels' 8
    int[] ten = new int[10];
    Arrays.fill(ten, 2);
    int[] reverse = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
    c.add(Case.of("elementwise", "10 dimensions", g -> new Object[] {g.rand(ten), g.rand(ten)},
        a -> t(a[0]).permute(reverse).mul(t(a[1])).add(t(a[1]).permute(reverse))));
    c.add(Case.of("elementwise", "10 dimensions, sum and copy", g -> new Object[] {g.rand(ten)},
        a -> Tensor.cat(0, t(a[0]).permute(reverse).sum(3, false).flatten(),
            t(a[0]).permute(reverse).contiguous().flatten())));
  }

  /** NaN, infinities, signed zeros and ties, as one vector. */
  private static Tensor special(Gen g) {
    return Tensor.of(new double[] {Double.NaN, 1, -1, 0, -0.0, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 2, 2, Double.NaN, 3, -5}, 12).to(g.dtype);
  }

  static Tensor binary(String name, Tensor a, Tensor b) {
    switch (name) {
      case "add": return a.add(b);
      case "sub": return a.sub(b);
      case "mul": return a.mul(b);
      case "div": return a.div(b);
      case "pow": return a.pow(b);
      case "maximum": return a.maximum(b);
      case "minimum": return a.minimum(b);
      case "gt": return a.gt(b);
      case "lt": return a.lt(b);
      default: return a.eq(b);
    }
  }

  static Tensor unary(String name, Tensor x) {
    switch (name) {
      case "neg": return x.neg();
      case "abs": return x.abs();
      case "relu": return x.relu();
      case "sign": return x.sign();
      case "clamp": return x.clamp(-1, 2);
      case "exp": return x.exp();
      case "tanh": return x.tanh();
      case "sigmoid": return x.sigmoid();
      case "sin": return x.sin();
      case "cos": return x.cos();
      case "log": return x.abs().add(0.1).log();
      case "sqrt": return x.abs().sqrt();
      case "log1p": return x.abs().log1p();
      case "erf": return x.erf();
      default: return x.abs().pow(1.5);
    }
  }

  private static void copies(List<Case> c) {
    for (DType to : DType.values()) {
      c.add(Case.of("copy", "views of [3, 45, 70] to " + to, g -> new Object[] {
          g.small(50, 3, 45, 70)}, a -> {
            Tensor b = t(a[0]);
            Tensor[] views = {b.permute(0, 2, 1), b.permute(2, 0, 1), b.permute(1, 2, 0),
                b.slice(2, 3, 67).transpose(0, 1), b.slice(1, 5, 40), b.transpose(0, 2),
                b.slice(0, 1, 2).broadcastTo(4, 1, 45, 70).squeeze(1)};
            Tensor[] flat = new Tensor[views.length];
            for (int i = 0; i < views.length; i++) flat[i] = views[i].to(to).flatten();
            return Tensor.cat(0, flat);
          }));
    }
    c.add(Case.of("copy", "float to INT64 truncates", g -> new Object[] {g.rand(50).mul(7)},
        a -> t(a[0]).to(DType.INT64)));
    c.add(Case.of("copy", "cat of views along 1", g -> new Object[] {g.rand(4, 6), g.rand(6, 4)},
        a -> Tensor.cat(1, t(a[0]), t(a[1]).transpose(0, 1), t(a[0]).slice(1, 2, 5))));
    c.add(Case.of("copy", "stack INT64", g -> new Object[] {g.index(9, 3, 2), g.index(9, 3, 2)},
        a -> Tensor.stack(1, t(a[0]), t(a[1]))).only(DType.FLOAT64));
  }

  private static void reductions(List<Case> c, int size) {
    int[] shape = {37, 300, 5};
    for (int dim = 0; dim < 3; dim++) {
      int d = dim;
      c.add(Case.of("reduce", "sum over " + d + " of " + Arrays.toString(shape),
          g -> new Object[] {g.rand(shape)}, a -> t(a[0]).sum(d, false)).scaled(10));
      c.add(Case.of("reduce", "max over " + d + " (ties)", g -> new Object[] {g.small(3, shape)},
          a -> t(a[0]).max(d, true)));
      c.add(Case.of("reduce", "argmax over " + d + " (ties)", g -> new Object[] {
          g.small(3, shape)}, a -> t(a[0]).argmax(d)));
      c.add(Case.of("reduce", "sum over " + d + " of a permuted view", g -> new Object[] {
          g.rand(shape)}, a -> t(a[0]).permute(2, 0, 1).sum(d, false)).scaled(10));
      c.add(Case.of("reduce", "INT64 sum and max over " + d, g -> new Object[] {
          g.small(100, shape)}, a -> Tensor.cat(0, t(a[0]).to(DType.INT64).sum(d, false)
          .flatten(), t(a[0]).to(DType.INT64).max(d, false).flatten())).only(DType.FLOAT64));
    }
    int n = 20_000 * size;
    c.add(Case.of("reduce", "long rows (a block per output)", g -> new Object[] {
        g.rand(3, n / 3)}, a -> Tensor.cat(0, t(a[0]).sum(1, false), t(a[0]).max(1, false),
        t(a[0]).argmax(1).to(t(a[0]).dtype()))).scaled(10));
    c.add(Case.of("reduce", "long columns (moved to rows)", g -> new Object[] {
        g.rand(n / 3, 3)}, a -> Tensor.cat(0, t(a[0]).sum(0, false), t(a[0]).max(0, false),
        t(a[0]).argmax(0).to(t(a[0]).dtype()))).scaled(10));
    c.add(Case.of("reduce", "sum and max of " + n + " elements (two passes)",
        g -> new Object[] {g.rand(n)}, a -> Tensor.stack(0, t(a[0]).sum(), t(a[0]).max(),
        t(a[0]).slice(0, 1, n - 1).mean())).scaled(10));
    c.add(Case.of("reduce", "NaN wins max and argmax", g -> new Object[] {special(g)}, a -> {
      Tensor x = t(a[0]).reshape(3, 4);
      return Tensor.cat(0, x.max(1, false), x.max(0, false), x.argmax(1).to(x.dtype()),
          x.argmax(0).to(x.dtype()), x.max().reshape(1));
    }));
    c.add(Case.of("reduce", "softmax and logSumExp of rows", g -> new Object[] {g.rand(64, 10)},
        a -> Tensor.cat(1, t(a[0]).softmax(1), t(a[0]).logSoftmax(1),
            t(a[0]).logSumExp(1).unsqueeze(1))));
    c.add(Case.of("reduce", "empty dimension sums to zero", g -> new Object[] {g.rand(3, 0)},
        a -> t(a[0]).sum(1, false)));
  }

  private static void matmuls(List<Case> c, int size) {
    int[][] sizes = {{1, 1, 1}, {7, 13, 5}, {65, 33, 129}, {130, 70, 257}, {8, 300, 8},
        {3, 1000 * size, 2}, {260 * size, 40, 260 * size}};
    for (int[] s : sizes) {
      String name = s[0] + "x" + s[1] + " @ " + s[1] + "x" + s[2];
      double scale = Math.max(1, Math.sqrt(s[1]) / 4);
      c.add(Case.of("matmul", name, g -> new Object[] {g.rand(s[0], s[1]), g.rand(s[1], s[2])},
          a -> t(a[0]).matmul(t(a[1]))).scaled(scale));
      c.add(Case.of("matmul", name + " transposed operands", g -> new Object[] {
          g.rand(s[1], s[0]), g.rand(s[2], s[1])}, a -> t(a[0]).transpose(0, 1)
          .matmul(t(a[1]).transpose(0, 1))).scaled(scale));
      c.add(Case.of("matmul", name + " TF32", g -> new Object[] {g.rand(s[0], s[1]),
          g.rand(s[1], s[2])}, a -> t(a[0]).matmul(t(a[1]))).only(DType.FLOAT32)
          .scaled(500 * scale).around(() -> Cuda.setAllowTf32(true),
              () -> Cuda.setAllowTf32(false)));
    }
    c.add(Case.of("matmul", "batch with a shared, transposed weight", g -> new Object[] {
        g.rand(3, 5, 17, 9), g.rand(11, 9)}, a -> t(a[0]).matmul(t(a[1]).transpose(0, 1))));
    c.add(Case.of("matmul", "broadcast batches", g -> new Object[] {g.rand(2, 1, 6, 7),
        g.rand(3, 7, 4)}, a -> t(a[0]).matmul(t(a[1]))));
    c.add(Case.of("matmul", "INT64", g -> new Object[] {g.small(9, 7, 13), g.small(9, 13, 6)},
        a -> t(a[0]).to(DType.INT64).matmul(t(a[1]).to(DType.INT64))).only(DType.FLOAT64));
    c.add(Case.of("matmul", "k = 0", g -> new Object[] {g.rand(3, 0), g.rand(0, 4)},
        a -> t(a[0]).matmul(t(a[1]))));
  }

  private static void images(List<Case> c) {
    int[][] convs = {{2, 3, 9, 9, 4, 3, 1, 1, 1}, {2, 3, 10, 10, 5, 3, 2, 1, 1},
        {1, 2, 11, 11, 3, 3, 1, 2, 2}, {1, 64, 4, 4, 2, 3, 1, 1, 1}, {2, 1, 28, 28, 16, 3, 1, 1, 1},
        {3, 8, 7, 7, 140, 1, 1, 0, 1}};
    for (int[] v : convs) {
      String name = "x [" + v[0] + ", " + v[1] + ", " + v[2] + ", " + v[3] + "] w [" + v[4]
          + ", " + v[1] + ", " + v[5] + ", " + v[5] + "] stride " + v[6] + " padding " + v[7]
          + " dilation " + v[8];
      c.add(Case.of("conv2d", name, g -> new Object[] {g.rand(v[0], v[1], v[2], v[3]),
          g.rand(v[4], v[1], v[5], v[5]), g.rand(v[4])}, a -> t(a[0]).conv2d(t(a[1]), t(a[2]),
          v[6], v[7], v[8], 1)).scaled(4));
      c.add(Case.of("conv2d", name + " TF32", g -> new Object[] {g.rand(v[0], v[1], v[2], v[3]),
          g.rand(v[4], v[1], v[5], v[5])}, a -> t(a[0]).conv2d(t(a[1]), null, v[6], v[7], v[8],
          1)).only(DType.FLOAT32).scaled(400).around(() -> Cuda.setAllowTf32(true),
              () -> Cuda.setAllowTf32(false)));
    }
    c.add(Case.of("conv2d", "input a strided view", g -> new Object[] {g.rand(2, 9, 9, 3),
        g.rand(4, 3, 3, 3)}, a -> t(a[0]).permute(0, 3, 1, 2).conv2d(t(a[1]), null, 1, 1, 1, 1)));
    c.add(Case.of("pool", "max and average pooling of [4, 6, 13, 13]", g -> new Object[] {
        g.rand(4, 6, 13, 13)}, a -> Tensor.cat(1, t(a[0]).maxPool2d(3, 2, 1),
        t(a[0]).avgPool2d(3, 2, 1))));
    c.add(Case.of("pool", "unfold and fold INT64", g -> new Object[] {g.small(9, 2, 2, 6, 6)},
        a -> t(a[0]).to(DType.INT64).unfold(3, 1, 1, 1).fold(6, 6, 3, 1, 1, 1))
        .only(DType.FLOAT64));
  }

  private static void indexing(List<Case> c) {
    c.add(Case.of("index", "gather with a strided index (labels.unsqueeze)", g -> new Object[] {
        g.rand(64, 10), g.index(10, 64)}, a -> t(a[0]).logSoftmax(1).gather(1,
        t(a[1]).unsqueeze(1))));
    c.add(Case.of("index", "gather along 0 of a transposed tensor", g -> new Object[] {
        g.rand(6, 5), g.index(5, 3, 6)}, a -> t(a[0]).transpose(0, 1).gather(0, t(a[1]))));
    c.add(Case.of("index", "indexSelect along 1, negative indices", g -> new Object[] {
        g.rand(3, 7, 4)}, a -> t(a[0]).indexSelect(1, Tensor.of(new long[] {-1, 0, 6, -7, 2}, 5)
        .to(t(a[0]).device()))));
    int[] nine = {2, 2, 2, 2, 3, 2, 2, 2, 2};
    c.add(Case.of("index", "indexSelect of 9 dimensions", g -> new Object[] {g.rand(nine)},
        a -> t(a[0]).indexSelect(4, Tensor.of(new long[] {2, 2, 0}, 3).to(t(a[0]).device()))));
    c.add(Case.of("index", "indexSelect INT64 with an empty index", g -> new Object[] {
        g.small(9, 4, 3)}, a -> t(a[0]).to(DType.INT64).indexSelect(0,
        Tensor.of(new long[0], 0).to(t(a[0]).device()))).only(DType.FLOAT64));
  }
}
