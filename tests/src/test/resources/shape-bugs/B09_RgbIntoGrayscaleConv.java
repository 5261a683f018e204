// Bug: a first convolution built for grayscale digits applied to RGB images.
// Kind: incorrect model structure (Zhang et al.: IPS) showing as a channel mismatch.
// fix: "B, 3, 32, 32" -> "B, 1, 32, 32"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B09_RgbIntoGrayscaleConv {
  @Differentiable
  static Tensor features(@Shape("B, 3, 32, 32") Tensor images, @Shape("8, 1, 3, 3") Tensor k) {
    return images.conv2d(k, null, 1, 1, 1, 1).relu().sum(); // error
  }
}
