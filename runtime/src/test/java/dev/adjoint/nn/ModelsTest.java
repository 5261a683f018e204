package dev.adjoint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ad.GradCheck;
import dev.adjoint.ad.ValueAndGrad;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Layers composed into models, records of records, as users write them: the processor
 * differentiates the models' losses here (test code), through the derivatives it generated
 * into the runtime for each layer. Gradients are models of the same type, checked against
 * central differences; Hessian-vector products against differences of the gradient.
 */
class ModelsTest {
  /** DESIGN.md's example: two layers, a gradient that is a Net. */
  record Net(Linear fc1, Linear fc2) {
    static Net init(RandomGenerator random, DType dtype) {
      return new Net(Linear.init(dtype, random, 6, 8, true), Linear.init(dtype, random, 8, 3,
          true));
    }

    @Differentiable
    Tensor loss(@NoDerivative Tensor x, @NoDerivative Tensor labels) {
      return Losses.crossEntropy(fc2.forward(Activations.gelu(fc1.forward(x))), labels);
    }
  }

  /** A small CNN: convolution, batch norm in training mode, pooling, dropout, a head. */
  record Cnn(Conv2d conv, BatchNorm bn, Dropout drop, Linear head) {
    @Differentiable
    Tensor loss(@NoDerivative Tensor x, @NoDerivative Tensor labels, @NoDerivative long seed) {
      Tensor h = Activations.silu(bn.forward(conv.forward(x))).maxPool2d(2, 2, 0);
      h = drop.forward(h.reshape(x.size(0), -1), seed);
      return Losses.crossEntropy(head.forward(h), labels, -100, 0.1, Reduction.MEAN);
    }

    /** The running statistics this batch leaves, as PyTorch's training forward would. */
    Cnn withStatsOf(Tensor x) {
      return new Cnn(conv, bn.updateRunningStats(conv.forward(x)), drop, head);
    }
  }

  /** A pre-norm transformer block over token embeddings, with a causal mask. */
  record TinyLm(Embedding embed, LayerNorm ln1, MultiheadAttention attn, LayerNorm ln2,
      Linear up, Linear down, Linear head) {
    @Differentiable
    Tensor loss(@NoDerivative Tensor tokens, @NoDerivative Tensor targets) {
      Tensor h = embed.forward(tokens);
      h = h.add(attn.forward(ln1.forward(h), true));
      h = h.add(down.forward(Activations.gelu(up.forward(ln2.forward(h)))));
      // (N, L, V) logits; cross entropy wants the classes in dimension 1
      return Losses.crossEntropy(head.forward(h).transpose(1, 2), targets);
    }
  }

  private static <M> void checkGradient(M model, Derivatives.Fn<M> f, Derivatives.Vjp<M> vjp,
      Derivatives.Jvp<M> jvp) {
    new Derivatives<>(model.getClass().getSimpleName(), model, 0).check(f, vjp, jvp, 3);
  }

  @Test
  void aNetsGradientIsANet() {
    SplittableRandom r = new SplittableRandom(1);
    Net net = Net.init(r, DType.FLOAT64);
    Tensor x = Tensor.randn(DType.FLOAT64, r, 5, 6);
    Tensor y = Tensor.of(new long[] {0, 2, 1, 1, 0}, 5);
    ValueAndGrad<Tensor, Net> vg = ModelsTest_NetDerivatives.lossValueAndGrad(net, x, y);
    assertEquals(net.loss(x, y).item(), vg.value().item());
    assertArrayEquals(net.fc1().weight().shape(), vg.grad().fc1().weight().shape());
    checkGradient(net, (m, xs) -> m.loss(x, y),
        (m, xs, g) -> new Derivatives.Grad<>(ModelsTest_NetDerivatives.lossVjp(m, x, y, g)),
        (m, xs, t, ts) -> ModelsTest_NetDerivatives.lossJvp(m, x, y, t).tangent());
    // second order through the layers' derivatives: H v against differences of the gradient
    ModelTree<Net> tree = ModelTree.of(Net.class);
    GradCheck.Vector gradient = p -> flat(tree, ModelsTest_NetDerivatives.lossGrad(
        rebuild(tree, net, p), x, y));
    GradCheck.Jvp hvp = (p, v) -> flat(tree, ModelsTest_NetDerivatives.lossHvp(
        rebuild(tree, net, p), x, y, rebuild(tree, net, v)));
    GradCheck.checkJvp(gradient, hvp, flat(tree, net), 1e-6, 4);
  }

