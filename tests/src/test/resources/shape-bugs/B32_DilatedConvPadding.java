// Bug: a dilated 3x3 convolution (dilation 2) keeps padding 1, which only preserves the size
// without dilation; the residual add then fails. Kind: conv output size (dilation).
// fix: "x.conv2d(k, null, 1, 1, 2, 1)" -> "x.conv2d(k, null, 1, 2, 2, 1)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B32_DilatedConvPadding {
  @Differentiable
  static Tensor block(@Shape("B, 16, 32, 32") Tensor x, @Shape("16, 16, 3, 3") Tensor k) {
    Tensor branch = x.conv2d(k, null, 1, 1, 2, 1);
    return x.add(branch).sum(); // error
  }
}
