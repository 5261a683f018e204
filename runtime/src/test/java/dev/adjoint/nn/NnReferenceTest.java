package dev.adjoint.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every layer, activation and loss against PyTorch 1.13 on the same inputs, in float32 and
 * float64: outputs from {@code forward}, gradients from the generated {@code ...Derivatives}
 * VJPs against {@code torch.autograd} (of {@code sum(out * cot)} for one random cotangent).
 * The references are {@code nn_reference.safetensors}, written by
 * {@code runtime/src/test/python/nn_reference.py}; the configurations below are that script's.
 */
class NnReferenceTest {
  /** {@code Tensor.erf}, which GELU is built on, against {@code torch.erf} on 2,000 points. */
  @Test
  void erf() {
    Reference f64 = Reference.of("erf", DType.FLOAT64).tolerance(2.5e-16);
    f64.checkOut(f64.in("x").erf());
    // float32: Adjoint's vector kernel and torch's each within 2 ulp
    Reference f32 = Reference.of("erf", DType.FLOAT32).tolerance(2.4e-7);
    f32.checkOut(f32.in("x").erf());
  }

  @Test
  void linear() {
    for (DType d : Reference.DTYPES) {
      for (String name : new String[] {"linear", "linear_nobias"}) {
        Reference r = Reference.of(name, d);
        Linear layer = new Linear(r.param("weight"), r.optionalParam("bias"));
        r.checkOut(layer.forward(r.in("x")));
        LinearDerivatives.ForwardGrad g = LinearDerivatives.forwardVjp(layer, r.in("x"), r.cot());
        r.checkGrad("x", g.x());
        r.checkGrad("weight", g.self().weight());
        if (layer.bias() != null) r.checkGrad("bias", g.self().bias());
        else assertEquals(null, g.self().bias(), "no bias, no bias gradient");
      }
    }
  }

  @Test
  void conv2d() {
    Map<String, int[]> configs = new LinkedHashMap<>(); // stride, padding, dilation, groups
    configs.put("conv2d", new int[] {2, 1, 1, 2});
    configs.put("conv2d_dilated", new int[] {1, 2, 2, 1});
    configs.put("conv2d_unbatched", new int[] {1, 0, 1, 1});
    for (DType d : Reference.DTYPES) {
      configs.forEach((name, c) -> {
        Reference r = Reference.of(name, d);
        Conv2d layer = new Conv2d(r.param("weight"), r.optionalParam("bias"), c[0], c[1], c[2],
            c[3]);
        r.checkOut(layer.forward(r.in("x")));
        Conv2dDerivatives.ForwardGrad g = Conv2dDerivatives.forwardVjp(layer, r.in("x"), r.cot());
        r.checkGrad("x", g.x());
        r.checkGrad("weight", g.self().weight());
        if (layer.bias() != null) r.checkGrad("bias", g.self().bias());
        else assertEquals(null, g.self().bias(), "no bias, no bias gradient");
      });
    }
  }

  @Test
  void embedding() {
    for (DType d : Reference.DTYPES) {
      for (String name : new String[] {"embedding", "embedding_plain"}) {
        Reference r = Reference.of(name, d);
        Embedding layer = new Embedding(r.param("weight"), name.equals("embedding") ? 1 : null);
        r.checkOut(layer.forward(r.in("indices")));
        r.checkGrad("weight", EmbeddingDerivatives.forwardVjp(layer, r.in("indices"), r.cot())
            .weight());
      }
    }
  }

  @Test
  void layerNorm() {
    for (DType d : Reference.DTYPES) {
      Reference r = Reference.of("layernorm", d);
      LayerNorm layer = new LayerNorm(r.param("weight"), r.param("bias"), new int[] {4, 6}, 1e-5);
      r.checkOut(layer.forward(r.in("x")));
      LayerNormDerivatives.ForwardGrad g = LayerNormDerivatives.forwardVjp(layer, r.in("x"),
          r.cot());
      r.checkGrad("x", g.x());
      r.checkGrad("weight", g.self().weight());
      r.checkGrad("bias", g.self().bias());

      Reference plain = Reference.of("layernorm_plain", d);
      LayerNorm bare = new LayerNorm(null, null, new int[] {6}, 1e-3);
      plain.checkOut(bare.forward(plain.in("x")));
      plain.checkGrad("x", LayerNormDerivatives.forwardVjp(bare, plain.in("x"), plain.cot()).x());
    }
  }

