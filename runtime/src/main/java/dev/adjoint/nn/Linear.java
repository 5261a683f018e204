package dev.adjoint.nn;

import dev.adjoint.Differentiable;
import dev.adjoint.Shape;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * A fully connected layer, {@code torch.nn.Linear}: {@code y = x weight^T + bias} over the last
 * dimension of {@code x} (any leading dimensions).
 *
 * @param weight {@code (out, in)}, PyTorch's layout
 * @param bias {@code (out)}, or null for none ({@code bias=False})
 */
public record Linear(@Shape("Out, In") Tensor weight, @Shape("Out") Tensor bias) {
  /**
   * PyTorch's default initialization: weight {@code kaiming_uniform_(a=sqrt(5))}, that is
   * U(-1/sqrt(in), 1/sqrt(in)), and bias U(-1/sqrt(in), 1/sqrt(in)), drawn in that order; FLOAT32.
   */
  public static Linear init(RandomGenerator random, int inFeatures, int outFeatures) {
    return init(DType.FLOAT32, random, inFeatures, outFeatures, true);
  }

  /** With or without bias, in the given floating dtype. */
  public static Linear init(DType dtype, RandomGenerator random, int inFeatures, int outFeatures,
      boolean bias) {
    Tensor w = Init.layerWeight(dtype, random, outFeatures, inFeatures);
    return new Linear(w, bias ? Init.layerBias(dtype, random, inFeatures, outFeatures) : null);
  }

  /** {@code (..., in)} to {@code (..., out)}. */
  @Differentiable
  @Shape("..., Out")
  public Tensor forward(@Shape("..., In") Tensor x) {
    int in = weight.size(1);
    Dims.features("Linear.forward", x.shape(), weight.shape());
    // (..., in) as one matrix: one matmul, whatever the leading dimensions
    Tensor y = x.reshape(-1, in).matmul(weight.transpose(0, 1))
        .reshape(Dims.withLast(x.shape(), weight.size(0)));
    return bias == null ? y : y.add(bias);
  }

  public int inFeatures() {
    return weight.size(1);
  }

  public int outFeatures() {
    return weight.size(0);
  }
}
