package dev.adjoint.examples.newton;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Losses;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;

/**
 * Multinomial logistic regression with an L2 penalty, in float64: {@code logits = x w + b}. The
 * loss is strictly convex, so it has one minimum, where the gradient is zero. The record doubles
 * as a vector of parameters for conjugate gradient (its gradient and Hessian-vector products
 * are records of the same type), hence {@link #plus} and {@link #dot}.
 *
 * @param w {@code (features, classes)}
 * @param b {@code (classes)}
 */
public record SoftmaxRegression(Tensor w, Tensor b) {
  /** All zeros: the usual starting point, as good as any for a convex problem. */
  public static SoftmaxRegression zeros(int features, int classes) {
    return new SoftmaxRegression(Tensor.zeros(DType.FLOAT64, features, classes),
        Tensor.zeros(DType.FLOAT64, classes));
  }

  /** Mean cross-entropy of the labels plus {@code lambda / 2 · |w|²} (the bias is not penalized). */
  @Differentiable
  public Tensor loss(@NoDerivative Tensor x, @NoDerivative Tensor labels,
      @NoDerivative double lambda) {
    Tensor logits = x.matmul(w).add(b);
    return Losses.crossEntropy(logits, labels).add(w.mul(w).sum().mul(0.5 * lambda));
  }

  /** {@code this + alpha · other}. */
  public SoftmaxRegression plus(double alpha, SoftmaxRegression other) {
    return new SoftmaxRegression(w.add(other.w.mul(alpha)), b.add(other.b.mul(alpha)));
  }

  /** The inner product of the two parameter vectors. */
  public double dot(SoftmaxRegression other) {
    return w.mul(other.w).sum().item() + b.mul(other.b).sum().item();
  }

  /** The Euclidean norm of the parameter vector. */
  public double norm() {
    return Math.sqrt(dot(this));
  }
}
