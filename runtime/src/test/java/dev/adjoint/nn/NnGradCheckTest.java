package dev.adjoint.nn;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The generated derivatives of every layer, activation and loss in float64: VJPs against
 * central differences, JVPs against VJPs by the dot-product test ({@link Derivatives}), through
 * the {@code ...Derivatives} classes the processor wrote into the runtime jar. Points are
 * random and kept away from kinks, where differences see no derivative.
 */
class NnGradCheckTest {
  private final SplittableRandom random = new SplittableRandom(11);

  private Tensor randn(int... shape) {
    return Tensor.randn(DType.FLOAT64, random, shape);
  }

  /** Random values moved at least 0.05 away from each kink. */
  private Tensor awayFrom(Tensor x, double... kinks) {
    double[] v = x.toDoubleArray();
    for (int i = 0; i < v.length; i++) {
      for (double k : kinks) {
        if (Math.abs(v[i] - k) < 0.05) v[i] = k + (v[i] < k ? -0.05 : 0.05);
      }
    }
    return Tensor.of(v, x.shape());
  }

  private static <L> Derivatives.Grad<L> grad(L layer, Tensor... xs) {
    return new Derivatives.Grad<>(layer, xs);
  }

  @Test
  void linear() {
    for (boolean bias : new boolean[] {true, false}) {
      Linear l = Linear.init(DType.FLOAT64, random, 5, 4, bias);
      new Derivatives<>("Linear", l, 1, randn(2, 3, 5)).check(
          (m, x) -> m.forward(x[0]),
          (m, x, g) -> {
            LinearDerivatives.ForwardGrad d = LinearDerivatives.forwardVjp(m, x[0], g);
            return grad(d.self(), d.x());
          },
          (m, x, tm, tx) -> LinearDerivatives.forwardJvp(m, x[0], tm, tx[0]).tangent(), 1);
    }
  }

  @Test
  void conv2d() {
    Conv2d grouped = Conv2d.init(DType.FLOAT64, random, 4, 6, 3, 2, 1, 1, 2, true);
    Conv2d dilated = Conv2d.init(DType.FLOAT64, random, 3, 2, 3, 1, 2, 2, 1, false);
    Tensor[] inputs = {randn(2, 4, 6, 6), randn(1, 3, 7, 7)};
    Conv2d[] layers = {grouped, dilated};
    for (int i = 0; i < 2; i++) {
      new Derivatives<>("Conv2d", layers[i], 1, inputs[i]).check(
          (m, x) -> m.forward(x[0]),
          (m, x, g) -> {
            Conv2dDerivatives.ForwardGrad d = Conv2dDerivatives.forwardVjp(m, x[0], g);
            return grad(d.self(), d.x());
          },
          (m, x, tm, tx) -> Conv2dDerivatives.forwardJvp(m, x[0], tm, tx[0]).tangent(), 2);
    }
  }

  @Test
  void embedding() {
    // without a padding row: central differences see the row the padding index reads, whose
    // gradient is zero by definition (NnReferenceTest checks that against PyTorch)
    Embedding e = Embedding.init(DType.FLOAT64, random, 6, 3, null);
    Tensor indices = Tensor.of(new long[] {0, 2, 5, 2, 1, 0}, 2, 3);
    new Derivatives<>("Embedding", e, 0, indices).check(
        (m, x) -> m.forward(x[0]),
        (m, x, g) -> grad(EmbeddingDerivatives.forwardVjp(m, x[0], g)),
        (m, x, tm, tx) -> EmbeddingDerivatives.forwardJvp(m, x[0], tm).tangent(), 3);
  }

  @Test
  void layerNorm() {
    LayerNorm affine = LayerNorm.init(DType.FLOAT64, new int[] {3, 4}, 1e-5, true);
    affine = new LayerNorm(randn(3, 4), randn(3, 4), affine.normalizedShape(), affine.eps());
    LayerNorm plain = LayerNorm.init(DType.FLOAT64, new int[] {4}, 1e-3, false);
    for (LayerNorm l : new LayerNorm[] {affine, plain}) {
      new Derivatives<>("LayerNorm", l, 1, randn(2, 3, 4)).check(
          (m, x) -> m.forward(x[0]),
          (m, x, g) -> {
            LayerNormDerivatives.ForwardGrad d = LayerNormDerivatives.forwardVjp(m, x[0], g);
            return grad(d.self(), d.x());
          },
          (m, x, tm, tx) -> LayerNormDerivatives.forwardJvp(m, x[0], tm, tx[0]).tangent(), 4);
    }
  }

