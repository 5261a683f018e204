package dev.adjoint.cuda.check;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sample arguments for every differentiable tensor operation, keyed as the rules of
 * {@code TensorRules} are named ({@code add} for {@code addJvpSelf}, {@code sumDim} for
 * {@code sumDimVjp}, ...). Each sample is an op-value case by itself (its primal on the CPU
 * against the CUDA backend), and every rule whose name starts with its key is checked on it.
 */
public final class Samples {
  /** One call: arguments from fresh random values, and the operation applied to them. */
  public record Sample(String key, String label, Function<Gen, Object[]> args,
      Function<Object[], Object> primal) {}

  private final Map<String, List<Sample>> byKey = new LinkedHashMap<>();

  private static Tensor t(Object o) {
    return (Tensor) o;
  }

  private static int i(Object o) {
    return (Integer) o;
  }

  private static double d(Object o) {
    return (Double) o;
  }

  private void add(String key, String label, Function<Gen, Object[]> args,
      Function<Object[], Object> primal) {
    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new Sample(key, label, args, primal));
  }

  public List<Sample> get(String key) {
    return byKey.getOrDefault(key, List.of());
  }

  public List<Sample> all() {
    List<Sample> all = new ArrayList<>();
    byKey.values().forEach(all::addAll);
    return all;
  }

  public Samples() {
    int[][][] pairs = {{{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{}, {2, 3}},
        {{4, 1, 6}, {4, 7, 1}}, {{0, 3}, {3}}};
    for (int[][] p : pairs) {
      String l = java.util.Arrays.deepToString(p);
      add("add", l, g -> new Object[] {g.rand(p[0]), g.rand(p[1])}, a -> t(a[0]).add(t(a[1])));
      add("sub", l, g -> new Object[] {g.rand(p[0]), g.rand(p[1])}, a -> t(a[0]).sub(t(a[1])));
      add("mul", l, g -> new Object[] {g.rand(p[0]), g.rand(p[1])}, a -> t(a[0]).mul(t(a[1])));
      add("div", l, g -> new Object[] {g.rand(p[0]), g.positive(p[1])},
          a -> t(a[0]).div(t(a[1])));
      add("maximum", l, g -> new Object[] {g.small(2, p[0]), g.small(2, p[1])},
          a -> t(a[0]).maximum(t(a[1])));
      add("gt", l, g -> new Object[] {g.small(2, p[0]), g.small(2, p[1])},
          a -> t(a[0]).gt(t(a[1])));
      add("lt", l, g -> new Object[] {g.small(2, p[0]), g.small(2, p[1])},
          a -> t(a[0]).lt(t(a[1])));
      add("eq", l, g -> new Object[] {g.small(2, p[0]), g.small(2, p[1])},
          a -> t(a[0]).eq(t(a[1])));
    }
    add("minimum", "[3, 4] [4]", g -> new Object[] {g.small(2, 3, 4), g.small(2, 4)},
        a -> t(a[0]).minimum(t(a[1])));
    add("addScalar", "", g -> new Object[] {g.rand(2, 3), g.scalar()}, a -> t(a[0]).add(d(a[1])));
    add("subScalar", "", g -> new Object[] {g.rand(2, 3), g.scalar()}, a -> t(a[0]).sub(d(a[1])));
    add("mulScalar", "", g -> new Object[] {g.rand(2, 3), g.scalar()}, a -> t(a[0]).mul(d(a[1])));
    add("divScalar", "", g -> new Object[] {g.rand(2, 3), 2.5}, a -> t(a[0]).div(d(a[1])));
    add("gtScalar", "", g -> new Object[] {g.small(2, 3, 4), 0.0}, a -> t(a[0]).gt(d(a[1])));
    add("ltScalar", "", g -> new Object[] {g.small(2, 3, 4), 1.0}, a -> t(a[0]).lt(d(a[1])));
    add("eqScalar", "", g -> new Object[] {g.small(2, 3, 4), 1.0}, a -> t(a[0]).eq(d(a[1])));
    String[] unary = {"neg", "exp", "abs", "tanh", "sigmoid", "relu", "sin", "cos", "sign",
        "erf", "detach", "flatten", "squeeze", "sum", "mean", "zerosLike", "onesLike"};
    for (String op : unary) {
      add(op, "[2, 1, 3]", g -> new Object[] {g.rand(2, 1, 3)}, a -> unaryOp(op, t(a[0])));
    }
    add("log", "", g -> new Object[] {g.positive(2, 3)}, a -> t(a[0]).log());
    add("log1p", "", g -> new Object[] {g.positive(2, 3)}, a -> t(a[0]).log1p());
    add("sqrt", "", g -> new Object[] {g.positive(2, 3)}, a -> t(a[0]).sqrt());
    add("pow", "", g -> new Object[] {g.positive(2, 3), 2.5}, a -> t(a[0]).pow(d(a[1])));
    add("powTensor", "[2, 3] [3]", g -> new Object[] {g.positive(2, 3), g.rand(3)},
        a -> t(a[0]).pow(t(a[1])));
    add("maxAll", "", g -> new Object[] {g.rand(3, 4)}, a -> t(a[0]).max());
    add("contiguous", "", g -> new Object[] {g.rand(3, 4)}, a -> t(a[0]).contiguous());
    add("clamp", "", g -> new Object[] {g.rand(3, 4), -0.5, 0.7},
        a -> t(a[0]).clamp(d(a[1]), d(a[2])));
    add("argmax", "", g -> new Object[] {g.small(2, 3, 4), 1}, a -> t(a[0]).argmax(i(a[1])));
    int[][][] mm = {{{3, 4}, {4, 5}}, {{2, 3, 4}, {4, 5}}, {{4}, {4, 5}}, {{3, 4}, {4}},
        {{2, 1, 3, 4}, {3, 4, 2}}};
    for (int[][] p : mm) {
      add("matmul", java.util.Arrays.deepToString(p), g -> new Object[] {g.rand(p[0]),
          g.rand(p[1])}, a -> t(a[0]).matmul(t(a[1])));
    }
    add("transpose", "", g -> new Object[] {g.rand(2, 3, 4), 0, 2},
        a -> t(a[0]).transpose(i(a[1]), i(a[2])));
    add("permute", "", g -> new Object[] {g.rand(2, 3, 4), new int[] {2, 0, 1}},
        a -> t(a[0]).permute((int[]) a[1]));
    add("reshape", "", g -> new Object[] {g.rand(2, 3, 4), new int[] {6, 4}},
        a -> t(a[0]).reshape((int[]) a[1]));
    add("view", "", g -> new Object[] {g.rand(2, 3, 4), new int[] {4, -1}},
        a -> t(a[0]).view((int[]) a[1]));
    add("squeezeDim", "", g -> new Object[] {g.rand(2, 1, 3), 1},
        a -> t(a[0]).squeeze(i(a[1])));
    add("unsqueeze", "", g -> new Object[] {g.rand(2, 3), 1}, a -> t(a[0]).unsqueeze(i(a[1])));
    add("broadcastTo", "", g -> new Object[] {g.rand(3, 1), new int[] {2, 3, 4}},
        a -> t(a[0]).broadcastTo((int[]) a[1]));
    add("sumToSize", "", g -> new Object[] {g.rand(2, 3, 4), new int[] {3, 1}},
        a -> t(a[0]).sumToSize((int[]) a[1]));
    add("slice", "", g -> new Object[] {g.rand(4, 5), 1, 1, 4},
        a -> t(a[0]).slice(i(a[1]), i(a[2]), i(a[3])));
    for (boolean keep : new boolean[] {false, true}) {
      add("sumDim", "keepDim " + keep, g -> new Object[] {g.rand(3, 4, 5), 1, keep},
          a -> t(a[0]).sum(i(a[1]), (Boolean) a[2]));
      add("meanDim", "keepDim " + keep, g -> new Object[] {g.rand(3, 4, 5), 2, keep},
          a -> t(a[0]).mean(i(a[1]), (Boolean) a[2]));
      add("max", "keepDim " + keep, g -> new Object[] {g.rand(3, 4, 5), 1, keep},
          a -> t(a[0]).max(i(a[1]), (Boolean) a[2]));
    }
    add("softmax", "", g -> new Object[] {g.rand(3, 5), 1}, a -> t(a[0]).softmax(i(a[1])));
    add("logSoftmax", "", g -> new Object[] {g.rand(3, 5), 1},
        a -> t(a[0]).logSoftmax(i(a[1])));
    add("logSumExp", "", g -> new Object[] {g.rand(3, 5), 0}, a -> t(a[0]).logSumExp(i(a[1])));
    add("where", "", g -> new Object[] {g.mask(3, 4), g.rand(3, 4), g.rand(4)},
        a -> Tensor.where(t(a[0]), t(a[1]), t(a[2])));
    add("indexSelect", "", g -> new Object[] {g.rand(4, 5), 0,
        Tensor.of(new long[] {3, 0, 3, -1}, 4)}, a -> t(a[0]).indexSelect(i(a[1]), t(a[2])));
    add("gather", "", g -> new Object[] {g.rand(3, 5), 1, g.index(5, 3, 2)},
        a -> t(a[0]).gather(i(a[1]), t(a[2])));
    add("cat", "", g -> new Object[] {1, new Tensor[] {g.rand(2, 3), g.rand(2, 2)}},
        a -> Tensor.cat(i(a[0]), (Tensor[]) a[1]));
    add("stack", "", g -> new Object[] {0, new Tensor[] {g.rand(2, 3), g.rand(2, 3)}},
        a -> Tensor.stack(i(a[0]), (Tensor[]) a[1]));
    add("to", "", g -> new Object[] {g.rand(2, 3), g.dtype == DType.FLOAT64 ? DType.FLOAT32
        : DType.FLOAT64}, a -> t(a[0]).to((DType) a[1]));
    add("item", "", g -> new Object[] {g.rand(1, 1)}, a -> t(a[0]).item());
    add("toDevice", "to CUDA", g -> new Object[] {g.rand(2, 3), Device.CUDA},
        a -> t(a[0]).to((Device) a[1]));
    add("of", "", g -> new Object[] {g.dtype == DType.FLOAT64 ? g.rand(6).toDoubleArray()
        : g.rand(6).toFloatArray(), new int[] {2, 3}}, a -> a[0] instanceof double[]
        ? Tensor.of((double[]) a[0], (int[]) a[1]) : Tensor.of((float[]) a[0], (int[]) a[1]));
    add("toDoubleArray", "", g -> new Object[] {g.rand(2, 3)}, a -> t(a[0]).toDoubleArray());
    add("toFloatArray", "", g -> new Object[] {g.rand(2, 3)}, a -> t(a[0]).toFloatArray());
    int[][] windows = {{3, 1, 1, 1}, {3, 2, 0, 2}};
    for (int[] w : windows) {
      String l = "k" + w[0] + " s" + w[1] + " p" + w[2] + " d" + w[3];
      add("unfold", l, g -> new Object[] {g.rand(2, 3, 7, 7), w[0], w[1], w[2], w[3]},
          a -> t(a[0]).unfold(i(a[1]), i(a[2]), i(a[3]), i(a[4])));
      int o = (7 + 2 * w[2] - w[3] * (w[0] - 1) - 1) / w[1] + 1;
      add("fold", l, g -> new Object[] {g.rand(2, 3 * w[0] * w[0], o * o), 7, 7, w[0], w[1],
          w[2], w[3]}, a -> t(a[0]).fold(i(a[1]), i(a[2]), i(a[3]), i(a[4]), i(a[5]),
          i(a[6])));
    }
    add("conv2d", "stride 1 padding 1", g -> new Object[] {g.rand(2, 3, 6, 6),
        g.rand(4, 3, 3, 3), g.rand(4), 1, 1, 1, 1}, Samples::conv);
    add("conv2d", "stride 2 dilation 2 groups 3", g -> new Object[] {g.rand(2, 3, 9, 9),
        g.rand(6, 1, 3, 3), g.rand(6), 2, 1, 2, 3}, Samples::conv);
    add("conv2dPlain", "", g -> new Object[] {g.rand(2, 3, 6, 6), g.rand(4, 3, 3, 3)},
        a -> t(a[0]).conv2d(t(a[1])));
    add("conv2dInputGrad", "", g -> new Object[] {new int[] {2, 3, 6, 6}, g.rand(4, 3, 3, 3),
        g.rand(2, 4, 6, 6), 1, 1, 1, 1}, a -> Tensor.conv2dInputGrad((int[]) a[0], t(a[1]),
        t(a[2]), i(a[3]), i(a[4]), i(a[5]), i(a[6])));
    add("conv2dWeightGrad", "", g -> new Object[] {g.rand(2, 3, 6, 6), new int[] {4, 3, 3, 3},
        g.rand(2, 4, 6, 6), 1, 1, 1, 1}, a -> Tensor.conv2dWeightGrad(t(a[0]), (int[]) a[1],
        t(a[2]), i(a[3]), i(a[4]), i(a[5]), i(a[6])));
    int[][] pools = {{2, 2, 0}, {3, 2, 1}};
    for (int[] p : pools) {
      String l = "k" + p[0] + " s" + p[1] + " p" + p[2];
      add("maxPool2d", l, g -> new Object[] {g.rand(2, 3, 6, 6), p[0], p[1], p[2]},
          a -> t(a[0]).maxPool2d(i(a[1]), i(a[2]), i(a[3])));
      add("avgPool2d", l, g -> new Object[] {g.rand(2, 3, 6, 6), p[0], p[1], p[2]},
          a -> t(a[0]).avgPool2d(i(a[1]), i(a[2]), i(a[3])));
    }
    for (boolean max : new boolean[] {true, false}) {
      // poolWindows is internal to Tensor: its value is the unfold of the images as channels
      add("poolWindows", "max " + max, g -> new Object[] {g.rand(2, 3, 6, 6),
          max ? "maxPool2d" : "avgPool2d", 2, 2, 0, max}, a -> {
            int[] s = t(a[0]).shape();
            return t(a[0]).reshape(s[0] * s[1], 1, s[2], s[3]).unfold(i(a[2]), i(a[3]),
                i(a[4]), 1);
          });
    }
  }

  private static Object conv(Object[] a) {
    return t(a[0]).conv2d(t(a[1]), t(a[2]), i(a[3]), i(a[4]), i(a[5]), i(a[6]));
  }

  private static Tensor unaryOp(String op, Tensor x) {
    switch (op) {
      case "neg": return x.neg();
      case "exp": return x.exp();
      case "abs": return x.abs();
      case "tanh": return x.tanh();
      case "sigmoid": return x.sigmoid();
      case "relu": return x.relu();
      case "sin": return x.sin();
      case "cos": return x.cos();
      case "sign": return x.sign();
      case "erf": return x.erf();
      case "detach": return x.detach();
      case "flatten": return x.flatten();
      case "squeeze": return x.squeeze();
      case "sum": return x.sum();
      case "mean": return x.mean();
      case "zerosLike": return x.zerosLike();
      case "onesLike": return x.onesLike();
      default: throw new IllegalArgumentException(op);
    }
  }
}
