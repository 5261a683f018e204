// Bug: two feature vectors of each sample joined along dimension 0 (the batch) instead of 1,
// then fed to a layer sized for the joined features. Kind: cat on the wrong dimension.
// fix: "Tensor.cat(0, image, text)" -> "Tensor.cat(1, image, text)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B04_CatOnTheBatchDimension {
  @Differentiable
  static Tensor fuse(@Shape("B, 512") Tensor image, @Shape("B, 256") Tensor text,
      @Shape("768, 10") Tensor head) {
    return Tensor.cat(0, image, text).matmul(head).sum(); // error
  }
}
