// Bug: a stride-2 residual block adds the full-resolution input to the halved branch.
// Kind: conv output size (stride).
// fix: "Tensor skip = x;" -> "Tensor skip = x.avgPool2d(2, 2, 0);"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B15_DownsampledBranchFullSkip {
  @Differentiable
  static Tensor block(@Shape("B, 32, 32, 32") Tensor x, @Shape("32, 32, 3, 3") Tensor k) {
    Tensor branch = x.conv2d(k, null, 2, 1, 1, 1).relu();
    Tensor skip = x;
    return skip.add(branch).sum(); // error
  }
}
