package dev.adjoint.examples.digits;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.nn.Linear;
import dev.adjoint.nn.Losses;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * A multilayer perceptron, 64-256-10 with ReLU: a record of layers. Its gradient is the same
 * record, from the generated {@code MlpDerivatives.lossValueAndGrad}.
 */
public record Mlp(Linear fc1, Linear fc2) implements Classifier {
  /** PyTorch's default initialization of each layer. */
  public static Mlp init(RandomGenerator random) {
    return new Mlp(Linear.init(random, Digits.PIXELS, 256), Linear.init(random, 256,
        Digits.CLASSES));
  }

  @Differentiable
  @Override
  @Shape("B, 10")
  public Tensor logits(@Shape("B, 64") Tensor x) {
    return fc2.forward(fc1.forward(x).relu());
  }

  /** Mean cross-entropy of the labels (INT64, not differentiated). */
  @Differentiable
  public Tensor loss(@NoDerivative @Shape("B, 64") Tensor x,
      @NoDerivative @Shape("B") Tensor labels) {
    return Losses.crossEntropy(logits(x), labels);
  }
}