  @Test
  void batchNormInTrainingAndEvalMode() {
    String[] names = {"batchnorm1d", "batchnorm1d_length", "batchnorm2d_cumulative",
        "batchnorm2d_eval", "batchnorm_noaffine"};
    Double[] momenta = {0.1, 0.1, null, 0.1, 0.3};
    for (DType d : Reference.DTYPES) {
      for (int i = 0; i < names.length; i++) {
        Reference r = Reference.of(names[i], d);
        boolean training = !names[i].endsWith("eval");
        BatchNorm layer = new BatchNorm(r.optionalParam("weight"), r.optionalParam("bias"),
            r.param("running_mean"), r.param("running_var"), r.param("num_batches_tracked"),
            momenta[i], 1e-5, training);
        r.checkOut(layer.forward(r.in("x")));
        BatchNormDerivatives.ForwardGrad g = BatchNormDerivatives.forwardVjp(layer, r.in("x"),
            r.cot());
        r.checkGrad("x", g.x());
        if (layer.weight() != null) {
          r.checkGrad("weight", g.self().weight());
          r.checkGrad("bias", g.self().bias());
        }
        BatchNorm next = layer.updateRunningStats(r.in("x"));
        r.check("running mean after the step", r.after("running_mean"), next.runningMean());
        r.check("running variance after the step", r.after("running_var"), next.runningVar());
        assertEquals(training ? 4 : 3, (long) next.numBatchesTracked().item(), names[i]);
      }
    }
  }

  @Test
  void multiheadAttention() {
    for (DType d : Reference.DTYPES) {
      Reference self = Reference.of("mha_self", d);
      MultiheadAttention a = attention(self, 2);
      self.checkOut(a.forward(self.in("query")));
      MultiheadAttentionDerivatives.ForwardGrad g = MultiheadAttentionDerivatives.forwardVjp(a,
          self.in("query"), self.cot());
      self.checkGrad("query", g.x());
      checkAttentionGrads(self, g.self());

      Reference causal = Reference.of("mha_causal", d);
      MultiheadAttention c = attention(causal, 4);
      causal.checkOut(c.forward(causal.in("query"), true));
      MultiheadAttentionDerivatives.ForwardGrad2 gc = MultiheadAttentionDerivatives.forwardVjp(c,
          causal.in("query"), true, causal.cot());
      causal.checkGrad("query", gc.x());
      checkAttentionGrads(causal, gc.self());

      Reference cross = Reference.of("mha_cross", d);
      MultiheadAttention x = attention(cross, 2);
      Tensor q = cross.in("query");
      Tensor k = cross.in("key");
      Tensor v = cross.in("value");
      Tensor mask = cross.param("attn_mask");
      cross.checkOut(x.forward(q, k, v, mask));
      MultiheadAttentionDerivatives.ForwardGrad3 gx = MultiheadAttentionDerivatives.forwardVjp(x,
          q, k, v, mask, cross.cot());
      cross.checkGrad("query", gx.query());
      cross.checkGrad("key", gx.key());
      cross.checkGrad("value", gx.value());
      checkAttentionGrads(cross, gx.self());

      Reference unbatched = Reference.of("mha_unbatched", d);
      MultiheadAttention u = attention(unbatched, 2);
      unbatched.checkOut(u.forward(unbatched.in("query")));
      unbatched.checkGrad("query", MultiheadAttentionDerivatives.forwardVjp(u,
          unbatched.in("query"), unbatched.cot()).x());
    }
  }

  private static MultiheadAttention attention(Reference r, int heads) {
    return new MultiheadAttention(r.param("in_proj_weight"), r.optionalParam("in_proj_bias"),
        new Linear(r.param("out_proj_weight"), r.optionalParam("out_proj_bias")), heads);
  }

