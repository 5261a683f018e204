package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;

/** Differentiable programs over tensors: models are records of tensors. */
public final class Tensors {
  private Tensors() {}

  @Differentiable
  public static Tensor mse(Tensor w, @NoDerivative Tensor x, @NoDerivative Tensor y) {
    Tensor d = x.matmul(w).sub(y);
    return d.mul(d).mean();
  }

  /** A two-layer perceptron. */
  public record Mlp(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
    @Differentiable
    public Tensor loss(@NoDerivative Tensor x, @NoDerivative Tensor labels) {
      Tensor h = x.matmul(w1).add(b1).relu();
      Tensor logits = h.matmul(w2).add(b2);
      return logits.logSoftmax(1).gather(1, labels.unsqueeze(1)).mean().neg();
    }
  }

  /** Tensors reassigned in a loop: reverse mode records them. */
  @Differentiable
  public static double repeated(Tensor x, Tensor w, int n) {
    Tensor h = x;
    for (int i = 0; i < n; i++) {
      h = h.mul(w).tanh();
    }
    return h.sum().item();
  }

  /** Views and variable-arity calls. */
  @Differentiable
  public static Tensor reshaped(Tensor x) {
    Tensor t = x.reshape(2, -1).transpose(0, 1);
    return t.sum(0, false).pow(2).sum().add(t.softmax(1).max(1, false).sum());
  }
}
