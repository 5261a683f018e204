// Bug: splitting attention heads reshapes (B, T, E) to (B, T, H, E), forgetting the head size
// is E / H. Kind: wrong reshape.
// fix: "x.reshape(b, t, heads, e)" -> "x.reshape(b, t, heads, e / heads)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B23_HeadsReshapeForgotDivide {
  @Differentiable
  static Tensor split(@Shape("B, T, 8 * D") Tensor x) {
    int b = x.size(0);
    int t = x.size(1);
    int e = x.size(2);
    int heads = 8;
    return x.reshape(b, t, heads, e).sum(); // error
  }
}
