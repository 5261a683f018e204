// Bug: an autoencoder's decoder ends in 748 features, a typo for 784, so the reconstruction
// loss cannot subtract it from the input. Kind: wrong literal in a parameter shape.
// fix: "64, 748" -> "64, 784"
package shapebugs;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.Tensor;

final class B33_DecoderTypo {
  record Autoencoder(@Shape("784, 64") Tensor enc, @Shape("64, 748") Tensor dec) {
    @Differentiable
    Tensor loss(@Shape("B, 784") Tensor x) {
      Tensor recon = x.matmul(enc).relu().matmul(dec).sigmoid();
      return recon.sub(x).pow(2).mean(); // error
    }
  }
}
