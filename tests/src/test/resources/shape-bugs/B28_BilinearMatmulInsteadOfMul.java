// Bug: a bilinear score x W y computed with a second matmul where an element-wise product and
// a row sum were meant. Kind: wrong operation.
// fix: "xw.matmul(y)" -> "xw.mul(y)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B28_BilinearMatmulInsteadOfMul {
  @Differentiable
  static Tensor score(@Shape("B, I") Tensor x, @Shape("I, J") Tensor w, @Shape("B, J") Tensor y) {
    Tensor xw = x.matmul(w);
    return xw.matmul(y).sum(1, false).sum(); // error
  }
}
