// Bug: a numerically stable softmax written by hand subtracts the row maximum, reduced
// without keepDim, from the (B, C) logits. Kind: reduction without keepDim, then broadcast.
// fix: "logits.max(1, false)" -> "logits.max(1, true)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B05_SoftmaxMaxWithoutKeepDim {
  @Differentiable
  static Tensor softmax(@Shape("B, C") Tensor logits) {
    Tensor shifted = logits.sub(logits.max(1, false).detach()); // error
    Tensor e = shifted.exp();
    return e.div(e.sum(1, true));
  }
}
