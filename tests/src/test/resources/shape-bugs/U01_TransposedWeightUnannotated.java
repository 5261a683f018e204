// Bug: B01's transposed weight, with no @Shape anywhere: the shapes are unknown, so it is not
// reported (gradual checking); the run-time error names both shapes.
// fix: "x.matmul(weight)" -> "x.matmul(weight.transpose(0, 1))"
// annotated: no
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class U01_TransposedWeightUnannotated {
  record Linear(Tensor weight, Tensor bias) {
    @Differentiable
    Tensor forward(Tensor x) {
      return x.matmul(weight).add(bias); // error
    }
  }
}
