// Bug: a transposed weight in a branch taken only for wide inputs (x.size(1) > 256): code that
// a shape decides whether to run is not reported, since other shapes would not run it.
// fix: "x.matmul(w)" -> "x.matmul(w.transpose(0, 1))"
// annotated: no
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class U02_BugInAShapeDependentBranch {
  @Differentiable
  static Tensor maybeProject(@Shape("B, F") Tensor x, @Shape("10, F") Tensor w) {
    Tensor y = x;
    if (x.size(1) > 256) {
      y = x.matmul(w); // error
    }
    return y.sum();
  }
}
