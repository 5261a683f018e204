// Bug: an RNN cell concatenates input and state, (B, I + H), but its weight was sized for the
// input alone. Kind: wrong parameter shape.
// fix: "I, H" -> "I + H, H"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B16_RnnCellInputWeight {
  record Cell(@Shape("I, H") Tensor w, @Shape("H") Tensor b) {
    @Differentiable
    Tensor step(@Shape("B, I") Tensor x, @Shape("B, H") Tensor h) {
      return Tensor.cat(1, x, h).matmul(w).add(b).tanh(); // error
    }
  }
}
