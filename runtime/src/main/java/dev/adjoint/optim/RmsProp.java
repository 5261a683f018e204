package dev.adjoint.optim;

import dev.adjoint.tensor.ParamUpdate;

/**
 * RMSprop with PyTorch's {@code torch.optim.RMSprop} update and defaults (alpha 0.99, eps 1e-8,
 * weight decay 0, momentum 0, not centered): {@code d = g + wd·p},
 * {@code sq = α·sq + (1 − α)·d²}; centered, {@code ga = α·ga + (1 − α)·d} and
 * {@code avg = sqrt(sq − ga²) + eps}, else {@code avg = sqrt(sq) + eps} (eps outside the
 * root); with momentum {@code buf = μ·buf + d / avg} and {@code p = p − lr·buf}, else
 * {@code p = p − lr·d / avg}. State starts at zero. Each tensor is updated in one fused pass
 * ({@link ParamUpdate.RmsProp}).
 *
 * @param <M> the model type
 */
public final class RmsProp<M> extends PerTensorOptimizer<M> {
  private final double alpha;
  private final double eps;
  private final double weightDecay;
  private final double momentum;
  private final boolean centered;
  private final boolean maximize;

  private RmsProp(Builder<M> b) {
    super("RmsProp", b.model, b.lr);
    require(b.eps >= 0, "RmsProp", "epsilon value (must be >= 0):", b.eps);
    require(b.momentum >= 0, "RmsProp", "momentum value (must be >= 0):", b.momentum);
    require(b.weightDecay >= 0, "RmsProp", "weight decay (must be >= 0):", b.weightDecay);
    require(b.alpha >= 0, "RmsProp", "alpha value (must be >= 0):", b.alpha);
    alpha = b.alpha;
    eps = b.eps;
    weightDecay = b.weightDecay;
    momentum = b.momentum;
    centered = b.centered;
    maximize = b.maximize;
  }

  /** RMSprop with PyTorch's defaults (PyTorch's default learning rate is 1e-2). */
  public static <M> RmsProp<M> of(M model, double lr) {
    return builder(model, lr).build();
  }

  /** For alpha, eps, weight decay, momentum, centered, maximize. */
  public static <M> Builder<M> builder(M model, double lr) {
    return new Builder<>(model, lr);
  }

  @Override
  ParamUpdate update(long step) {
    return new ParamUpdate.RmsProp(learningRate(), alpha, eps, weightDecay, momentum, centered,
        maximize);
  }

  @Override
  public String toString() {
    return "RmsProp(lr=" + learningRate() + ", alpha=" + alpha + ", eps=" + eps
        + ", weightDecay=" + weightDecay + ", momentum=" + momentum + ", centered=" + centered
        + ", maximize=" + maximize + ")";
  }

  /** Settings of an {@link RmsProp}; PyTorch's defaults until set. */
  public static final class Builder<M> {
    private final M model;
    private final double lr;
    private double alpha = 0.99;
    private double eps = 1e-8;
    private double weightDecay;
    private double momentum;
    private boolean centered;
    private boolean maximize;

    private Builder(M model, double lr) {
      this.model = model;
      this.lr = lr;
    }

    /** Smoothing constant of the squared-gradient average (PyTorch's default: 0.99). */
    public Builder<M> alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /** Added to the denominator for stability (default 1e-8). */
    public Builder<M> eps(double eps) {
      this.eps = eps;
      return this;
    }

    /** L2 decay added to the gradient (default 0). */
    public Builder<M> weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** Momentum factor (default 0). */
    public Builder<M> momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /**
     * Normalize by the estimated variance of the gradient instead of its second moment (default
     * false).
     */
    public Builder<M> centered(boolean centered) {
      this.centered = centered;
      return this;
    }

    /** Ascend the objective instead of descending it (default false). */
    public Builder<M> maximize(boolean maximize) {
      this.maximize = maximize;
      return this;
    }

    /** The optimizer, with fresh state for every tensor of the model. */
    public RmsProp<M> build() {
      return new RmsProp<>(this);
    }
  }
}
