// Bug: global average pooling of (B, C, 7, 7) features averages channels and height,
// leaving (B, 7) for a classifier that expects C features. Kind: reduction over the wrong dims.
// fix: "f.mean(1, false).mean(1, false)" -> "f.mean(2, false).mean(2, false)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B31_GlobalPoolWrongDims {
  @Differentiable
  static Tensor head(@Shape("B, 512, 7, 7") Tensor f, @Shape("512, 1000") Tensor w) {
    Tensor pooled = f.mean(1, false).mean(1, false);
    return pooled.matmul(w).sum(); // error
  }
}