  private static void checkAttentionGrads(Reference r, MultiheadAttention g) {
    r.checkGrad("in_proj_weight", g.inProjWeight());
    r.checkGrad("out_proj_weight", g.outProj().weight());
    if (r.optionalParam("in_proj_bias") != null) {
      r.checkGrad("in_proj_bias", g.inProjBias());
      r.checkGrad("out_proj_bias", g.outProj().bias());
    }
  }

  /** Each activation: its forward and its generated VJP. */
  private record Activation(UnaryOperator<Tensor> forward, BinaryOperator<Tensor> vjp) {}

  @Test
  void activations() {
    Map<String, Activation> all = new LinkedHashMap<>();
    all.put("gelu", new Activation(Activations::gelu, ActivationsDerivatives::geluVjp));
    all.put("gelu_tanh", new Activation(Activations::geluTanh,
        ActivationsDerivatives::geluTanhVjp));
    all.put("silu", new Activation(Activations::silu, ActivationsDerivatives::siluVjp));
    all.put("mish", new Activation(Activations::mish, ActivationsDerivatives::mishVjp));
    all.put("leaky_relu", new Activation(Activations::leakyRelu,
        ActivationsDerivatives::leakyReluVjp));
    all.put("leaky_relu_0.2", new Activation(x -> Activations.leakyRelu(x, 0.2),
        (x, g) -> ActivationsDerivatives.leakyReluVjp(x, 0.2, g)));
    all.put("elu", new Activation(Activations::elu, ActivationsDerivatives::eluVjp));
    all.put("elu_0.5", new Activation(x -> Activations.elu(x, 0.5),
        (x, g) -> ActivationsDerivatives.eluVjp(x, 0.5, g)));
    all.put("selu", new Activation(Activations::selu, ActivationsDerivatives::seluVjp));
    all.put("celu_1.5", new Activation(x -> Activations.celu(x, 1.5),
        (x, g) -> ActivationsDerivatives.celuVjp(x, 1.5, g)));
    all.put("softplus", new Activation(Activations::softplus,
        ActivationsDerivatives::softplusVjp));
    all.put("softplus_2_5", new Activation(x -> Activations.softplus(x, 2, 5),
        (x, g) -> ActivationsDerivatives.softplusVjp(x, 2, 5, g)));
    all.put("logsigmoid", new Activation(Activations::logSigmoid,
        ActivationsDerivatives::logSigmoidVjp));
    all.put("hardtanh", new Activation(Activations::hardtanh,
        ActivationsDerivatives::hardtanhVjp));
    all.put("hardtanh_-2_1.5", new Activation(x -> Activations.hardtanh(x, -2, 1.5),
        (x, g) -> ActivationsDerivatives.hardtanhVjp(x, -2, 1.5, g)));
    all.put("relu6", new Activation(Activations::relu6, ActivationsDerivatives::relu6Vjp));
    all.put("hardsigmoid", new Activation(Activations::hardsigmoid,
        ActivationsDerivatives::hardsigmoidVjp));
    all.put("hardswish", new Activation(Activations::hardswish,
        ActivationsDerivatives::hardswishVjp));
    all.put("softsign", new Activation(Activations::softsign,
        ActivationsDerivatives::softsignVjp));
    for (DType d : Reference.DTYPES) {
      all.forEach((name, a) -> {
        Reference r = Reference.of("act." + name, d);
        if (name.equals("hardsigmoid") && d == DType.FLOAT64) {
          // torch's float64 hardsigmoid backward multiplies by 1/6 rounded to float32
          r = r.tolerance(1e-7);
        }
        r.checkOut(a.forward().apply(r.in("x")));
        r.checkGrad("x", a.vjp().apply(r.in("x"), r.cot()));
      });
    }
  }

  /** A class loss: its value and the gradient of its logits. */
  private interface ClassLoss {
    Tensor value(Tensor logits, Tensor labels, Tensor weight);

    Tensor vjp(Tensor logits, Tensor labels, Tensor weight, Tensor cot);
  }

