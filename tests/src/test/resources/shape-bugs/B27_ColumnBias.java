// Bug: a bias stored as an (O, 1) column added to (B, O) activations: it broadcasts along the
// wrong dimension. Kind: wrong parameter shape.
// fix: "O, 1" -> "O"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B27_ColumnBias {
  @Differentiable
  static Tensor layer(@Shape("B, I") Tensor x, @Shape("I, O") Tensor w, @Shape("O, 1") Tensor b) {
    return x.matmul(w).add(b).relu().sum(); // error
  }
}
