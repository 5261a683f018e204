package dev.adjoint.nn;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;

/**
 * Loss functions with {@code torch.nn.functional}'s definitions, defaults and reductions
 * ({@link Reduction}, {@code MEAN} by default). Class labels are INT64 tensors, and with class
 * weights they are {@link NoDerivative}; differentiate with respect to predictions and logits.
 *
 * <p>Shapes: class losses take logits {@code (N, C)}, {@code (N, C, d1, ...)} or unbatched
 * {@code (C)} with labels {@code (N)}, {@code (N, d1, ...)} or {@code ()}; element-wise losses
 * take a prediction and a target of equal shapes (PyTorch broadcasts unequal ones with a
 * warning; here they are an error, since that is almost always a bug).
 */
public final class Losses {
  private Losses() {}

  // Each overload calls the next longer one, not a shared helper: the processor names the
  // reverse sweeps of overloads by their arguments, and two that differ only in a parameter
  // the sweep does not read (a Reduction) and call the same helper would collide.

  /** PyTorch's default {@code ignore_index}. */
  public static final int IGNORE_INDEX = -100;

  // ------------------------------------------------------------ classification

  /** The mean over the batch of {@code -log softmax(logits)[label]}. */
  @Differentiable
  public static Tensor crossEntropy(Tensor logits, @NoDerivative Tensor labels) {
    return crossEntropy(logits, labels, Reduction.MEAN);
  }

  @Differentiable
  public static Tensor crossEntropy(Tensor logits, @NoDerivative Tensor labels,
      Reduction reduction) {
    return crossEntropy(logits, labels, IGNORE_INDEX, 0, reduction);
  }

  /**
   * Cross entropy with {@code ignore_index} and {@code label_smoothing}, as PyTorch: positions
   * whose label is {@code ignoreIndex} contribute nothing and do not count in the mean; with
   * smoothing {@code s} over C classes the target is {@code (1 - s)} on the label plus
   * {@code s / C} on every class, so the loss is {@code (1 - s) * nll + s / C * sum_c(-log p_c)},
   * each part reduced as PyTorch reduces it.
   */
  @Differentiable
  public static Tensor crossEntropy(Tensor logits, @NoDerivative Tensor labels, int ignoreIndex,
      @NoDerivative double labelSmoothing, Reduction reduction) {
    return crossEntropy(logits, labels, null, ignoreIndex, labelSmoothing, reduction);
  }

  /**
   * With class weights {@code (C)} (null for none): each position counts with its label's
   * weight, and the mean divides by the sum of the weights of the positions counted.
   */
  @Differentiable
  public static Tensor crossEntropy(Tensor logits, @NoDerivative Tensor labels,
      @NoDerivative Tensor weight, int ignoreIndex, @NoDerivative double labelSmoothing,
      Reduction reduction) {
    return classLoss("crossEntropy", true, logits, labels, weight,
        ignoreIndex, labelSmoothing, reduction);
  }

  /**
   * The negative log likelihood of log-probabilities {@code (N, C, ...)}: the mean of
   * {@code -logProbs[label]}.
   */
  @Differentiable
  public static Tensor nllLoss(Tensor logProbs, @NoDerivative Tensor labels) {
    return nllLoss(logProbs, labels, null, IGNORE_INDEX, Reduction.MEAN);
  }

  /** With class weights (null for none), an ignored label and a reduction, as PyTorch. */
  @Differentiable
  public static Tensor nllLoss(Tensor logProbs, @NoDerivative Tensor labels,
      @NoDerivative Tensor weight, int ignoreIndex, Reduction reduction) {
    return classLoss("nllLoss", false, logProbs, labels, weight, ignoreIndex, 0, reduction);
  }

  /**
   * The loss of log-probabilities (of logits, after a log-softmax over the classes, when
   * {@code logits}) against labels, with PyTorch's weighting, ignoring, smoothing and
   * reductions. The class dimension is moved last and the rest flattened, so that one gather
   * over {@code (M, C)} picks every position's log-probability.
   */
  @Differentiable
  static Tensor classLoss(@NoDerivative String op, boolean logits, Tensor input,
      @NoDerivative Tensor labels, @NoDerivative Tensor weight, int ignoreIndex,
      @NoDerivative double smoothing, Reduction reduction) {
    int classes = Dims.classLabels(op, input.shape(), labels, weight, ignoreIndex, smoothing);
    Tensor logp = logits ? input.logSoftmax(input.dim() == 1 ? 0 : 1) : input;
    Tensor flat = logp.permute(Dims.classLast(logp.dim())).reshape(-1, classes);
    Tensor y = labels.reshape(-1);
    Tensor keep = y.eq(ignoreIndex).neg().add(1);
    Tensor safe = y.mul(keep); // ignored positions read class 0, then count 0
    Tensor kept = keep.to(logp.dtype());
    Tensor counted = weight != null ? weight.indexSelect(0, safe).mul(kept) : kept;
    Tensor nll = flat.gather(1, safe.unsqueeze(1)).squeeze(1).mul(counted).neg();
    Tensor loss = weightedReduction(nll, counted, labels, reduction);
    if (smoothing != 0) {
      Tensor all = weight != null ? flat.mul(weight) : flat;
      Tensor uniform = all.sum(1, false).mul(kept).neg();
      Tensor smooth = weightedReduction(uniform, counted, labels, reduction);
      loss = loss.mul(1 - smoothing).add(smooth.mul(smoothing / classes));
    }
    return loss;
  }

