package dev.adjoint.nn;

import dev.adjoint.Differentiable;
import dev.adjoint.Shape;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;

/**
 * Batch normalization over dimension 1, {@code torch.nn.BatchNorm1d} and {@code BatchNorm2d} in
 * one type: inputs {@code (N, C)}, {@code (N, C, L)} or {@code (N, C, H, W)} are normalized per
 * channel C over all other dimensions.
 *
 * <p><b>Modes.</b> In training mode, {@link #forward} normalizes with the batch's mean and
 * biased variance; in eval mode (or without running statistics) with the running ones.
 * {@link #train()} and {@link #eval()} return the layer in the other mode.
 *
 * <p><b>Running statistics</b> are state, not parameters: {@link Buffer} components that
 * optimizers leave alone and {@link SafeTensors} saves under PyTorch's names
 * ({@code running_mean}, {@code running_var}, {@code num_batches_tracked}). Layers are immutable
 * values, so {@code forward} cannot update them as PyTorch's does in place; instead
 * {@link #updateRunningStats(Tensor)} returns the layer with the statistics that PyTorch's
 * training-mode forward of the same batch would leave: {@code (1 - momentum) * running +
 * momentum * batch}, with the unbiased batch variance, and {@code num_batches_tracked + 1}; a
 * null momentum gives the cumulative average, {@code 1 / num_batches_tracked} as the factor.
 *
 * @param weight {@code (C)}, or null without the affine map
 * @param bias {@code (C)}, or null
 * @param runningMean {@code (C)}, or null to always use batch statistics
 *     ({@code track_running_stats=False})
 * @param runningVar {@code (C)}, or null with {@code runningMean}
 * @param numBatchesTracked an INT64 scalar counting the updates, or null with them
 * @param momentum the factor of the batch statistics in each update, or null for the
 *     cumulative average (boxed so that it is carried, not differentiated)
 * @param eps added to the variance (boxed for the same reason)
 * @param training which statistics {@code forward} uses
 */
public record BatchNorm(@Shape("C") Tensor weight, @Shape("C") Tensor bias,
    @Buffer @Named("running_mean") @Shape("C") Tensor runningMean,
    @Buffer @Named("running_var") @Shape("C") Tensor runningVar,
    @Buffer @Named("num_batches_tracked") Tensor numBatchesTracked,
    Double momentum, Double eps, boolean training) {
  /**
   * PyTorch's defaults: weight ones, bias zeros, running mean zeros, running variance ones,
   * momentum 0.1, eps 1e-5, training mode; FLOAT32.
   */
  public static BatchNorm init(int numFeatures) {
    return init(DType.FLOAT32, numFeatures, 1e-5, 0.1, true, true);
  }

  /** Every option of {@code torch.nn.BatchNorm2d}; {@code momentum} may be null. */
  public static BatchNorm init(DType dtype, int numFeatures, double eps, Double momentum,
      boolean affine, boolean trackRunningStats) {
    Tensor w = affine ? Tensor.ones(dtype, numFeatures) : null;
    Tensor b = affine ? Tensor.zeros(dtype, numFeatures) : null;
    if (!trackRunningStats) return new BatchNorm(w, b, null, null, null, momentum, eps, true);
    return new BatchNorm(w, b, Tensor.zeros(dtype, numFeatures), Tensor.ones(dtype, numFeatures),
        Tensor.scalar(DType.INT64, 0), momentum, eps, true);
  }

  public BatchNorm train() {
    return withTraining(true);
  }

  public BatchNorm eval() {
    return withTraining(false);
  }

  private BatchNorm withTraining(boolean mode) {
    return new BatchNorm(weight, bias, runningMean, runningVar, numBatchesTracked, momentum, eps,
        mode);
  }

  @Differentiable
  public Tensor forward(Tensor x) {
    int[] shape = x.shape();
    int c = Dims.channels("BatchNorm.forward", shape, weight, runningMean);
    int[] perChannel = Dims.channel(shape.length, c);
    Tensor y;
    if (training || runningMean == null) {
      Dims.severalPerChannel("BatchNorm.forward", shape);
      Tensor d = x.sub(channelMean(x));
      y = d.div(channelMean(d.mul(d)).add(eps.doubleValue()).sqrt());
    } else {
      Tensor std = runningVar.add(eps.doubleValue()).sqrt().reshape(perChannel);
      y = x.sub(runningMean.reshape(perChannel)).div(std);
    }
    if (weight != null) y = y.mul(weight.reshape(perChannel));
    if (bias != null) y = y.add(bias.reshape(perChannel));
    return y;
  }

  /** The mean over every dimension but 1, keeping them: {@code (1, C, 1, ...)}. */
  @Differentiable
  static Tensor channelMean(Tensor x) {
    Tensor m = x;
    for (int d = x.dim() - 1; d >= 0; d--) {
      if (d != 1) m = m.mean(d, true);
    }
    return m;
  }

  /**
   * This layer with the running statistics updated from batch {@code x}, as PyTorch's
   * training-mode forward updates them; the layer itself in eval mode or without running
   * statistics (PyTorch updates nothing then either). Not differentiated.
   */
  public BatchNorm updateRunningStats(Tensor x) {
    if (!training || runningMean == null) return this;
    int[] shape = x.shape();
    int c = Dims.channels("BatchNorm.updateRunningStats", shape, weight, runningMean);
    Dims.severalPerChannel("BatchNorm.updateRunningStats", shape);
    int n = x.numel() / c;
    Tensor mean = channelMean(x);
    Tensor d = x.sub(mean);
    Tensor unbiased = channelMean(d.mul(d)).mul((double) n / (n - 1)).reshape(c);
    Tensor count = numBatchesTracked.add(Tensor.scalar(DType.INT64, 1));
    double factor = momentum != null ? momentum : 1.0 / count.item();
    Tensor m = runningMean.mul(1 - factor).add(mean.reshape(c).to(runningMean.dtype()).mul(factor));
    Tensor v = runningVar.mul(1 - factor).add(unbiased.to(runningVar.dtype()).mul(factor));
    return new BatchNorm(weight, bias, m, v, count, momentum, eps, training);
  }
}
