// Bug: a residual block that widens 64 to 128 channels adds its input unchanged, with no 1x1
// projection on the skip. Kind: incorrect model structure.
// fix: "x.add(branch)" -> "x.conv2d(proj).add(branch)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B14_ResidualChannelChange {
  @Differentiable
  static Tensor block(@Shape("B, 64, H, W") Tensor x, @Shape("128, 64, 3, 3") Tensor k,
      @Shape("128, 64, 1, 1") Tensor proj) {
    Tensor branch = x.conv2d(k, null, 1, 1, 1, 1).relu();
    return x.add(branch).sum(); // error
  }
}