  @Test
  void aCnnWithBatchNormAndDropout() {
    SplittableRandom r = new SplittableRandom(2);
    Cnn cnn = new Cnn(Conv2d.init(DType.FLOAT64, r, 2, 3, 3, 1, 1, 1, 1, true),
        BatchNorm.init(DType.FLOAT64, 3, 1e-5, 0.1, true, true), Dropout.of(0.25),
        Linear.init(DType.FLOAT64, r, 12, 4, true));
    cnn = new Cnn(cnn.conv(), new BatchNorm(Tensor.randn(DType.FLOAT64, r, 3),
        Tensor.randn(DType.FLOAT64, r, 3), cnn.bn().runningMean(), cnn.bn().runningVar(),
        cnn.bn().numBatchesTracked(), 0.1, 1e-5, true), cnn.drop(), cnn.head());
    Tensor x = Tensor.randn(DType.FLOAT64, r, 3, 2, 4, 4);
    Tensor y = Tensor.of(new long[] {3, 0, 1}, 3);
    checkGradient(cnn, (m, xs) -> m.loss(x, y, 9),
        (m, xs, g) -> new Derivatives.Grad<>(ModelsTest_CnnDerivatives.lossVjp(m, x, y, 9, g)),
        (m, xs, t, ts) -> ModelsTest_CnnDerivatives.lossJvp(m, x, y, 9, t).tangent());
    Cnn next = cnn.withStatsOf(x);
    assertEquals(1, (long) next.bn().numBatchesTracked().item());
    Tensor gradBuffer = ModelsTest_CnnDerivatives.lossGrad(cnn, x, y, 9).bn().runningMean();
    assertEquals(0, gradBuffer.abs().sum().item(), "running statistics are not used in training");
  }

  @Test
  void aTransformerBlock() {
    SplittableRandom r = new SplittableRandom(3);
    int vocab = 7;
    int e = 8;
    TinyLm lm = new TinyLm(Embedding.init(DType.FLOAT64, r, vocab, e, null),
        LayerNorm.init(DType.FLOAT64, new int[] {e}, 1e-5, true),
        MultiheadAttention.init(DType.FLOAT64, r, e, 2, true),
        LayerNorm.init(DType.FLOAT64, new int[] {e}, 1e-5, true),
        Linear.init(DType.FLOAT64, r, e, 2 * e, true), Linear.init(DType.FLOAT64, r, 2 * e, e,
            true), Linear.init(DType.FLOAT64, r, e, vocab, false));
    Tensor tokens = Tensor.of(new long[] {1, 4, 2, 6, 0, 3, 3, 5}, 2, 4);
    Tensor targets = Tensor.of(new long[] {4, 2, 6, 0, 3, 3, 5, 1}, 2, 4);
    checkGradient(lm, (m, xs) -> m.loss(tokens, targets),
        (m, xs, g) -> new Derivatives.Grad<>(ModelsTest_TinyLmDerivatives.lossVjp(m, tokens,
            targets, g)),
        (m, xs, t, ts) -> ModelsTest_TinyLmDerivatives.lossJvp(m, tokens, targets, t)
            .tangent());
  }

  private static <M> double[] flat(ModelTree<M> tree, M model) {
    return java.util.Arrays.stream(tree.tensors(model))
        .flatMapToDouble(t -> java.util.Arrays.stream(t.toDoubleArray())).toArray();
  }

  private static <M> M rebuild(ModelTree<M> tree, M template, double[] p) {
    Tensor[] leaves = tree.tensors(template);
    int at = 0;
    for (int i = 0; i < leaves.length; i++) {
      int n = leaves[i].numel();
      leaves[i] = Tensor.of(java.util.Arrays.copyOfRange(p, at, at + n), leaves[i].shape());
      at += n;
    }
    return tree.rebuild(template, leaves);
  }
}