  /**
   * MEAN divides by the total weight counted (PyTorch's weighted mean), NONE keeps the labels'
   * shape.
   */
  @Differentiable
  static Tensor weightedReduction(Tensor perPosition, @NoDerivative Tensor counted,
      @NoDerivative Tensor labels, Reduction reduction) {
    if (reduction == Reduction.NONE) return perPosition.reshape(labels.shape());
    if (reduction == Reduction.SUM) return perPosition.sum();
    return perPosition.sum().div(counted.sum());
  }

  /**
   * Binary cross entropy of logits against targets in [0, 1] of the same shape, computed stably
   * as PyTorch does: {@code (1 - y) x + m + log(exp(-m) + exp(-x - m))} with
   * {@code m = max(-x, 0)}; mean over all elements.
   */
  @Differentiable
  public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
    return binaryCrossEntropyWithLogits(logits, target, null, null, Reduction.MEAN);
  }

  /**
   * With an element weight broadcast to the logits (null for none) and a weight of positive
   * examples {@code posWeight} broadcast over the last dimension (null for none), as PyTorch:
   * {@code -w [p y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))]}.
   */
  @Differentiable
  public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target,
      @NoDerivative Tensor weight, @NoDerivative Tensor posWeight, Reduction reduction) {
    Dims.sameShape("binaryCrossEntropyWithLogits", logits.shape(), target.shape());
    Tensor m = logits.neg().relu();
    // log(1 + exp(-x)) = m + log(exp(-m) + exp(-x - m)); its derivative does not depend on
    // which subgradient relu takes at 0
    Tensor softplusNeg = m.neg().exp().add(logits.neg().sub(m).exp()).log().add(m);
    Tensor negative = target.neg().add(1).mul(logits);
    Tensor loss;
    if (posWeight == null) {
      loss = negative.add(softplusNeg);
    } else {
      Tensor logWeight = posWeight.sub(1).mul(target).add(1);
      loss = negative.add(logWeight.mul(softplusNeg));
    }
    if (weight != null) loss = loss.mul(weight);
    return reduce(loss, reduction);
  }

  // ------------------------------------------------------------ regression

  /** The mean of {@code (prediction - target)^2}. */
  @Differentiable
  public static Tensor mseLoss(Tensor prediction, Tensor target) {
    return mseLoss(prediction, target, Reduction.MEAN);
  }

  @Differentiable
  public static Tensor mseLoss(Tensor prediction, Tensor target, Reduction reduction) {
    Dims.sameShape("mseLoss", prediction.shape(), target.shape());
    Tensor d = prediction.sub(target);
    return reduce(d.mul(d), reduction);
  }

  /** The mean of {@code |prediction - target|}; its derivative at 0 is 0, as PyTorch's. */
  @Differentiable
  public static Tensor l1Loss(Tensor prediction, Tensor target) {
    return l1Loss(prediction, target, Reduction.MEAN);
  }

  @Differentiable
  public static Tensor l1Loss(Tensor prediction, Tensor target, Reduction reduction) {
    Dims.sameShape("l1Loss", prediction.shape(), target.shape());
    return reduce(prediction.sub(target).abs(), reduction);
  }

  /**
   * {@code |d| < delta ? d^2 / 2 : delta (|d| - delta / 2)} for {@code d = prediction - target}
   * (PyTorch's default delta is 1).
   */
  @Differentiable
  public static Tensor huberLoss(Tensor prediction, Tensor target, @NoDerivative double delta,
      Reduction reduction) {
    Dims.sameShape("huberLoss", prediction.shape(), target.shape());
    Dims.positive("huberLoss", "delta", delta);
    Tensor d = prediction.sub(target);
    Tensor a = d.abs();
    Tensor loss = Tensor.where(a.lt(delta), d.mul(d).mul(0.5), a.sub(0.5 * delta).mul(delta));
    return reduce(loss, reduction);
  }

  /**
   * {@code |d| < beta ? d^2 / (2 beta) : |d| - beta / 2}: {@link #huberLoss} divided by beta;
   * beta 0 is {@link #l1Loss} (PyTorch's default beta is 1).
   */
  @Differentiable
  public static Tensor smoothL1Loss(Tensor prediction, Tensor target, @NoDerivative double beta,
      Reduction reduction) {
    Dims.sameShape("smoothL1Loss", prediction.shape(), target.shape());
    if (beta == 0) return l1Loss(prediction, target, reduction);
    Dims.positive("smoothL1Loss", "beta", beta);
    Tensor d = prediction.sub(target);
    Tensor a = d.abs();
    Tensor loss = Tensor.where(a.lt(beta), d.mul(d).mul(0.5 / beta), a.sub(0.5 * beta));
    return reduce(loss, reduction);
  }

  /** {@code MEAN}: the mean of every element; {@code SUM}: their sum; {@code NONE}: themselves. */
  @Differentiable
  static Tensor reduce(Tensor loss, Reduction reduction) {
    if (reduction == Reduction.NONE) return loss;
    if (reduction == Reduction.SUM) return loss.sum();
    return loss.mean();
  }
}
