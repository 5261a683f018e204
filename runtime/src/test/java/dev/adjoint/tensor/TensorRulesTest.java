package dev.adjoint.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every tensor rule, called directly: VJP rules against central finite differences in float64,
 * JVP rules against VJP rules with the dot-product test {@code <J t, g> = <t, J^T g>}.
 */
class TensorRulesTest {
  private final Random random = new Random(5);

  interface Fn {
    Tensor apply(Tensor[] in);
  }

  interface Rule {
    Tensor apply(Tensor[] in, Tensor out, Tensor seed);
  }

  private Tensor rand(int... shape) {
    return Tensor.randn(DType.FLOAT64, random, shape);
  }

  private Tensor positive(int... shape) {
    return rand(shape).abs().add(0.5);
  }

  /** Checks the rules of argument {@code wrt} of {@code f} at {@code inputs}. */
  private void check(String name, Fn f, int wrt, Rule jvp, Rule vjp, Tensor... inputs) {
    Tensor out = f.apply(inputs);
    Tensor g = rand(out.shape());
    Tensor grad = vjp.apply(inputs, out, g);
    assertArrayEquals(inputs[wrt].shape(), grad.shape(), name + ": VJP shape");
    double[] x = inputs[wrt].toDoubleArray();
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double h = 1e-6 * Math.max(1, Math.abs(x[i]));
      double[] up = x.clone();
      up[i] += h;
      double[] down = x.clone();
      down[i] -= h;
      expected[i] = (dot(f.apply(with(inputs, wrt, up)), g) - dot(f.apply(with(inputs, wrt,
          down)), g)) / (2 * h);
    }
    double[] actual = grad.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      double err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
      if (!(err < 1e-6)) {
        throw new AssertionError(name + ": VJP element " + i + " is " + actual[i]
            + ", central differences give " + expected[i]);
      }
    }
    Tensor t = rand(inputs[wrt].shape());
    Tensor tangent = jvp.apply(inputs, out, t);
    assertArrayEquals(out.shape(), tangent.shape(), name + ": JVP shape");
    double left = dot(tangent, g);
    double right = dot(t, grad);
    if (!(Math.abs(left - right) <= 1e-10 * Math.max(1, Math.abs(left)))) {
      throw new AssertionError(name + ": dot-product test <J t, g> = " + left
          + " but <t, J^T g> = " + right);
    }
  }

  private static Tensor[] with(Tensor[] inputs, int wrt, double[] values) {
    Tensor[] copy = inputs.clone();
    copy[wrt] = Tensor.of(values, inputs[wrt].shape());
    return copy;
  }

  private static double dot(Tensor a, Tensor b) {
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }

  @Test
  void broadcastingArithmetic() {
    int[][][] shapes = {{{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{}, {2, 3}}};
    for (int[][] s : shapes) {
      Tensor a = rand(s[0]);
      Tensor b = positive(s[1]);
      check("add self", in -> in[0].add(in[1]), 0, (in, o, t) -> TensorRules.addJvpSelf(in[0],
          in[1], o, t), (in, o, g) -> TensorRules.addVjpSelf(in[0], in[1], o, g), a, b);
      check("add other", in -> in[0].add(in[1]), 1, (in, o, t) -> TensorRules.addJvpOther(in[0],
          in[1], o, t), (in, o, g) -> TensorRules.addVjpOther(in[0], in[1], o, g), a, b);
      check("sub self", in -> in[0].sub(in[1]), 0, (in, o, t) -> TensorRules.subJvpSelf(in[0],
          in[1], o, t), (in, o, g) -> TensorRules.subVjpSelf(in[0], in[1], o, g), a, b);
      check("sub other", in -> in[0].sub(in[1]), 1, (in, o, t) -> TensorRules.subJvpOther(in[0],
          in[1], o, t), (in, o, g) -> TensorRules.subVjpOther(in[0], in[1], o, g), a, b);
      check("mul self", in -> in[0].mul(in[1]), 0, (in, o, t) -> TensorRules.mulJvpSelf(in[0],
          in[1], o, t), (in, o, g) -> TensorRules.mulVjpSelf(in[0], in[1], o, g), a, b);
      check("mul other", in -> in[0].mul(in[1]), 1, (in, o, t) -> TensorRules.mulJvpOther(in[0],
          in[1], o, t), (in, o, g) -> TensorRules.mulVjpOther(in[0], in[1], o, g), a, b);
      check("div self", in -> in[0].div(in[1]), 0, (in, o, t) -> TensorRules.divJvpSelf(in[0],
          in[1], o, t), (in, o, g) -> TensorRules.divVjpSelf(in[0], in[1], o, g), a, b);
      check("div other", in -> in[0].div(in[1]), 1, (in, o, t) -> TensorRules.divJvpOther(in[0],
          in[1], o, t), (in, o, g) -> TensorRules.divVjpOther(in[0], in[1], o, g), a, b);
      check("maximum self", in -> in[0].maximum(in[1]), 0,
          (in, o, t) -> TensorRules.maximumJvpSelf(in[0], in[1], o, t),
          (in, o, g) -> TensorRules.maximumVjpSelf(in[0], in[1], o, g), a, b);
      check("maximum other", in -> in[0].maximum(in[1]), 1,
          (in, o, t) -> TensorRules.maximumJvpOther(in[0], in[1], o, t),
          (in, o, g) -> TensorRules.maximumVjpOther(in[0], in[1], o, g), a, b);
    }
    Tensor x = rand(2, 3);
    check("add scalar", in -> in[0].add(2.5), 0, (in, o, t) -> TensorRules.addScalarJvp(in[0],
        2.5, o, t), (in, o, g) -> TensorRules.addScalarVjp(in[0], 2.5, o, g), x);
    check("sub scalar", in -> in[0].sub(2.5), 0, (in, o, t) -> TensorRules.subScalarJvp(in[0],
        2.5, o, t), (in, o, g) -> TensorRules.subScalarVjp(in[0], 2.5, o, g), x);
    check("mul scalar", in -> in[0].mul(-1.5), 0, (in, o, t) -> TensorRules.mulScalarJvp(in[0],
        -1.5, o, t), (in, o, g) -> TensorRules.mulScalarVjp(in[0], -1.5, o, g), x);
    check("div scalar", in -> in[0].div(4), 0, (in, o, t) -> TensorRules.divScalarJvp(in[0],
        4, o, t), (in, o, g) -> TensorRules.divScalarVjp(in[0], 4, o, g), x);
  }

  @Test
  void elementwiseUnary() {
    Tensor x = rand(3, 4);
    Tensor p = positive(3, 4);
    check("neg", in -> in[0].neg(), 0, (in, o, t) -> TensorRules.negJvp(in[0], o, t),
        (in, o, g) -> TensorRules.negVjp(in[0], o, g), x);
    check("exp", in -> in[0].exp(), 0, (in, o, t) -> TensorRules.expJvp(in[0], o, t),
        (in, o, g) -> TensorRules.expVjp(in[0], o, g), x);
    check("log", in -> in[0].log(), 0, (in, o, t) -> TensorRules.logJvp(in[0], o, t),
        (in, o, g) -> TensorRules.logVjp(in[0], o, g), p);
    check("log1p", in -> in[0].log1p(), 0, (in, o, t) -> TensorRules.log1pJvp(in[0], o, t),
        (in, o, g) -> TensorRules.log1pVjp(in[0], o, g), p.sub(0.9));
    check("erf", in -> in[0].erf(), 0, (in, o, t) -> TensorRules.erfJvp(in[0], o, t),
        (in, o, g) -> TensorRules.erfVjp(in[0], o, g), x.mul(1.5));
    check("sqrt", in -> in[0].sqrt(), 0, (in, o, t) -> TensorRules.sqrtJvp(in[0], o, t),
        (in, o, g) -> TensorRules.sqrtVjp(in[0], o, g), p);
    check("abs", in -> in[0].abs(), 0, (in, o, t) -> TensorRules.absJvp(in[0], o, t),
        (in, o, g) -> TensorRules.absVjp(in[0], o, g), x);
    check("tanh", in -> in[0].tanh(), 0, (in, o, t) -> TensorRules.tanhJvp(in[0], o, t),
        (in, o, g) -> TensorRules.tanhVjp(in[0], o, g), x);
    check("sigmoid", in -> in[0].sigmoid(), 0, (in, o, t) -> TensorRules.sigmoidJvp(in[0], o,
        t), (in, o, g) -> TensorRules.sigmoidVjp(in[0], o, g), x);
    check("relu", in -> in[0].relu(), 0, (in, o, t) -> TensorRules.reluJvp(in[0], o, t),
        (in, o, g) -> TensorRules.reluVjp(in[0], o, g), x);
    check("sin", in -> in[0].sin(), 0, (in, o, t) -> TensorRules.sinJvp(in[0], o, t),
        (in, o, g) -> TensorRules.sinVjp(in[0], o, g), x);
    check("cos", in -> in[0].cos(), 0, (in, o, t) -> TensorRules.cosJvp(in[0], o, t),
        (in, o, g) -> TensorRules.cosVjp(in[0], o, g), x);
    check("pow", in -> in[0].pow(2.5), 0, (in, o, t) -> TensorRules.powJvp(in[0], 2.5, o, t),
        (in, o, g) -> TensorRules.powVjp(in[0], 2.5, o, g), p);
    check("clamp", in -> in[0].clamp(-0.5, 0.5), 0, (in, o, t) -> TensorRules.clampJvp(in[0],
        -0.5, 0.5, o, t), (in, o, g) -> TensorRules.clampVjp(in[0], -0.5, 0.5, o, g), x);
  }

  @Test
  void matmulIncludingBatchesAndVectors() {
    int[][][] cases = {{{3, 4}, {4, 2}}, {{2, 3, 4}, {4, 5}}, {{4}, {4, 3}}, {{3, 4}, {4}},
        {{2, 1, 2, 3}, {3, 3, 2}}};
    for (int[][] c : cases) {
      Tensor a = rand(c[0]);
      Tensor b = rand(c[1]);
      check("matmul self", in -> in[0].matmul(in[1]), 0,
          (in, o, t) -> TensorRules.matmulJvpSelf(in[0], in[1], o, t),
          (in, o, g) -> TensorRules.matmulVjpSelf(in[0], in[1], o, g), a, b);
      check("matmul other", in -> in[0].matmul(in[1]), 1,
          (in, o, t) -> TensorRules.matmulJvpOther(in[0], in[1], o, t),
          (in, o, g) -> TensorRules.matmulVjpOther(in[0], in[1], o, g), a, b);
    }
  }

  @Test
  void views() {
    Tensor x = rand(2, 3, 4);
    check("transpose", in -> in[0].transpose(0, 2), 0, (in, o, t) ->
        TensorRules.transposeJvp(in[0], 0, 2, o, t), (in, o, g) -> TensorRules.transposeVjp(
        in[0], 0, 2, o, g), x);
    int[] order = {1, 2, 0};
    check("permute", in -> in[0].permute(order), 0, (in, o, t) -> TensorRules.permuteJvp(in[0],
        order, o, t), (in, o, g) -> TensorRules.permuteVjp(in[0], order, o, g), x);
    int[] shape = {4, -1};
    check("reshape", in -> in[0].reshape(shape), 0, (in, o, t) -> TensorRules.reshapeJvp(in[0],
        shape, o, t), (in, o, g) -> TensorRules.reshapeVjp(in[0], shape, o, g), x);
    check("flatten", in -> in[0].flatten(), 0, (in, o, t) -> TensorRules.flattenJvp(in[0], o,
        t), (in, o, g) -> TensorRules.flattenVjp(in[0], o, g), x);
    Tensor y = rand(2, 1, 4);
    check("squeeze", in -> in[0].squeeze(), 0, (in, o, t) -> TensorRules.squeezeJvp(in[0], o,
        t), (in, o, g) -> TensorRules.squeezeVjp(in[0], o, g), y);
    check("squeeze dim", in -> in[0].squeeze(1), 0, (in, o, t) -> TensorRules.squeezeDimJvp(
        in[0], 1, o, t), (in, o, g) -> TensorRules.squeezeDimVjp(in[0], 1, o, g), y);
    check("unsqueeze", in -> in[0].unsqueeze(-1), 0, (in, o, t) -> TensorRules.unsqueezeJvp(
        in[0], -1, o, t), (in, o, g) -> TensorRules.unsqueezeVjp(in[0], -1, o, g), x);
    int[] target = {5, 2, 1, 4};
    check("broadcastTo", in -> in[0].broadcastTo(target), 0, (in, o, t) ->
        TensorRules.broadcastToJvp(in[0], target, o, t), (in, o, g) ->
        TensorRules.broadcastToVjp(in[0], target, o, g), y);
    int[] small = {3, 1};
    check("sumToSize", in -> in[0].sumToSize(small), 0, (in, o, t) ->
        TensorRules.sumToSizeJvp(in[0], small, o, t), (in, o, g) -> TensorRules.sumToSizeVjp(
        in[0], small, o, g), x);
    check("slice", in -> in[0].slice(2, 1, 3), 0, (in, o, t) -> TensorRules.sliceJvp(in[0], 2,
        1, 3, o, t), (in, o, g) -> TensorRules.sliceVjp(in[0], 2, 1, 3, o, g), x);
    check("slice negative", in -> in[0].slice(-2, -2, 3), 0, (in, o, t) -> TensorRules.sliceJvp(
        in[0], -2, -2, 3, o, t), (in, o, g) -> TensorRules.sliceVjp(in[0], -2, -2, 3, o, g), x);
  }

  @Test
  void reductions() {
    Tensor x = rand(3, 4, 2);
    check("sum", in -> in[0].sum(), 0, (in, o, t) -> TensorRules.sumJvp(in[0], o, t),
        (in, o, g) -> TensorRules.sumVjp(in[0], o, g), x);
    check("mean", in -> in[0].mean(), 0, (in, o, t) -> TensorRules.meanJvp(in[0], o, t),
        (in, o, g) -> TensorRules.meanVjp(in[0], o, g), x);
    for (int d = -3; d < 3; d++) {
      int dim = d;
      for (boolean keep : new boolean[] {false, true}) {
        check("sum dim", in -> in[0].sum(dim, keep), 0, (in, o, t) -> TensorRules.sumDimJvp(
            in[0], dim, keep, o, t), (in, o, g) -> TensorRules.sumDimVjp(in[0], dim, keep, o,
            g), x);
        check("mean dim", in -> in[0].mean(dim, keep), 0, (in, o, t) -> TensorRules.meanDimJvp(
            in[0], dim, keep, o, t), (in, o, g) -> TensorRules.meanDimVjp(in[0], dim, keep, o,
            g), x);
        check("max dim", in -> in[0].max(dim, keep), 0, (in, o, t) -> TensorRules.maxJvp(in[0],
            dim, keep, o, t), (in, o, g) -> TensorRules.maxVjp(in[0], dim, keep, o, g), x);
      }
      check("softmax", in -> in[0].softmax(dim), 0, (in, o, t) -> TensorRules.softmaxJvp(in[0],
          dim, o, t), (in, o, g) -> TensorRules.softmaxVjp(in[0], dim, o, g), x);
      check("logSoftmax", in -> in[0].logSoftmax(dim), 0, (in, o, t) ->
          TensorRules.logSoftmaxJvp(in[0], dim, o, t), (in, o, g) ->
          TensorRules.logSoftmaxVjp(in[0], dim, o, g), x);
      check("logSumExp", in -> in[0].logSumExp(dim), 0, (in, o, t) ->
          TensorRules.logSumExpJvp(in[0], dim, o, t), (in, o, g) ->
          TensorRules.logSumExpVjp(in[0], dim, o, g), x);
    }
  }

  @Test
  void selectionAndJoining() {
    Tensor cond = Tensor.of(new long[] {1, 0, 1, 0, 0, 1}, 2, 3);
    Tensor a = rand(2, 3);
    Tensor b = rand(3);
    check("where a", in -> Tensor.where(cond, in[0], in[1]), 0, (in, o, t) ->
        TensorRules.whereJvpA(cond, in[0], in[1], o, t), (in, o, g) -> TensorRules.whereVjpA(
        cond, in[0], in[1], o, g), a, b);
    check("where b", in -> Tensor.where(cond, in[0], in[1]), 1, (in, o, t) ->
        TensorRules.whereJvpB(cond, in[0], in[1], o, t), (in, o, g) -> TensorRules.whereVjpB(
        cond, in[0], in[1], o, g), a, b);
    Tensor x = rand(4, 3);
    Tensor idx = Tensor.of(new long[] {2, 0, 2, 3, 2}, 5);
    for (int dim : new int[] {0, 1}) {
      Tensor index = dim == 0 ? idx : Tensor.of(new long[] {1, 1, 0}, 3);
      check("indexSelect " + dim, in -> in[0].indexSelect(dim, index), 0, (in, o, t) ->
          TensorRules.indexSelectJvp(in[0], dim, index, o, t), (in, o, g) ->
          TensorRules.indexSelectVjp(in[0], dim, index, o, g), x);
    }
    Tensor gi = Tensor.of(new long[] {0, 2, 2, 1, 1, 1, 0, 0, 2, 2, 1, 0}, 4, 3);
    check("gather", in -> in[0].gather(1, gi), 0, (in, o, t) -> TensorRules.gatherJvp(in[0], 1,
        gi, o, t), (in, o, g) -> TensorRules.gatherVjp(in[0], 1, gi, o, g), x);
    Tensor gi0 = Tensor.of(new long[] {3, 0, 1, 1, 2, 0}, 2, 3);
    check("gather dim 0", in -> in[0].gather(0, gi0), 0, (in, o, t) -> TensorRules.gatherJvp(
        in[0], 0, gi0, o, t), (in, o, g) -> TensorRules.gatherVjp(in[0], 0, gi0, o, g), x);
    Tensor y = rand(4, 2);
    for (int part = 0; part < 2; part++) {
      int p = part;
      check("cat part " + part, in -> Tensor.cat(1, in[0], in[1]), part, (in, o, t) -> {
        Tensor[] ts = {in[0].zerosLike(), in[1].zerosLike()};
        ts[p] = t;
        return TensorRules.catJvp(1, in, o, ts);
      }, (in, o, g) -> TensorRules.catVjp(1, in, o, g)[p], x, y);
      check("stack part " + part, in -> Tensor.stack(0, in[0], in[1]), part, (in, o, t) -> {
        Tensor[] ts = {in[0].zerosLike(), in[1].zerosLike()};
        ts[p] = t;
        return TensorRules.stackJvp(0, in, o, ts);
      }, (in, o, g) -> TensorRules.stackVjp(0, in, o, g)[p], x, x.mul(2));
    }
  }

  @Test
  void noDerivativeOps() {
    Tensor x = rand(2, 3);
    assertArrayEquals(new double[6], TensorRules.signVjp(x, x.sign(), x).toDoubleArray());
    assertArrayEquals(new double[6], TensorRules.detachJvp(x, x, x).toDoubleArray());
  }

  @Test
  void imageOperations() {
    Tensor x = rand(2, 4, 6, 5);
    for (int[] cfg : new int[][] {{1, 0, 1, 1}, {2, 1, 1, 2}, {1, 1, 2, 1}}) {
      int st = cfg[0];
      int p = cfg[1];
      int d = cfg[2];
      int groups = cfg[3];
      Tensor w = rand(6, 4 / groups, 3, 3);
      Tensor b = rand(6);
      Fn conv = in -> in[0].conv2d(in[1], in[2], st, p, d, groups);
      check("conv2d self", conv, 0, (in, o, t) -> TensorRules.conv2dJvpSelf(in[0], in[1], in[2],
          st, p, d, groups, o, t), (in, o, g) -> TensorRules.conv2dVjpSelf(in[0], in[1], in[2],
          st, p, d, groups, o, g), x, w, b);
      check("conv2d weight", conv, 1, (in, o, t) -> TensorRules.conv2dJvpWeight(in[0], in[1],
          in[2], st, p, d, groups, o, t), (in, o, g) -> TensorRules.conv2dVjpWeight(in[0], in[1],
          in[2], st, p, d, groups, o, g), x, w, b);
      check("conv2d bias", conv, 2, (in, o, t) -> TensorRules.conv2dJvpBias(in[0], in[1], in[2],
          st, p, d, groups, o, t), (in, o, g) -> TensorRules.conv2dVjpBias(in[0], in[1], in[2],
          st, p, d, groups, o, g), x, w, b);
    }
    Tensor w = rand(3, 4, 2, 2);
    check("conv2d plain self", in -> in[0].conv2d(in[1]), 0, (in, o, t) ->
        TensorRules.conv2dPlainJvpSelf(in[0], in[1], o, t), (in, o, g) ->
        TensorRules.conv2dPlainVjpSelf(in[0], in[1], o, g), x, w);
    check("conv2d plain weight", in -> in[0].conv2d(in[1]), 1, (in, o, t) ->
        TensorRules.conv2dPlainJvpWeight(in[0], in[1], o, t), (in, o, g) ->
        TensorRules.conv2dPlainVjpWeight(in[0], in[1], o, g), x, w);
    for (int[] cfg : new int[][] {{2, 2, 0}, {3, 1, 1}}) {
      int k = cfg[0];
      int st = cfg[1];
      int p = cfg[2];
      check("maxPool2d", in -> in[0].maxPool2d(k, st, p), 0, (in, o, t) ->
          TensorRules.maxPool2dJvp(in[0], k, st, p, o, t), (in, o, g) ->
          TensorRules.maxPool2dVjp(in[0], k, st, p, o, g), x);
      check("avgPool2d", in -> in[0].avgPool2d(k, st, p), 0, (in, o, t) ->
          TensorRules.avgPool2dJvp(in[0], k, st, p, o, t), (in, o, g) ->
          TensorRules.avgPool2dVjp(in[0], k, st, p, o, g), x);
      check("unfold", in -> in[0].unfold(k, st, p, 1), 0, (in, o, t) ->
          TensorRules.unfoldJvp(in[0], k, st, p, 1, o, t), (in, o, g) ->
          TensorRules.unfoldVjp(in[0], k, st, p, 1, o, g), x);
      Tensor cols = x.unfold(k, st, p, 1);
      check("fold", in -> in[0].fold(6, 5, k, st, p, 1), 0, (in, o, t) ->
          TensorRules.foldJvp(in[0], 6, 5, k, st, p, 1, o, t), (in, o, g) ->
          TensorRules.foldVjp(in[0], 6, 5, k, st, p, 1, o, g), cols);
    }
  }

  /** Rules that only second derivatives reach: of the operations inside other rules. */
  @Test
  void rulesOfRuleInternals() {
    Tensor x = rand(2, 4, 6, 5);
    for (int[] cfg : new int[][] {{1, 0, 1, 1}, {2, 1, 1, 2}, {1, 1, 2, 1}}) {
      int st = cfg[0];
      int p = cfg[1];
      int d = cfg[2];
      int groups = cfg[3];
      Tensor w = rand(6, 4 / groups, 3, 3);
      Tensor gy = rand(x.conv2d(w, null, st, p, d, groups).shape());
      int[] xs = x.shape();
      int[] ws = w.shape();
      Fn inputGrad = in -> Tensor.conv2dInputGrad(xs, in[0], in[1], st, p, d, groups);
      check("conv2dInputGrad weight", inputGrad, 0, (in, o, t) ->
          TensorRules.conv2dInputGradJvpWeight(xs, in[0], in[1], st, p, d, groups, o, t),
          (in, o, c) -> TensorRules.conv2dInputGradVjpWeight(xs, in[0], in[1], st, p, d,
              groups, o, c), w, gy);
      check("conv2dInputGrad grad", inputGrad, 1, (in, o, t) ->
          TensorRules.conv2dInputGradJvpGrad(xs, in[0], in[1], st, p, d, groups, o, t),
          (in, o, c) -> TensorRules.conv2dInputGradVjpGrad(xs, in[0], in[1], st, p, d,
              groups, o, c), w, gy);
      Fn weightGrad = in -> Tensor.conv2dWeightGrad(in[0], ws, in[1], st, p, d, groups);
      check("conv2dWeightGrad input", weightGrad, 0, (in, o, t) ->
          TensorRules.conv2dWeightGradJvpInput(in[0], ws, in[1], st, p, d, groups, o, t),
          (in, o, c) -> TensorRules.conv2dWeightGradVjpInput(in[0], ws, in[1], st, p, d,
              groups, o, c), x, gy);
      check("conv2dWeightGrad grad", weightGrad, 1, (in, o, t) ->
          TensorRules.conv2dWeightGradJvpGrad(in[0], ws, in[1], st, p, d, groups, o, t),
          (in, o, c) -> TensorRules.conv2dWeightGradVjpGrad(in[0], ws, in[1], st, p, d,
              groups, o, c), x, gy);
    }
    for (boolean max : new boolean[] {false, true}) {
      int p = max ? 0 : 1; // max pads with -inf, where differences are NaN
      check("poolWindows " + max, in -> in[0].poolWindows("pool", 3, 2, p, max), 0,
          (in, o, t) -> TensorRules.poolWindowsJvp(in[0], "pool", 3, 2, p, max, o, t),
          (in, o, g) -> TensorRules.poolWindowsVjp(in[0], "pool", 3, 2, p, max, o, g), x);
    }
    // Inside the rules of gather, max pooling and relu: linear in their cotangent.
    Tensor idx = Tensor.of(new long[] {2, 0, 1, 1, 0, 2, 3, 3, 0}, 3, 3);
    int[] target = {3, 4};
    check("gatherBackward", in -> Tensor.gatherBackward(target, 1, idx, in[0]), 0,
        (in, o, t) -> TensorRules.gatherBackwardJvp(target, 1, idx, in[0], o, t),
        (in, o, c) -> TensorRules.gatherBackwardVjp(target, 1, idx, in[0], o, c), rand(3, 3));
    Tensor xr = rand(3, 5);
    check("reluBackward", in -> Tensor.reluBackward(in[0], xr), 0,
        (in, o, t) -> TensorRules.reluBackwardJvpG(in[0], xr, o, t),
        (in, o, c) -> TensorRules.reluBackwardVjpG(in[0], xr, o, c), rand(3, 5));
    assertArrayEquals(new double[15], TensorRules.reluBackwardVjpX(xr, xr, xr, xr)
        .toDoubleArray());
    assertArrayEquals(new long[9], TensorRules.gatherBackwardVjpIndex(target, 1, idx, xr, xr, xr)
        .toLongArray());
    Tensor y = rand(3, 4);
    double v = -1.5;
    check("mul scalar, wrt the scalar", in -> y.mul(in[0].item()), 0,
        (in, o, t) -> TensorRules.mulScalarJvpV(y, in[0].item(), o, t.item()),
        (in, o, g) -> Tensor.scalar(DType.FLOAT64, TensorRules.mulScalarVjpV(y, in[0].item(), o,
            g)), Tensor.scalar(DType.FLOAT64, v));
    Tensor cond = y.gt(0);
    double[] zeros = new double[12];
    assertArrayEquals(zeros, TensorRules.whereVjpCond(cond, y, y, y, y).toDoubleArray());
    assertArrayEquals(zeros, TensorRules.whereJvpCond(cond, y, y, y, y).toDoubleArray());
    assertArrayEquals(zeros, TensorRules.gtScalarVjp(y, 0, cond, y).toDoubleArray());
    assertArrayEquals(zeros, TensorRules.ltScalarVjp(y, 0, cond, y).toDoubleArray());
    assertArrayEquals(zeros, TensorRules.eqScalarVjp(y, 0, cond, y).toDoubleArray());
  }

  @Test
  void minimumPowerOfATensorMaxOfAllAndContiguous() {
    int[][][] shapes = {{{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{2, 1, 4}, {3, 1}}};
    for (int[][] s : shapes) {
      Tensor a = rand(s[0]);
      Tensor b = rand(s[1]);
      check("minimum self", in -> in[0].minimum(in[1]), 0,
          (in, o, t) -> TensorRules.minimumJvpSelf(in[0], in[1], o, t),
          (in, o, g) -> TensorRules.minimumVjpSelf(in[0], in[1], o, g), a, b);
      check("minimum other", in -> in[0].minimum(in[1]), 1,
          (in, o, t) -> TensorRules.minimumJvpOther(in[0], in[1], o, t),
          (in, o, g) -> TensorRules.minimumVjpOther(in[0], in[1], o, g), a, b);
      Tensor base = positive(s[0]);
      Tensor exponent = rand(s[1]);
      check("pow self", in -> in[0].pow(in[1]), 0,
          (in, o, t) -> TensorRules.powTensorJvpSelf(in[0], in[1], o, t),
          (in, o, g) -> TensorRules.powTensorVjpSelf(in[0], in[1], o, g), base, exponent);
      check("pow exponent", in -> in[0].pow(in[1]), 1,
          (in, o, t) -> TensorRules.powTensorJvpExponent(in[0], in[1], o, t),
          (in, o, g) -> TensorRules.powTensorVjpExponent(in[0], in[1], o, g), base, exponent);
    }
    check("max", in -> in[0].max(), 0, (in, o, t) -> TensorRules.maxAllJvp(in[0], o, t),
        (in, o, g) -> TensorRules.maxAllVjp(in[0], o, g), rand(3, 5));
    check("contiguous", in -> in[0].transpose(0, 1).contiguous(), 0,
        (in, o, t) -> TensorRules.contiguousJvp(in[0].transpose(0, 1), o, t.transpose(0, 1)),
        (in, o, g) -> TensorRules.contiguousVjp(in[0].transpose(0, 1), o, g).transpose(0, 1),
        rand(2, 3));
  }

  @Test
  void tiesSplitTheGradientAsPyTorch() {
    Tensor a = Tensor.of(new double[] {1, 2, 3}, 3);
    Tensor b = Tensor.of(new double[] {1, 5, 0}, 3);
    Tensor g = Tensor.of(new double[] {1, 1, 1}, 3);
    Tensor out = a.maximum(b);
    assertArrayEquals(new double[] {0.5, 0, 1},
        TensorRules.maximumVjpSelf(a, b, out, g).toDoubleArray());
    assertArrayEquals(new double[] {0.5, 1, 0},
        TensorRules.maximumVjpOther(a, b, out, g).toDoubleArray());
    Tensor low = a.minimum(b);
    assertArrayEquals(new double[] {0.5, 1, 0},
        TensorRules.minimumVjpSelf(a, b, low, g).toDoubleArray());
    Tensor x = Tensor.of(new double[] {2, 7, 7, 1}, 4);
    assertArrayEquals(new double[] {0, 0.5, 0.5, 0},
        TensorRules.maxAllVjp(x, x.max(), Tensor.scalar(DType.FLOAT64, 1)).toDoubleArray());
    // pow with a zero exponent: slope 0 also at a zero base; a zero result: no log term
    Tensor zero = Tensor.of(new double[] {0, 0}, 2);
    Tensor e = Tensor.of(new double[] {0, 2}, 2);
    assertArrayEquals(new double[] {0, 0},
        TensorRules.powTensorVjpSelf(zero, e, zero.pow(e), g.slice(0, 0, 2)).toDoubleArray());
    assertArrayEquals(new double[] {0, 0},
        TensorRules.powTensorVjpExponent(zero.add(0), Tensor.of(new double[] {1, 2}, 2),
            zero, g.slice(0, 0, 2)).toDoubleArray());
  }

  @Test
  void gradientsKeepTheDtypeOfTheOperand() {
    Tensor w = Tensor.of(new float[] {1, 2}, 2);
    Tensor x = Tensor.of(new double[] {3, 4}, 2);
    Tensor out = w.mul(x);
    Tensor g = out.onesLike();
    if (TensorRules.mulVjpSelf(w, x, out, g).dtype() != DType.FLOAT32) {
      throw new AssertionError("the gradient of a FLOAT32 operand is FLOAT32");
    }
    if (TensorRules.mulVjpOther(w, x, out, g).dtype() != DType.FLOAT64) {
      throw new AssertionError("the gradient of a FLOAT64 operand is FLOAT64");
    }
  }
}
