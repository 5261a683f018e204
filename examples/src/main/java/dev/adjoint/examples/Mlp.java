package dev.adjoint.examples;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * A two-layer perceptron: a model is a record of tensors, and so is its gradient. The shapes
 * are declared: the processor checks every operation against them, and the generated
 * derivatives check their arguments.
 */
public record Mlp(@Shape("In, Hidden") Tensor w1, @Shape("Hidden") Tensor b1,
    @Shape("Hidden, Classes") Tensor w2, @Shape("Classes") Tensor b2) {
  /** He-initialized weights, zero biases. */
  public static Mlp init(RandomGenerator random, int inputs, int hidden, int classes) {
    return new Mlp(Tensor.randn(random, inputs, hidden).mul(Math.sqrt(2.0 / inputs)),
        Tensor.zeros(hidden), Tensor.randn(random, hidden, classes).mul(Math.sqrt(2.0 / hidden)),
        Tensor.zeros(classes));
  }

  @Shape("B, Classes")
  public Tensor logits(@Shape("B, In") Tensor x) {
    return x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
  }

  /** Mean cross-entropy of the labels (INT64, not differentiated). */
  @Differentiable
  public Tensor loss(@NoDerivative @Shape("B, In") Tensor x,
      @NoDerivative @Shape("B") Tensor labels) {
    @Shape("B, Hidden") Tensor h = x.matmul(w1).add(b1).relu();
    @Shape("B, Classes") Tensor logits = h.matmul(w2).add(b2);
    return logits.logSoftmax(1).gather(1, labels.unsqueeze(1)).mean().neg();
  }

  /** One step of gradient descent. */
  public Mlp minus(Mlp grad, double lr) {
    return new Mlp(w1.sub(grad.w1().mul(lr)), b1.sub(grad.b1().mul(lr)),
        w2.sub(grad.w2().mul(lr)), b2.sub(grad.b2().mul(lr)));
  }
}
