package dev.adjoint.tests.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The two models of the training-step benchmark ({@link TrainingStepReport}), written as records
 * of tensors in PyTorch's layouts, so that the same weights go into PyTorch unchanged: an MLP
 * 784-256-256-10 and a small CNN (conv 1 to 16 and 16 to 32, 3x3, padding 1, each followed by
 * relu and 2x2 max pooling, then a linear layer 1568 to 10). Both end in cross-entropy.
 */
public final class StepModels {
  private StepModels() {}

  /** {@code nn.Sequential(Linear(784, 256), ReLU, Linear(256, 256), ReLU, Linear(256, 10))}. */
  public record Mlp(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3) {
    @Differentiable
    public Tensor loss(@NoDerivative Tensor x, @NoDerivative Tensor labels) {
      Tensor h1 = x.matmul(w1.transpose(0, 1)).add(b1).relu();
      Tensor h2 = h1.matmul(w2.transpose(0, 1)).add(b2).relu();
      Tensor logits = h2.matmul(w3.transpose(0, 1)).add(b3);
      return logits.logSoftmax(1).gather(1, labels.unsqueeze(1)).mean().neg();
    }

    /** PyTorch's default initialization of each layer, from {@code seed}. */
    public static Mlp init(long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      return new Mlp(uniform(r, 784, 256, 784), uniform(r, 784, 256), uniform(r, 256, 256, 256),
          uniform(r, 256, 256), uniform(r, 256, 10, 256), uniform(r, 256, 10));
    }

    /** The weights by their PyTorch {@code state_dict} names ({@code nn.Sequential}). */
    public Map<String, Tensor> named() {
      return names(NAMES, w1, b1, w2, b2, w3, b3);
    }

    static final String[] NAMES = {"0.weight", "0.bias", "2.weight", "2.bias", "4.weight",
        "4.bias"};

    /** The model whose {@link #named} weights are {@code prefix + name} in {@code tensors}. */
    public static Mlp of(Map<String, Tensor> tensors, String prefix) {
      Tensor[] t = pick(tensors, prefix, NAMES);
      return new Mlp(t[0], t[1], t[2], t[3], t[4], t[5]);
    }
  }

  /** conv(1, 16) relu pool, conv(16, 32) relu pool, linear(1568, 10) on 28 x 28 images. */
  public record Cnn(Tensor c1w, Tensor c1b, Tensor c2w, Tensor c2b, Tensor fw, Tensor fb) {
    @Differentiable
    public Tensor loss(@NoDerivative Tensor x, @NoDerivative Tensor labels) {
      Tensor h1 = x.conv2d(c1w, c1b, 1, 1, 1, 1).relu().maxPool2d(2, 2, 0);
      Tensor h2 = h1.conv2d(c2w, c2b, 1, 1, 1, 1).relu().maxPool2d(2, 2, 0);
      Tensor logits = h2.reshape(-1, 32 * 7 * 7).matmul(fw.transpose(0, 1)).add(fb);
      return logits.logSoftmax(1).gather(1, labels.unsqueeze(1)).mean().neg();
    }

    public static Cnn init(long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      return new Cnn(uniform(r, 9, 16, 1, 3, 3), uniform(r, 9, 16), uniform(r, 144, 32, 16, 3, 3),
          uniform(r, 144, 32), uniform(r, 1568, 10, 1568), uniform(r, 1568, 10));
    }

    public Map<String, Tensor> named() {
      return names(NAMES, c1w, c1b, c2w, c2b, fw, fb);
    }

    static final String[] NAMES = {"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
        "fc.weight", "fc.bias"};

    public static Cnn of(Map<String, Tensor> tensors, String prefix) {
      Tensor[] t = pick(tensors, prefix, NAMES);
      return new Cnn(t[0], t[1], t[2], t[3], t[4], t[5]);
    }
  }

  private static Map<String, Tensor> names(String[] names, Tensor... tensors) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) m.put(names[i], tensors[i]);
    return m;
  }

  private static Tensor[] pick(Map<String, Tensor> tensors, String prefix, String[] names) {
    Tensor[] t = new Tensor[names.length];
    for (int i = 0; i < names.length; i++) {
      t[i] = tensors.get(prefix + names[i]);
      if (t[i] == null) throw new IllegalArgumentException("no tensor " + prefix + names[i]);
    }
    return t;
  }

  /**
   * {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}: what PyTorch's {@code kaiming_uniform_(a=sqrt(5))}
   * gives a weight, and its bias rule.
   */
  static Tensor uniform(SplittableRandom r, int fanIn, int... shape) {
    int n = 1;
    for (int s : shape) n *= s;
    float[] v = new float[n];
    double bound = 1 / Math.sqrt(fanIn);
    for (int i = 0; i < n; i++) v[i] = (float) ((2 * r.nextDouble() - 1) * bound);
    return Tensor.of(v, shape);
  }

  /** {@code count} batches of standard normal inputs and uniform labels in [0, 10). */
  static Tensor[][] batches(long seed, int count, int... inputShape) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor[][] out = new Tensor[count][];
    for (int b = 0; b < count; b++) {
      Tensor x = Tensor.randn(DType.FLOAT32, r, inputShape);
      long[] labels = new long[inputShape[0]];
      for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(10);
      out[b] = new Tensor[] {x, Tensor.of(labels, labels.length)};
    }
    return out;
  }
}
