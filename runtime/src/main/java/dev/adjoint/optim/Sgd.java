package dev.adjoint.optim;

import dev.adjoint.tensor.ParamUpdate;

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} update and defaults
 * (momentum 0, dampening 0, no Nesterov, weight decay 0): {@code d = g + wd·p}; with momentum
 * {@code buf = μ·buf + (1 − dampening)·d}, where the first step sets {@code buf = d}; with
 * Nesterov {@code d = d + μ·buf}, else {@code d = buf}; {@code p = p − lr·d}. {@code maximize}
 * ascends instead. Each tensor is updated in one fused pass ({@link ParamUpdate.Sgd}).
 *
 * @param <M> the model type
 */
public final class Sgd<M> extends PerTensorOptimizer<M> {
  private final double momentum;
  private final double dampening;
  private final double weightDecay;
  private final boolean nesterov;
  private final boolean maximize;

  private Sgd(Builder<M> b) {
    super("Sgd", b.model, b.lr);
    require(b.momentum >= 0, "Sgd", "momentum (must be >= 0):", b.momentum);
    require(b.weightDecay >= 0, "Sgd", "weight decay (must be >= 0):", b.weightDecay);
    if (b.nesterov && (b.momentum <= 0 || b.dampening != 0)) {
      throw new IllegalArgumentException("Sgd: Nesterov momentum requires a momentum and zero "
          + "dampening (momentum " + b.momentum + ", dampening " + b.dampening + ")");
    }
    momentum = b.momentum;
    dampening = b.dampening;
    weightDecay = b.weightDecay;
    nesterov = b.nesterov;
    maximize = b.maximize;
  }

  /** Plain SGD. */
  public static <M> Sgd<M> of(M model, double lr) {
    return builder(model, lr).build();
  }

  /** SGD with momentum. */
  public static <M> Sgd<M> of(M model, double lr, double momentum) {
    return builder(model, lr).momentum(momentum).build();
  }

  /** SGD with momentum and (L2) weight decay. */
  public static <M> Sgd<M> of(M model, double lr, double momentum, double weightDecay) {
    return builder(model, lr).momentum(momentum).weightDecay(weightDecay).build();
  }

  /** For the other settings: dampening, Nesterov, maximize. */
  public static <M> Builder<M> builder(M model, double lr) {
    return new Builder<>(model, lr);
  }

  @Override
  ParamUpdate update(long step) {
    return new ParamUpdate.Sgd(learningRate(), momentum, dampening, weightDecay, nesterov,
        maximize);
  }

  @Override
  public String toString() {
    return "Sgd(lr=" + learningRate() + ", momentum=" + momentum + ", dampening=" + dampening
        + ", weightDecay=" + weightDecay + ", nesterov=" + nesterov + ", maximize=" + maximize
        + ")";
  }

  /** Settings of an {@link Sgd}; PyTorch's defaults until set. */
  public static final class Builder<M> {
    private final M model;
    private final double lr;
    private double momentum;
    private double dampening;
    private double weightDecay;
    private boolean nesterov;
    private boolean maximize;

    private Builder(M model, double lr) {
      this.model = model;
      this.lr = lr;
    }

    /** Momentum factor (default 0). */
    public Builder<M> momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** Dampening of the momentum (default 0). */
    public Builder<M> dampening(double dampening) {
      this.dampening = dampening;
      return this;
    }

    /** L2 decay added to the gradient (default 0). */
    public Builder<M> weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** Nesterov momentum (default false; needs momentum and no dampening, as in PyTorch). */
    public Builder<M> nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    /** Ascend the objective instead of descending it (default false). */
    public Builder<M> maximize(boolean maximize) {
      this.maximize = maximize;
      return this;
    }

    /** The optimizer, with fresh state for every tensor of the model. */
    public Sgd<M> build() {
      return new Sgd<>(this);
    }
  }
}
