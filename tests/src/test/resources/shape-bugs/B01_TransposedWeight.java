// Bug: a Linear weight kept in PyTorch's (out, in) layout, multiplied without transposing.
// Kind: unaligned tensor (Zhang et al. 2018); the most frequent SFData fault class.
// fix: "x.matmul(weight)" -> "x.matmul(weight.transpose(0, 1))"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B01_TransposedWeight {
  record Linear(@Shape("O, I") Tensor weight, @Shape("O") Tensor bias) {
    @Differentiable
    Tensor forward(@Shape("N, I") Tensor x) {
      return x.matmul(weight).add(bias); // error
    }
  }
}