  @Test
  void batchNorm() {
    BatchNorm trained = BatchNorm.init(DType.FLOAT64, 3, 1e-5, 0.1, true, true);
    trained = new BatchNorm(randn(3), randn(3), randn(3), randn(3).abs().add(0.5),
        trained.numBatchesTracked(), 0.1, 1e-5, true);
    BatchNorm bare = BatchNorm.init(DType.FLOAT64, 3, 1e-5, 0.1, false, false);
    Object[][] cases = {{trained, randn(4, 3, 2, 2)}, {trained.eval(), randn(5, 3)},
        {bare, randn(4, 3, 5)}};
    for (Object[] c : cases) {
      new Derivatives<>("BatchNorm", (BatchNorm) c[0], 1, (Tensor) c[1]).check(
          (m, x) -> m.forward(x[0]),
          (m, x, g) -> {
            BatchNormDerivatives.ForwardGrad d = BatchNormDerivatives.forwardVjp(m, x[0], g);
            return grad(d.self(), d.x());
          },
          (m, x, tm, tx) -> BatchNormDerivatives.forwardJvp(m, x[0], tm, tx[0]).tangent(), 5);
    }
  }

  @Test
  void dropout() {
    Dropout d = Dropout.of(0.3);
    new Derivatives<Void>("Dropout", null, 1, randn(4, 5)).check(
        (m, x) -> d.forward(x[0], 42),
        (m, x, g) -> grad(null, DropoutDerivatives.forwardVjp(d, x[0], 42, g)),
        (m, x, tm, tx) -> DropoutDerivatives.forwardJvp(d, x[0], 42, tx[0]).tangent(), 6);
  }

  @Test
  void multiheadAttention() {
    MultiheadAttention a = MultiheadAttention.init(DType.FLOAT64, random, 6, 2, true);
    // PyTorch's initialization leaves the biases at 0: random ones check their derivatives
    a = new MultiheadAttention(a.inProjWeight(), randn(18), new Linear(a.outProj().weight(),
        randn(6)), 2);
    new Derivatives<>("MultiheadAttention causal", a, 1, randn(2, 4, 6)).check(
        (m, x) -> m.forward(x[0], true),
        (m, x, g) -> {
          MultiheadAttentionDerivatives.ForwardGrad2 d =
              MultiheadAttentionDerivatives.forwardVjp(m, x[0], true, g);
          return grad(d.self(), d.x());
        },
        (m, x, tm, tx) -> MultiheadAttentionDerivatives.forwardJvp(m, x[0], true, tm, tx[0])
            .tangent(), 7);
    Tensor mask = randn(3, 5);
    new Derivatives<>("MultiheadAttention cross", a, 3, randn(2, 3, 6), randn(2, 5, 6),
        randn(2, 5, 6), mask).check(
        (m, x) -> m.forward(x[0], x[1], x[2], x[3]),
        (m, x, g) -> {
          MultiheadAttentionDerivatives.ForwardGrad3 d =
              MultiheadAttentionDerivatives.forwardVjp(m, x[0], x[1], x[2], x[3], g);
          return grad(d.self(), d.query(), d.key(), d.value());
        },
        (m, x, tm, tx) -> MultiheadAttentionDerivatives.forwardJvp(m, x[0], x[1], x[2], x[3], tm,
            tx[0], tx[1], tx[2]).tangent(), 8);
  }

  /** An activation: forward, VJP and JVP of its input. */
  private record Activation(UnaryOperator<Tensor> f, BinaryOperator<Tensor> vjp,
      BinaryOperator<Tensor> jvp) {}

