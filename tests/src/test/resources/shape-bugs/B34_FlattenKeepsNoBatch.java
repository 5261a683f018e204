// Bug: a CNN classifier flattens its features with flatten(), which also flattens the batch,
// then multiplies by the (C*H*W, 10) weight. Kind: batch dimension lost.
// fix: "h.flatten()" -> "h.reshape(h.size(0), -1)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B34_FlattenKeepsNoBatch {
  @Differentiable
  static Tensor logits(@Shape("B, 8, 14, 14") Tensor h, @Shape("8 * 14 * 14, 10") Tensor w) {
    return h.flatten().matmul(w).sum(); // error
  }
}
