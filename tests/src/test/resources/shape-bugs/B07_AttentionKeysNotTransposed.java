// Bug: attention scores as q times k instead of q times k transposed: (B, T, D) x (B, T, D).
// Kind: unaligned tensor in a batched matmul.
// fix: "q.matmul(k)" -> "q.matmul(k.transpose(1, 2))"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B07_AttentionKeysNotTransposed {
  @Differentiable
  static Tensor attention(@Shape("B, T, D") Tensor q, @Shape("B, T, D") Tensor k,
      @Shape("B, T, D") Tensor v) {
    Tensor scores = q.matmul(k).softmax(-1); // error
    return scores.matmul(v).sum();
  }
}
