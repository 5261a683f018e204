// Bug: a positional-encoding table for 512 positions added to a batch of T positions, without
// slicing it to T. Kind: missing slice.
// fix: "x.add(pe)" -> "x.add(pe.slice(0, 0, x.size(1)))"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B29_PositionalEncodingLength {
  @Differentiable
  static Tensor embed(@Shape("B, T, D") Tensor x, @NoDerivative @Shape("512, D") Tensor pe) {
    return x.add(pe).sum(); // error
  }
}
