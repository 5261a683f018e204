// Bug: two encoded sequences of different lengths stacked into a batch.
// Kind: stack of unequal shapes.
// fix: "Tensor.stack(0, a, b)" -> "Tensor.cat(0, a, b)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B24_StackRaggedSequences {
  @Differentiable
  static Tensor batch(@Shape("T, D") Tensor a, @Shape("T + 1, D") Tensor b) {
    return Tensor.stack(0, a, b).sum(); // error
  }
}