  @Test
  void activations() {
    Map<String, Activation> all = new LinkedHashMap<>();
    all.put("gelu", new Activation(Activations::gelu, ActivationsDerivatives::geluVjp,
        (x, t) -> ActivationsDerivatives.geluJvp(x, t).tangent()));
    all.put("geluTanh", new Activation(Activations::geluTanh,
        ActivationsDerivatives::geluTanhVjp,
        (x, t) -> ActivationsDerivatives.geluTanhJvp(x, t).tangent()));
    all.put("silu", new Activation(Activations::silu, ActivationsDerivatives::siluVjp,
        (x, t) -> ActivationsDerivatives.siluJvp(x, t).tangent()));
    all.put("mish", new Activation(Activations::mish, ActivationsDerivatives::mishVjp,
        (x, t) -> ActivationsDerivatives.mishJvp(x, t).tangent()));
    all.put("leakyRelu", new Activation(x -> Activations.leakyRelu(x, 0.2),
        (x, g) -> ActivationsDerivatives.leakyReluVjp(x, 0.2, g),
        (x, t) -> ActivationsDerivatives.leakyReluJvp(x, 0.2, t).tangent()));
    all.put("elu", new Activation(x -> Activations.elu(x, 0.7),
        (x, g) -> ActivationsDerivatives.eluVjp(x, 0.7, g),
        (x, t) -> ActivationsDerivatives.eluJvp(x, 0.7, t).tangent()));
    all.put("selu", new Activation(Activations::selu, ActivationsDerivatives::seluVjp,
        (x, t) -> ActivationsDerivatives.seluJvp(x, t).tangent()));
    all.put("celu", new Activation(x -> Activations.celu(x, 1.5),
        (x, g) -> ActivationsDerivatives.celuVjp(x, 1.5, g),
        (x, t) -> ActivationsDerivatives.celuJvp(x, 1.5, t).tangent()));
    all.put("softplus", new Activation(x -> Activations.softplus(x, 2, 3),
        (x, g) -> ActivationsDerivatives.softplusVjp(x, 2, 3, g),
        (x, t) -> ActivationsDerivatives.softplusJvp(x, 2, 3, t).tangent()));
    all.put("logSigmoid", new Activation(Activations::logSigmoid,
        ActivationsDerivatives::logSigmoidVjp,
        (x, t) -> ActivationsDerivatives.logSigmoidJvp(x, t).tangent()));
    all.put("hardtanh", new Activation(x -> Activations.hardtanh(x, -2, 1.5),
        (x, g) -> ActivationsDerivatives.hardtanhVjp(x, -2, 1.5, g),
        (x, t) -> ActivationsDerivatives.hardtanhJvp(x, -2, 1.5, t).tangent()));
    all.put("relu6", new Activation(Activations::relu6, ActivationsDerivatives::relu6Vjp,
        (x, t) -> ActivationsDerivatives.relu6Jvp(x, t).tangent()));
    all.put("hardsigmoid", new Activation(Activations::hardsigmoid,
        ActivationsDerivatives::hardsigmoidVjp,
        (x, t) -> ActivationsDerivatives.hardsigmoidJvp(x, t).tangent()));
    all.put("hardswish", new Activation(Activations::hardswish,
        ActivationsDerivatives::hardswishVjp,
        (x, t) -> ActivationsDerivatives.hardswishJvp(x, t).tangent()));
    all.put("softsign", new Activation(Activations::softsign,
        ActivationsDerivatives::softsignVjp,
        (x, t) -> ActivationsDerivatives.softsignJvp(x, t).tangent()));
    Tensor x = awayFrom(randn(4, 10).mul(3), 0, -2, 1.5, -3, 3, 6, 1.5);
    long seed = 20;
    for (Map.Entry<String, Activation> e : all.entrySet()) {
      Activation a = e.getValue();
      new Derivatives<Void>(e.getKey(), null, 1, x).check(
          (m, xs) -> a.f().apply(xs[0]),
          (m, xs, g) -> grad(null, a.vjp().apply(xs[0], g)),
          (m, xs, tm, t) -> a.jvp().apply(xs[0], t[0]), seed++);
    }
  }

  @Test
  void classLosses() {
    Tensor logits = randn(5, 4);
    Tensor labels = Tensor.of(new long[] {3, 0, 2, -100, 1}, 5);
    Tensor weight = randn(4).abs().add(0.5);
    new Derivatives<Void>("crossEntropy", null, 1, logits,
        Tensor.of(new long[] {3, 0, 2, 1, 1}, 5)).check(
        (m, x) -> Losses.crossEntropy(x[0], x[1]),
        (m, x, g) -> grad(null, LossesDerivatives.crossEntropyVjp(x[0], x[1], g)),
        (m, x, tm, t) -> LossesDerivatives.crossEntropyJvp(x[0], x[1], t[0]).tangent(), 30);
    new Derivatives<Void>("crossEntropy weighted, smoothed, ignoring", null, 1, logits, labels,
        weight).check(
        (m, x) -> Losses.crossEntropy(x[0], x[1], x[2], -100, 0.2, Reduction.MEAN),
        (m, x, g) -> grad(null, LossesDerivatives.crossEntropyVjp(x[0], x[1], x[2], -100, 0.2,
            Reduction.MEAN, g)),
        (m, x, tm, t) -> LossesDerivatives.crossEntropyJvp(x[0], x[1], x[2], -100, 0.2,
            Reduction.MEAN, t[0]).tangent(), 31);
    Tensor spatial = Tensor.of(new long[] {0, 1, 2, 0, -100, 1, 2, 2}, 2, 2, 2);
    new Derivatives<Void>("crossEntropy spatial, unreduced", null, 1, randn(2, 3, 2, 2),
        spatial).check(
        (m, x) -> Losses.crossEntropy(x[0], x[1], -100, 0.1, Reduction.NONE),
        (m, x, g) -> grad(null, LossesDerivatives.crossEntropyVjp(x[0], x[1], -100, 0.1,
            Reduction.NONE, g)),
        (m, x, tm, t) -> LossesDerivatives.crossEntropyJvp(x[0], x[1], -100, 0.1,
            Reduction.NONE, t[0]).tangent(), 32);
    new Derivatives<Void>("nllLoss", null, 1, logits, labels, weight).check(
        (m, x) -> Losses.nllLoss(x[0], x[1], x[2], -100, Reduction.SUM),
        (m, x, g) -> grad(null, LossesDerivatives.nllLossVjp(x[0], x[1], x[2], -100,
            Reduction.SUM, g)),
        (m, x, tm, t) -> LossesDerivatives.nllLossJvp(x[0], x[1], x[2], -100, Reduction.SUM,
            t[0]).tangent(), 33);
  }

