package dev.adjoint.nn;

import dev.adjoint.Differentiable;
import dev.adjoint.Shape;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * A 2-D convolution, {@code torch.nn.Conv2d} (cross-correlation, zero padding, square kernels):
 * {@code (N, in, H, W)} to {@code (N, out, H', W')}, or an unbatched {@code (in, H, W)} to
 * {@code (out, H', W')}.
 *
 * @param weight {@code (out, in / groups, k, k)}, PyTorch's layout
 * @param bias {@code (out)}, or null for none
 * @param stride the step between windows, in both directions
 * @param padding zeros added on every side
 * @param dilation the spacing between kernel elements
 * @param groups input and output channels are split into this many independent groups
 */
public record Conv2d(@Shape("Out, InPerGroup, K, K") Tensor weight, @Shape("Out") Tensor bias,
    int stride, int padding, int dilation, int groups) {
  /**
   * PyTorch's default initialization ({@code kaiming_uniform_(a=sqrt(5))}: weight and bias
   * U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with {@code fanIn = in / groups * k * k}), dilation 1, one
   * group, with bias, FLOAT32.
   */
  public static Conv2d init(RandomGenerator random, int inChannels, int outChannels, int kernel,
      int stride, int padding) {
    return init(DType.FLOAT32, random, inChannels, outChannels, kernel, stride, padding, 1, 1,
        true);
  }

  /** Every option of {@code torch.nn.Conv2d} that Adjoint supports, in the given dtype. */
  public static Conv2d init(DType dtype, RandomGenerator random, int inChannels, int outChannels,
      int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
    if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
      throw new IllegalArgumentException("Conv2d.init: " + inChannels + " input and "
          + outChannels + " output channels must both be divisible by groups (" + groups + ")");
    }
    if (kernel < 1 || stride < 1 || padding < 0 || dilation < 1) {
      throw new IllegalArgumentException("Conv2d.init: kernel " + kernel + ", stride " + stride
          + " and dilation " + dilation + " must be positive and padding " + padding
          + " non-negative");
    }
    Tensor w = Init.layerWeight(dtype, random, outChannels, inChannels / groups, kernel, kernel);
    Tensor b = bias ? Init.layerBias(dtype, random, Init.fanIn(w.shape()), outChannels) : null;
    return new Conv2d(w, b, stride, padding, dilation, groups);
  }

  @Differentiable
  public Tensor forward(Tensor x) {
    Dims.rankIn("Conv2d.forward", x.shape(), "(N, C, H, W) or (C, H, W)", 3, 4);
    if (x.dim() == 3) {
      return x.unsqueeze(0).conv2d(weight, bias, stride, padding, dilation, groups).squeeze(0);
    }
    return x.conv2d(weight, bias, stride, padding, dilation, groups);
  }

  public int inChannels() {
    return weight.size(1) * groups;
  }

  public int outChannels() {
    return weight.size(0);
  }

  public int kernelSize() {
    return weight.size(2);
  }
}
