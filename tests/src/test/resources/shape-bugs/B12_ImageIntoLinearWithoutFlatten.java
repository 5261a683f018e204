// Bug: a (B, 1, 28, 28) batch multiplied by a (784, 10) weight without flattening each image.
// Kind: missing reshape.
// fix: "x.matmul(w)" -> "x.reshape(x.size(0), 784).matmul(w)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B12_ImageIntoLinearWithoutFlatten {
  @Differentiable
  static Tensor logits(@Shape("B, 1, 28, 28") Tensor x, @Shape("784, 10") Tensor w) {
    return x.matmul(w).sum(); // error
  }
}
