// Bug: token ids of a (B, T) batch passed straight to indexSelect, which takes a 1-D index.
// Kind: API misuse with the wrong rank.
// fix: "table.indexSelect(0, ids)" -> "table.indexSelect(0, ids.flatten())"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B18_EmbeddingWith2dIds {
  @Differentiable
  static Tensor embed(@Shape("V, D") Tensor table, @NoDerivative @Shape("B, T") Tensor ids) {
    return table.indexSelect(0, ids).sum(); // error
  }
}
