package dev.adjoint.nn;

import dev.adjoint.Differentiable;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;

/**
 * Layer normalization, {@code torch.nn.LayerNorm}: every slice over the trailing dimensions
 * {@code normalizedShape} is shifted to mean 0 and scaled to variance 1 (the biased variance, as
 * PyTorch), {@code (x - mean) / sqrt(var + eps)}, then multiplied by {@code weight} and shifted
 * by {@code bias} element by element.
 *
 * @param weight {@code normalizedShape}, or null without the elementwise affine map
 * @param bias {@code normalizedShape}, or null
 * @param normalizedShape the trailing dimensions normalized over
 * @param eps added to the variance; a boxed {@code Double} so that it is carried, not
 *     differentiated (a {@code double} component would get a derivative, and tangents copied
 *     from a model would carry its value)
 */
public record LayerNorm(Tensor weight, Tensor bias, int[] normalizedShape, Double eps) {
  /** PyTorch's defaults: weight ones, bias zeros, eps 1e-5; FLOAT32. */
  public static LayerNorm init(int... normalizedShape) {
    return init(DType.FLOAT32, normalizedShape, 1e-5, true);
  }

  public static LayerNorm init(DType dtype, int[] normalizedShape, double eps,
      boolean elementwiseAffine) {
    if (normalizedShape.length == 0) {
      throw new IllegalArgumentException("LayerNorm.init: normalizedShape is empty; give the "
          + "trailing dimensions to normalize over");
    }
    return elementwiseAffine
        ? new LayerNorm(Tensor.ones(dtype, normalizedShape), Tensor.zeros(dtype, normalizedShape),
            normalizedShape.clone(), eps)
        : new LayerNorm(null, null, normalizedShape.clone(), eps);
  }

  @Differentiable
  public Tensor forward(Tensor x) {
    int[] shape = x.shape();
    Dims.trailing("LayerNorm.forward", shape, normalizedShape);
    Tensor flat = x.reshape(Dims.flattenTrailing(shape, normalizedShape.length));
    Tensor d = flat.sub(flat.mean(-1, true));
    Tensor var = d.mul(d).mean(-1, true);
    Tensor y = d.div(var.add(eps.doubleValue()).sqrt()).reshape(shape);
    if (weight != null) y = y.mul(weight);
    if (bias != null) y = y.add(bias);
    return y;
  }
}
