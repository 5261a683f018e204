// Bug: log-softmax by hand subtracts logSumExp(1), which drops dimension 1, from the logits.
// Kind: missing unsqueeze.
// fix: "logits.logSumExp(1)" -> "logits.logSumExp(1).unsqueeze(1)"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B21_LogSumExpNotUnsqueezed {
  @Differentiable
  static Tensor logProbs(@Shape("B, C") Tensor logits) {
    return logits.sub(logits.logSumExp(1)).sum(); // error
  }
}
