package dev.adjoint.examples.digits;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.nn.Conv2d;
import dev.adjoint.nn.Linear;
import dev.adjoint.nn.Losses;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * A small convolutional network: two 3x3 convolutions (16 and 32 channels, ReLU), 2x2 max
 * pooling to 4x4, then 512-64-10 fully connected layers.
 */
public record Cnn(Conv2d conv1, Conv2d conv2, Linear fc1, Linear fc2) implements Classifier {
  /** PyTorch's default initialization of each layer; padding 1 keeps the 8x8 size. */
  public static Cnn init(RandomGenerator random) {
    return new Cnn(Conv2d.init(random, 1, 16, 3, 1, 1), Conv2d.init(random, 16, 32, 3, 1, 1),
        Linear.init(random, 32 * 4 * 4, 64), Linear.init(random, 64, Digits.CLASSES));
  }

  @Differentiable
  @Override
  @Shape("B, 10")
  public Tensor logits(@Shape("B, 64") Tensor x) {
    @Shape("B, 1, 8, 8") Tensor images = x.reshape(-1, 1, 8, 8);
    Tensor h = conv2.forward(conv1.forward(images).relu()).relu().maxPool2d(2, 2, 0);
    return fc2.forward(fc1.forward(h.reshape(x.size(0), -1)).relu());
  }

  /** Mean cross-entropy of the labels (INT64, not differentiated). */
  @Differentiable
  public Tensor loss(@NoDerivative @Shape("B, 64") Tensor x,
      @NoDerivative @Shape("B") Tensor labels) {
    return Losses.crossEntropy(logits(x), labels);
  }
}
