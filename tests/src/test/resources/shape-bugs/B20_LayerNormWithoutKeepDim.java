// Bug: layer normalization over the last dimension reduces the mean without keepDim and
// subtracts it from the (B, T, D) input. Kind: reduction without keepDim, then broadcast.
// fix: "x.mean(-1, false)" -> "x.mean(-1, true)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B20_LayerNormWithoutKeepDim {
  @Differentiable
  static Tensor center(@Shape("B, T, D") Tensor x) {
    Tensor mu = x.mean(-1, false);
    return x.sub(mu).pow(2).mean(); // error
  }
}
