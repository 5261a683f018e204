// Bug: per-sample weights (B) multiplied with per-class losses (B, C) without a trailing
// dimension: broadcasting aligns B with C. Kind: missing unsqueeze before broadcasting.
// fix: "losses.mul(weights)" -> "losses.mul(weights.unsqueeze(1))"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B03_MissingUnsqueezePerSampleWeight {
  @Differentiable
  static Tensor weighted(@Shape("B, C") Tensor losses, @NoDerivative @Shape("B") Tensor weights) {
    return losses.mul(weights).sum(); // error
  }
}
