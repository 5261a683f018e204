// Bug: a sequence batch flattened to one vector before the projection, so the batch and time
// dimensions are lost (torch.flatten(x) without start_dim). Kind: batch dimension lost in matmul.
// fix: "x.flatten()" -> "x.reshape(-1, 64)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B06_BatchFlattenedAway {
  @Differentiable
  static Tensor project(@Shape("B, T, 64") Tensor x, @Shape("64, 32") Tensor w) {
    return x.flatten().matmul(w).sum(); // error
  }
}