  @Test
  void classLosses() {
    Map<String, ClassLoss> all = new LinkedHashMap<>();
    all.put("ce", classLoss(Losses::crossEntropy, LossesDerivatives::crossEntropyVjp));
    all.put("ce_sum", classLoss((x, y) -> Losses.crossEntropy(x, y, Reduction.SUM),
        (x, y, g) -> LossesDerivatives.crossEntropyVjp(x, y, Reduction.SUM, g)));
    all.put("ce_none", classLoss((x, y) -> Losses.crossEntropy(x, y, Reduction.NONE),
        (x, y, g) -> LossesDerivatives.crossEntropyVjp(x, y, Reduction.NONE, g)));
    all.put("ce_ignore", all.get("ce"));
    all.put("ce_smooth", classLoss((x, y) -> Losses.crossEntropy(x, y, -100, 0.1,
        Reduction.MEAN), (x, y, g) -> LossesDerivatives.crossEntropyVjp(x, y, -100, 0.1,
        Reduction.MEAN, g)));
    all.put("ce_weight_ignore_smooth", new ClassLoss() {
      @Override
      public Tensor value(Tensor x, Tensor y, Tensor w) {
        return Losses.crossEntropy(x, y, w, 2, 0.2, Reduction.MEAN);
      }

      @Override
      public Tensor vjp(Tensor x, Tensor y, Tensor w, Tensor g) {
        return LossesDerivatives.crossEntropyVjp(x, y, w, 2, 0.2, Reduction.MEAN, g);
      }
    });
    all.put("ce_spatial", classLoss((x, y) -> Losses.crossEntropy(x, y, -100, 0.3,
        Reduction.MEAN), (x, y, g) -> LossesDerivatives.crossEntropyVjp(x, y, -100, 0.3,
        Reduction.MEAN, g)));
    all.put("ce_spatial_weight_none", new ClassLoss() {
      @Override
      public Tensor value(Tensor x, Tensor y, Tensor w) {
        return Losses.crossEntropy(x, y, w, -100, 0.1, Reduction.NONE);
      }

      @Override
      public Tensor vjp(Tensor x, Tensor y, Tensor w, Tensor g) {
        return LossesDerivatives.crossEntropyVjp(x, y, w, -100, 0.1, Reduction.NONE, g);
      }
    });
    all.put("ce_unbatched", all.get("ce"));
    all.put("nll", classLoss(Losses::nllLoss, LossesDerivatives::nllLossVjp));
    all.put("nll_weight_ignore_sum", new ClassLoss() {
      @Override
      public Tensor value(Tensor x, Tensor y, Tensor w) {
        return Losses.nllLoss(x, y, w, -100, Reduction.SUM);
      }

      @Override
      public Tensor vjp(Tensor x, Tensor y, Tensor w, Tensor g) {
        return LossesDerivatives.nllLossVjp(x, y, w, -100, Reduction.SUM, g);
      }
    });
    for (DType d : Reference.DTYPES) {
      all.forEach((name, loss) -> {
        Reference r = Reference.of(name, d);
        String input = name.startsWith("nll") ? "logp" : "logits";
        Tensor x = r.in(input);
        Tensor y = r.in("labels");
        Tensor w = r.optionalParam("weight");
        r.checkOut(loss.value(x, y, w));
        r.checkGrad(input, loss.vjp(x, y, w, r.cot()));
      });
    }
  }

  private interface Vjp3 {
    Tensor apply(Tensor x, Tensor y, Tensor g);
  }

  private static ClassLoss classLoss(BinaryOperator<Tensor> value, Vjp3 vjp) {
    return new ClassLoss() {
      @Override
      public Tensor value(Tensor x, Tensor y, Tensor w) {
        return value.apply(x, y);
      }

      @Override
      public Tensor vjp(Tensor x, Tensor y, Tensor w, Tensor g) {
        return vjp.apply(x, y, g);
      }
    };
  }

  /** An element-wise loss: its value and the gradients of prediction and target. */
  private interface PairLoss {
    Tensor value(Reference r, Tensor a, Tensor b);

    Tensor[] vjp(Reference r, Tensor a, Tensor b, Tensor g);
  }

