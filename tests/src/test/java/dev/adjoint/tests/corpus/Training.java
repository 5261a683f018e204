package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;

/** Models trained by the optimizers: records with carried components and optional tensors. */
public final class Training {
  private Training() {}

  /** A dense layer whose bias may be null, as torch.nn.Linear(bias=False). */
  public record Dense(Tensor weight, Tensor bias) {
    @Differentiable
    public Tensor forward(Tensor x) {
      Tensor y = x.matmul(weight.transpose(0, 1));
      return bias != null ? y.add(bias) : y;
    }
  }

  /** Two layers, a carried width and name: what an optimizer must copy, not train. */
  public record Net(Dense hidden, Dense out, int width, String name) {
    @Differentiable
    public Tensor loss(@NoDerivative Tensor x, @NoDerivative Tensor y) {
      Tensor d = out.forward(hidden.forward(x).tanh()).sub(y);
      return d.mul(d).mean();
    }
  }
}
