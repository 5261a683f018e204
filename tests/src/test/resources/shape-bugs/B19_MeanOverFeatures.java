// Bug: sequence features averaged over the feature dimension instead of time before the
// classifier. Kind: reduction over the wrong dimension.
// fix: "x.mean(2, false)" -> "x.mean(1, false)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B19_MeanOverFeatures {
  @Differentiable
  static Tensor classify(@Shape("B, T, D") Tensor x, @Shape("D, 5") Tensor w) {
    Tensor pooled = x.mean(2, false);
    return pooled.matmul(w).sum(); // error
  }
}
