// Bug: images decoded as (B, H, W, C), the TensorFlow layout, passed to an NCHW convolution
// without permuting. Kind: layout mismatch.
// fix: "x.conv2d(k)" -> "x.permute(0, 3, 1, 2).conv2d(k)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B10_ChannelsLastIntoConv {
  @Differentiable
  static Tensor features(@Shape("B, 28, 28, 1") Tensor x, @Shape("6, 1, 5, 5") Tensor k) {
    return x.conv2d(k).relu().sum(); // error
  }
}
