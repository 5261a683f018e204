// Bug: LSTM gates computed as one (B, 4H) tensor, the forget gate sliced with the wrong end
// (3H wide), then multiplied with the (B, H) cell state. Kind: slice bounds.
// fix: "gates.slice(1, h, 4 * h)" -> "gates.slice(1, h, 2 * h)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B17_LstmGateSlice {
  @Differentiable
  static Tensor forget(@Shape("B, 4 * H") Tensor gates, @Shape("B, H") Tensor c) {
    int h = c.size(1);
    Tensor f = gates.slice(1, h, 4 * h).sigmoid();
    return f.mul(c).sum(); // error
  }
}