  @Test
  void elementwiseLosses() {
    Tensor a = randn(3, 4);
    Tensor b = a.add(awayFrom(randn(3, 4), 0, 0.7, -0.7, 0.5, -0.5));
    new Derivatives<Void>("mseLoss", null, 2, a, b).check(
        (m, x) -> Losses.mseLoss(x[0], x[1]),
        (m, x, g) -> {
          LossesDerivatives.MseLossGrad d = LossesDerivatives.mseLossVjp(x[0], x[1], g);
          return grad(null, d.prediction(), d.target());
        },
        (m, x, tm, t) -> LossesDerivatives.mseLossJvp(x[0], x[1], t[0], t[1]).tangent(), 40);
    new Derivatives<Void>("l1Loss", null, 2, a, b).check(
        (m, x) -> Losses.l1Loss(x[0], x[1], Reduction.NONE),
        (m, x, g) -> {
          LossesDerivatives.L1LossGrad2 d = LossesDerivatives.l1LossVjp(x[0], x[1],
              Reduction.NONE, g);
          return grad(null, d.prediction(), d.target());
        },
        (m, x, tm, t) -> LossesDerivatives.l1LossJvp(x[0], x[1], Reduction.NONE, t[0], t[1])
            .tangent(), 41);
    new Derivatives<Void>("huberLoss", null, 2, a, b).check(
        (m, x) -> Losses.huberLoss(x[0], x[1], 0.7, Reduction.SUM),
        (m, x, g) -> {
          LossesDerivatives.HuberLossGrad d = LossesDerivatives.huberLossVjp(x[0], x[1], 0.7,
              Reduction.SUM, g);
          return grad(null, d.prediction(), d.target());
        },
        (m, x, tm, t) -> LossesDerivatives.huberLossJvp(x[0], x[1], 0.7, Reduction.SUM, t[0],
            t[1]).tangent(), 42);
    new Derivatives<Void>("smoothL1Loss", null, 2, a, b).check(
        (m, x) -> Losses.smoothL1Loss(x[0], x[1], 0.5, Reduction.MEAN),
        (m, x, g) -> {
          LossesDerivatives.SmoothL1LossGrad d = LossesDerivatives.smoothL1LossVjp(x[0], x[1],
              0.5, Reduction.MEAN, g);
          return grad(null, d.prediction(), d.target());
        },
        (m, x, tm, t) -> LossesDerivatives.smoothL1LossJvp(x[0], x[1], 0.5, Reduction.MEAN,
            t[0], t[1]).tangent(), 43);
    Tensor target = Tensor.rand(DType.FLOAT64, random, 3, 4);
    new Derivatives<Void>("binaryCrossEntropyWithLogits", null, 2, a.mul(3), target,
        randn(3, 1).abs(), randn(4).abs()).check(
        (m, x) -> Losses.binaryCrossEntropyWithLogits(x[0], x[1], x[2], x[3], Reduction.MEAN),
        (m, x, g) -> {
          LossesDerivatives.BinaryCrossEntropyWithLogitsGrad2 d =
              LossesDerivatives.binaryCrossEntropyWithLogitsVjp(x[0], x[1], x[2], x[3],
                  Reduction.MEAN, g);
          return grad(null, d.logits(), d.target());
        },
        (m, x, tm, t) -> LossesDerivatives.binaryCrossEntropyWithLogitsJvp(x[0], x[1], x[2],
            x[3], Reduction.MEAN, t[0], t[1]).tangent(), 44);
  }
}
