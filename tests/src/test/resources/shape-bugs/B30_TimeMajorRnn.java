// Bug: a batch-major sequence (B, T, D) passed to a recurrent layer written time-major,
// (T, B, D). Kind: layout mismatch at a call.
// fix: "encode(x, w)" -> "encode(x.transpose(0, 1), w)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B30_TimeMajorRnn {
  @Differentiable
  static Tensor encode(@Shape("T, N, D") Tensor steps, @Shape("D, D") Tensor w) {
    Tensor h = steps.slice(0, 0, 1).squeeze(0);
    return h.matmul(w).tanh();
  }

  @Differentiable
  static Tensor run(@Shape("B, 100, 16") Tensor x, @Shape("16, 16") Tensor w) {
    Tensor last = encode(x, w);
    @Shape("B, 16") Tensor out = last; // error
    return out.sum();
  }
}