  @Test
  void elementwiseLosses() {
    Map<String, PairLoss> all = new LinkedHashMap<>();
    all.put("mse", pair((a, b) -> Losses.mseLoss(a, b), (a, b, g) -> {
      LossesDerivatives.MseLossGrad m = LossesDerivatives.mseLossVjp(a, b, g);
      return new Tensor[] {m.prediction(), m.target()};
    }));
    all.put("mse_none", pair((a, b) -> Losses.mseLoss(a, b, Reduction.NONE), (a, b, g) -> {
      LossesDerivatives.MseLossGrad2 m = LossesDerivatives.mseLossVjp(a, b, Reduction.NONE, g);
      return new Tensor[] {m.prediction(), m.target()};
    }));
    all.put("l1", pair((a, b) -> Losses.l1Loss(a, b), (a, b, g) -> {
      LossesDerivatives.L1LossGrad m = LossesDerivatives.l1LossVjp(a, b, g);
      return new Tensor[] {m.prediction(), m.target()};
    }));
    all.put("l1_sum", pair((a, b) -> Losses.l1Loss(a, b, Reduction.SUM), (a, b, g) -> {
      LossesDerivatives.L1LossGrad2 m = LossesDerivatives.l1LossVjp(a, b, Reduction.SUM, g);
      return new Tensor[] {m.prediction(), m.target()};
    }));
    all.put("huber", pair((a, b) -> Losses.huberLoss(a, b, 0.7, Reduction.MEAN), (a, b, g) -> {
      LossesDerivatives.HuberLossGrad m = LossesDerivatives.huberLossVjp(a, b, 0.7,
          Reduction.MEAN, g);
      return new Tensor[] {m.prediction(), m.target()};
    }));
    all.put("smooth_l1_sum", pair((a, b) -> Losses.smoothL1Loss(a, b, 0.5, Reduction.SUM),
        (a, b, g) -> {
          LossesDerivatives.SmoothL1LossGrad m = LossesDerivatives.smoothL1LossVjp(a, b, 0.5,
              Reduction.SUM, g);
          return new Tensor[] {m.prediction(), m.target()};
        }));
    for (DType d : Reference.DTYPES) {
      all.forEach((name, loss) -> {
        Reference r = Reference.of(name, d);
        Tensor a = r.in("prediction");
        Tensor b = r.in("target");
        r.checkOut(loss.value(r, a, b));
        Tensor[] g = loss.vjp(r, a, b, r.cot());
        r.checkGrad("prediction", g[0]);
        r.checkGrad("target", g[1]);
      });
    }
  }

  @Test
  void binaryCrossEntropyWithLogits() {
    for (DType d : Reference.DTYPES) {
      Reference plain = Reference.of("bce", d);
      Tensor z = plain.in("logits");
      Tensor t = plain.in("target");
      plain.checkOut(Losses.binaryCrossEntropyWithLogits(z, t));
      LossesDerivatives.BinaryCrossEntropyWithLogitsGrad g =
          LossesDerivatives.binaryCrossEntropyWithLogitsVjp(z, t, plain.cot());
      plain.checkGrad("logits", g.logits());
      plain.checkGrad("target", g.target());
      for (String name : new String[] {"bce_none", "bce_weighted_sum"}) {
        Reference r = Reference.of(name, d);
        Tensor w = r.optionalParam("weight");
        Tensor pw = r.optionalParam("pos_weight");
        Reduction red = name.endsWith("none") ? Reduction.NONE : Reduction.SUM;
        r.checkOut(Losses.binaryCrossEntropyWithLogits(r.in("logits"), r.in("target"), w, pw,
            red));
        LossesDerivatives.BinaryCrossEntropyWithLogitsGrad2 g2 =
            LossesDerivatives.binaryCrossEntropyWithLogitsVjp(r.in("logits"), r.in("target"), w,
                pw, red, r.cot());
        r.checkGrad("logits", g2.logits());
        r.checkGrad("target", g2.target());
      }
    }
  }

  private interface PairVjp {
    Tensor[] apply(Tensor a, Tensor b, Tensor g);
  }

  private static PairLoss pair(BinaryOperator<Tensor> value, PairVjp vjp) {
    return new PairLoss() {
      @Override
      public Tensor value(Reference r, Tensor a, Tensor b) {
        return value.apply(a, b);
      }

      @Override
      public Tensor[] vjp(Reference r, Tensor a, Tensor b, Tensor g) {
        return vjp.apply(a, b, g);
      }
    };
  }
}
