// Bug: one image (C, H, W) fed to conv2d, which needs a batch dimension in front.
// Kind: missing dimension.
// fix: "image.conv2d(k)" -> "image.unsqueeze(0).conv2d(k)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B11_SingleImageWithoutBatch {
  @Differentiable
  static Tensor predict(@Shape("1, 28, 28") Tensor image, @Shape("6, 1, 5, 5") Tensor k) {
    return image.conv2d(k).sum(); // error
  }
}
