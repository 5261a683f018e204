package dev.adjoint.optim;

/**
 * AdamW, Adam with decoupled weight decay, with PyTorch's {@code torch.optim.AdamW} update and
 * defaults (weight decay 1e-2): each step first shrinks the parameter, {@code p = p·(1 − lr·wd)},
 * then makes Adam's update without adding decay to the gradient. The optimizer is an
 * {@link Adam} configured so.
 */
public final class AdamW {
  private AdamW() {}

  /** AdamW with PyTorch's defaults (weight decay 1e-2). */
  public static <M> Adam<M> of(M model, double lr) {
    return builder(model, lr).build();
  }

  /** AdamW with the given decoupled weight decay. */
  public static <M> Adam<M> of(M model, double lr, double weightDecay) {
    return Adam.adamW(model, lr, weightDecay).build();
  }

  /** For betas, eps, weight decay, amsgrad, maximize. */
  public static <M> Adam.Builder<M> builder(M model, double lr) {
    return Adam.adamW(model, lr, 1e-2);
  }
}
