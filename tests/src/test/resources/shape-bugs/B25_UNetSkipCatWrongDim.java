// Bug: a U-Net decoder joins its skip connection along the width (dimension 3) instead of the
// channels (dimension 1). Kind: cat on the wrong dimension.
// fix: "Tensor.cat(3, up, skip)" -> "Tensor.cat(1, up, skip)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B25_UNetSkipCatWrongDim {
  @Differentiable
  static Tensor decode(@Shape("B, 64, H, W") Tensor up, @Shape("B, 32, H, W") Tensor skip,
      @Shape("32, 96, 3, 3") Tensor k) {
    return Tensor.cat(3, up, skip).conv2d(k, null, 1, 1, 1, 1).sum(); // error
  }
}
