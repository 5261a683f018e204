// Bug: negative log-likelihood picks each row's label with gather, passing the (B) labels
// where gather needs a (B, 1) index. Kind: missing unsqueeze.
// fix: "gather(1, labels)" -> "gather(1, labels.unsqueeze(1))"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B08_GatherLabelsNotUnsqueezed {
  @Differentiable
  static Tensor nll(@Shape("B, 10") Tensor logits, @NoDerivative @Shape("B") Tensor labels) {
    return logits.logSoftmax(1).gather(1, labels).mean().neg(); // error
  }
}
