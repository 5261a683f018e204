package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;

/** Differentiable programs over tensors: models are records of tensors. */
public final class Tensors {
  private Tensors() {}

  /** Declared shapes: derivatives check their arguments against them. */
  @Differentiable
  @Shape("")
  public static Tensor mse(@Shape("F, O") Tensor w, @NoDerivative @Shape("N, F") Tensor x,
      @NoDerivative @Shape("N, O") Tensor y) {
    Tensor d = x.matmul(w).sub(y);
    return d.mul(d).mean();
  }

  /** A two-layer perceptron. */
  public record Mlp(@Shape("I, H") Tensor w1, @Shape("H") Tensor b1, @Shape("H, C") Tensor w2,
      @Shape("C") Tensor b2) {
    @Differentiable
    public Tensor loss(@NoDerivative @Shape("N, I") Tensor x,
        @NoDerivative @Shape("N") Tensor labels) {
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

  /** Overloads that differ in a class parameter: this is to(DType), not to(Device). */
  @Differentiable
  public static Tensor converted(Tensor x) {
    return x.to(DType.FLOAT64).mul(x).sin().sum();
  }

  /** A gradient penalty over tensors, as in WGAN-GP: the loss plus |d mse / d w|^2. */
  @Differentiable
  public static Tensor penalized(Tensor w, @NoDerivative Tensor x, @NoDerivative Tensor y) {
    Tensor g = TensorsDerivatives.mseGrad(w, x, y);
    return mse(w, x, y).add(g.mul(g).sum());
  }

  /** A convolutional layer with both poolings: second order goes through their VJP rules. */
  @Differentiable
  public static Tensor conv(@Shape("K, C, R, R") Tensor w,
      @NoDerivative @Shape("N, C, H, W") Tensor x) {
    Tensor h = x.conv2d(w, null, 1, 1, 1, 1).tanh();
    return h.maxPool2d(2, 2, 0).pow(2).mean().add(h.avgPool2d(3, 1, 1).sin().sum());
  }

  /** A reference compared with null chooses a branch, like any condition. */
  @Differentiable
  public static Tensor scaledOr(Tensor x, @NoDerivative Tensor scale) {
    Tensor s = scale != null ? x.mul(scale) : x;
    return s.pow(2).sum();
  }

  /** A directional derivative inside a differentiated method: reverse over forward mode. */
  @Differentiable
  public static Tensor slope(Tensor w, @NoDerivative Tensor x, @NoDerivative Tensor y,
      @NoDerivative Tensor v) {
    return TensorsDerivatives.mseJvp(w, x, y, v).tangent();
  }

  /** null passed for a class-typed parameter. */
  @Differentiable
  public static Tensor unlabelled(Tensor x) {
    return labelled(x, null).sum();
  }

  @Differentiable
  static Tensor labelled(Tensor x, @NoDerivative String label) {
    return label == null ? x.mul(x) : x;
  }
}
