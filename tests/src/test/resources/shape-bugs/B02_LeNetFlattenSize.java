// Bug: LeNet's classifier sized for 32x32 inputs (16*5*5) fed 28x28 MNIST images, whose
// features are 16*4*4 after two conv/pool stages. Kind: wrong flatten size after conv/pool.
// fix: "16 * 5 * 5, 120" -> "16 * 4 * 4, 120"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B02_LeNetFlattenSize {
  record LeNet(@Shape("6, 1, 5, 5") Tensor conv1, @Shape("16, 6, 5, 5") Tensor conv2,
      @Shape("16 * 5 * 5, 120") Tensor fc1, @Shape("120, 10") Tensor fc2) {
    @Differentiable
    Tensor logits(@Shape("B, 1, 28, 28") Tensor x) {
      Tensor h = x.conv2d(conv1).relu().maxPool2d(2, 2, 0);
      h = h.conv2d(conv2).relu().maxPool2d(2, 2, 0);
      Tensor flat = h.reshape(h.size(0), -1);
      return flat.matmul(fc1).relu().matmul(fc2); // error
    }
  }
}
