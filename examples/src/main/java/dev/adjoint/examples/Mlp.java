package dev.adjoint.examples;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/** A two-layer perceptron: a model is a record of tensors, and so is its gradient. */
public record Mlp(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
  /** He-initialized weights, zero biases. */
  public static Mlp init(RandomGenerator random, int inputs, int hidden, int classes) {
    return new Mlp(Tensor.randn(random, inputs, hidden).mul(Math.sqrt(2.0 / inputs)),
        Tensor.zeros(hidden), Tensor.randn(random, hidden, classes).mul(Math.sqrt(2.0 / hidden)),
        Tensor.zeros(classes));
  }

  public Tensor logits(Tensor x) {
    return x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
  }

  /** Mean cross-entropy of the labels (INT64, not differentiated). */
  @Differentiable
  public Tensor loss(@NoDerivative Tensor x, @NoDerivative Tensor labels) {
    Tensor h = x.matmul(w1).add(b1).relu();
    Tensor logits = h.matmul(w2).add(b2);
    return logits.logSoftmax(1).gather(1, labels.unsqueeze(1)).mean().neg();
  }

  /** One step of gradient descent. */
  public Mlp minus(Mlp grad, double lr) {
    return new Mlp(w1.sub(grad.w1().mul(lr)), b1.sub(grad.b1().mul(lr)),
        w2.sub(grad.w2().mul(lr)), b2.sub(grad.b2().mul(lr)));
  }
}
