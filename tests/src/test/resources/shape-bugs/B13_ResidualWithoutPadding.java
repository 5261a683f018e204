// Bug: a residual block whose 3x3 convolution has no padding, so the branch is 2 pixels
// smaller than the skip connection it is added to. Kind: conv output size.
// fix: "x.conv2d(k, null, 1, 0, 1, 1)" -> "x.conv2d(k, null, 1, 1, 1, 1)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B13_ResidualWithoutPadding {
  @Differentiable
  static Tensor block(@Shape("B, 64, 32, 32") Tensor x, @Shape("64, 64, 3, 3") Tensor k) {
    Tensor branch = x.conv2d(k, null, 1, 0, 1, 1).relu();
    return x.add(branch).sum(); // error
  }
}
