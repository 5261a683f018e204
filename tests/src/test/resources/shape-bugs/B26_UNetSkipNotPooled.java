// Bug: a U-Net level concatenates a 64x64 encoder map with the 32x32 decoder map it should
// have been upsampled to. Kind: spatial size mismatch.
// fix: "B, 32, 64, 64" -> "B, 32, 32, 32"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B26_UNetSkipNotPooled {
  @Differentiable
  static Tensor decode(@Shape("B, 64, 32, 32") Tensor up, @Shape("B, 32, 64, 64") Tensor skip) {
    return Tensor.cat(1, up, skip).sum(); // error
  }
}
