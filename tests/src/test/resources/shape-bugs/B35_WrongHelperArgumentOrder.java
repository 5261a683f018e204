// Bug: a helper declared dense(x, w) called with its arguments swapped.
// Kind: API misuse at a call with declared shapes.
// fix: "dense(w, x)" -> "dense(x, w)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B35_WrongHelperArgumentOrder {
  @Differentiable
  @Shape("N, M")
  static Tensor dense(@Shape("N, K") Tensor x, @Shape("K, M") Tensor w) {
    return x.matmul(w);
  }

  @Differentiable
  static Tensor net(@Shape("B, 784") Tensor x, @Shape("784, 10") Tensor w) {
    return dense(w, x).sum(); // error
  }
}
