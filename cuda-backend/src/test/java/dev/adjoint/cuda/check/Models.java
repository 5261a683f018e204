package dev.adjoint.cuda.check;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * The models of the device check, in PyTorch's layouts (a linear layer's weight is
 * {@code (out, in)}, applied as {@code x @ weight^T + bias}), so that the benchmark runs the
 * same arithmetic as its PyTorch peer. Their gradients come from the processor.
 */
public final class Models {
  private Models() {}

  static Tensor uniform(RandomGenerator r, DType dtype, double bound, int... shape) {
    return Tensor.rand(DType.FLOAT64, r, shape).mul(2 * bound).sub(bound).to(dtype);
  }

  /** Mean cross-entropy of logits against INT64 labels. */
  @Differentiable
  static Tensor crossEntropy(Tensor logits, @NoDerivative Tensor labels) {
    return logits.logSoftmax(1).gather(1, labels.unsqueeze(1)).mean().neg();
  }

  /** Three linear layers with ReLU between them (784-256-256-10 in the benchmark). */
  public record Mlp(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3) {
    public static Mlp init(RandomGenerator r, DType dtype, int in, int hidden, int out) {
      double a = 1 / Math.sqrt(in);
      double b = 1 / Math.sqrt(hidden);
      return new Mlp(uniform(r, dtype, a, hidden, in), uniform(r, dtype, a, hidden),
          uniform(r, dtype, b, hidden, hidden), uniform(r, dtype, b, hidden),
          uniform(r, dtype, b, out, hidden), uniform(r, dtype, b, out));
    }

    @Differentiable
    public Tensor loss(@NoDerivative Tensor x, @NoDerivative Tensor labels) {
      Tensor h = x.matmul(w1.transpose(0, 1)).add(b1).relu();
      Tensor h2 = h.matmul(w2.transpose(0, 1)).add(b2).relu();
      return crossEntropy(h2.matmul(w3.transpose(0, 1)).add(b3), labels);
    }

    /** Plain SGD: {@code p - lr * g} for every parameter. */
    public Mlp sgd(Mlp g, double lr) {
      return new Mlp(w1.sub(g.w1.mul(lr)), b1.sub(g.b1.mul(lr)), w2.sub(g.w2.mul(lr)),
          b2.sub(g.b2.mul(lr)), w3.sub(g.w3.mul(lr)), b3.sub(g.b3.mul(lr)));
    }

    public Mlp to(Device d) {
      return new Mlp(w1.to(d), b1.to(d), w2.to(d), b2.to(d), w3.to(d), b3.to(d));
    }

    public Tensor[] tensors() {
      return new Tensor[] {w1, b1, w2, b2, w3, b3};
    }
  }

  /**
   * conv 1→16→32 (3 x 3, padding 1), ReLU and 2 x 2 max pooling after each, then a linear
   * layer to 10 classes: the small CNN of the training benchmarks (batch 64 of 28 x 28).
   */
  public record Cnn(Tensor c1, Tensor c1b, Tensor c2, Tensor c2b, Tensor fc, Tensor fcb) {
    public static Cnn init(RandomGenerator r, DType dtype, int side) {
      int flat = 32 * (side / 4) * (side / 4);
      double a = 1 / Math.sqrt(9);
      double b = 1 / Math.sqrt(16 * 9);
      double c = 1 / Math.sqrt(flat);
      return new Cnn(uniform(r, dtype, a, 16, 1, 3, 3), uniform(r, dtype, a, 16),
          uniform(r, dtype, b, 32, 16, 3, 3), uniform(r, dtype, b, 32),
          uniform(r, dtype, c, 10, flat), uniform(r, dtype, c, 10));
    }

    @Differentiable
    public Tensor loss(@NoDerivative Tensor x, @NoDerivative Tensor labels) {
      Tensor h = x.conv2d(c1, c1b, 1, 1, 1, 1).relu().maxPool2d(2, 2, 0);
      Tensor h2 = h.conv2d(c2, c2b, 1, 1, 1, 1).relu().maxPool2d(2, 2, 0);
      Tensor flat = h2.reshape(x.size(0), -1);
      return crossEntropy(flat.matmul(fc.transpose(0, 1)).add(fcb), labels);
    }

    public Cnn sgd(Cnn g, double lr) {
      return new Cnn(c1.sub(g.c1.mul(lr)), c1b.sub(g.c1b.mul(lr)), c2.sub(g.c2.mul(lr)),
          c2b.sub(g.c2b.mul(lr)), fc.sub(g.fc.mul(lr)), fcb.sub(g.fcb.mul(lr)));
    }

    public Cnn to(Device d) {
      return new Cnn(c1.to(d), c1b.to(d), c2.to(d), c2b.to(d), fc.to(d), fcb.to(d));
    }

    public Tensor[] tensors() {
      return new Tensor[] {c1, c1b, c2, c2b, fc, fcb};
    }
  }
}
