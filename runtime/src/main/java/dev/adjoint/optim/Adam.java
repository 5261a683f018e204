package dev.adjoint.optim;

import dev.adjoint.tensor.ParamUpdate;

/**
 * Adam with PyTorch's {@code torch.optim.Adam} update and defaults (betas 0.9 and 0.999, eps
 * 1e-8, weight decay 0, no amsgrad): at step t, {@code d = g + wd·p} (L2 decay, added to the
 * gradient), {@code m = β1·m + (1 − β1)·d}, {@code v = β2·v + (1 − β2)·d²},
 * {@code p = p − lr / (1 − β1^t) · m / (sqrt(v) / sqrt(1 − β2^t) + eps)}; eps is added after
 * the bias correction of v, as in PyTorch. With amsgrad the running maximum of v takes v's
 * place in the denominator. Moments start at zero. For decoupled weight decay use
 * {@link AdamW}. Each tensor is updated in one fused pass ({@link ParamUpdate.Adam}), so an
 * Adam step costs about what an SGD step with momentum does.
 *
 * @param <M> the model type
 */
public final class Adam<M> extends PerTensorOptimizer<M> {
  private final Settings s;

  private Adam(Builder<M> b) {
    super(b.name, b.model, b.lr);
    b.s.check(b.name);
    this.s = b.s.copy();
  }

  /** Adam with PyTorch's defaults. */
  public static <M> Adam<M> of(M model, double lr) {
    return builder(model, lr).build();
  }

  /** For betas, eps, weight decay, amsgrad, maximize. */
  public static <M> Builder<M> builder(M model, double lr) {
    return new Builder<>("Adam", model, lr, 0, false);
  }

  static <M> Builder<M> adamW(M model, double lr, double weightDecay) {
    return new Builder<>("AdamW", model, lr, weightDecay, true);
  }

  @Override
  ParamUpdate update(long step) {
    return new ParamUpdate.Adam(learningRate(), s.beta1, s.beta2, s.eps, s.weightDecay,
        s.decoupled, s.amsgrad, s.maximize, step);
  }

  @Override
  public String toString() {
    return (s.decoupled ? "AdamW" : "Adam") + "(lr=" + learningRate() + ", betas=(" + s.beta1
        + ", " + s.beta2 + "), eps=" + s.eps + ", weightDecay=" + s.weightDecay + ", amsgrad="
        + s.amsgrad + ", maximize=" + s.maximize + ")";
  }

  /** Hyperparameters shared by Adam and AdamW. */
  private static final class Settings {
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay;
    boolean amsgrad;
    boolean maximize;
    boolean decoupled;

    Settings copy() {
      Settings c = new Settings();
      c.beta1 = beta1;
      c.beta2 = beta2;
      c.eps = eps;
      c.weightDecay = weightDecay;
      c.amsgrad = amsgrad;
      c.maximize = maximize;
      c.decoupled = decoupled;
      return c;
    }

    void check(String name) {
      require(eps >= 0, name, "epsilon value (must be >= 0):", eps);
      require(beta1 >= 0 && beta1 < 1, name, "beta parameter at index 0 (must be in [0, 1)):",
          beta1);
      require(beta2 >= 0 && beta2 < 1, name, "beta parameter at index 1 (must be in [0, 1)):",
          beta2);
      require(weightDecay >= 0, name, "weight decay (must be >= 0):", weightDecay);
    }
  }

  /** Settings of an {@link Adam} (or {@link AdamW}); PyTorch's defaults until set. */
  public static final class Builder<M> {
    private final String name;
    private final M model;
    private final double lr;
    private final Settings s = new Settings();

    Builder(String name, M model, double lr, double weightDecay, boolean decoupled) {
      this.name = name;
      this.model = model;
      this.lr = lr;
      s.weightDecay = weightDecay;
      s.decoupled = decoupled;
    }

    /** Decay rates of the first and second moment estimates (PyTorch's default: 0.9, 0.999). */
    public Builder<M> betas(double beta1, double beta2) {
      s.beta1 = beta1;
      s.beta2 = beta2;
      return this;
    }

    /** Added to the denominator for stability (default 1e-8). */
    public Builder<M> eps(double eps) {
      s.eps = eps;
      return this;
    }

    /** L2 decay added to the gradient for Adam; decoupled (applied to p) for AdamW. */
    public Builder<M> weightDecay(double weightDecay) {
      s.weightDecay = weightDecay;
      return this;
    }

    /** Use the maximum of past second moments (AMSGrad; default false). */
    public Builder<M> amsgrad(boolean amsgrad) {
      s.amsgrad = amsgrad;
      return this;
    }

    /** Ascend the objective instead of descending it (default false). */
    public Builder<M> maximize(boolean maximize) {
      s.maximize = maximize;
      return this;
    }

    /** The optimizer, with fresh state for every tensor of the model. */
    public Adam<M> build() {
      return new Adam<>(this);
    }
  }
}
