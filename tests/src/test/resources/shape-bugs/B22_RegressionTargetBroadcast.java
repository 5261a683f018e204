// Bug: predictions (B, 1) minus targets (B) broadcast silently to (B, B); the declared shape
// of the residual catches it. Kind: silent broadcasting (a classic PyTorch warning).
// fix: "pred.sub(target)" -> "pred.sub(target.unsqueeze(1))"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B22_RegressionTargetBroadcast {
  @Differentiable
  static Tensor mse(@Shape("B, 1") Tensor pred, @NoDerivative @Shape("B") Tensor target) {
    @Shape("B, 1") Tensor residual = pred.sub(target); // error
    return residual.pow(2).mean();
  }
}
