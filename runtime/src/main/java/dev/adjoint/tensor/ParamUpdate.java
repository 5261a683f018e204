package dev.adjoint.tensor;

/**
 * One optimizer step of one parameter tensor and its state: the fused operation of the backend
 * SPI ({@link Backend#update}). Each record holds the step's hyperparameters and defines the
 * update, in {@link #compose}, with ordinary tensor operations, in PyTorch's order of
 * operations ({@code torch/optim/*.py}, single-tensor path); a backend may run the same
 * arithmetic as one pass over the elements. Scalars are rounded to the tensor's dtype where
 * PyTorch does so (a float32 parameter is updated in float32 arithmetic, a float64 one in
 * float64).
 *
 * <p>State tensors have the parameter's shape and dtype. A {@code null} state tensor means the
 * state is not yet there (the first step): zeros for every update except SGD's momentum buffer,
 * which PyTorch starts as a copy of the first (decayed) gradient.
 */
public sealed interface ParamUpdate permits ParamUpdate.Sgd, ParamUpdate.Adam,
    ParamUpdate.RmsProp {

  /** How many state tensors this update reads and returns. */
  int stateCount();

  /**
   * The update with ordinary tensor operations: {@code [param', state'...]}. This is the
   * definition, and the default of {@link Backend#update} for devices without a fused kernel.
   */
  Tensor[] compose(Tensor param, Tensor grad, Tensor[] state);

  /**
   * SGD ({@code torch.optim.SGD}): {@code d = ±g + wd·p}; with momentum,
   * {@code buf = μ·buf + (1 − dampening)·d} ({@code buf = d} on the first step) and
   * {@code d = nesterov ? d + μ·buf : buf}; then {@code p − lr·d}. State: the momentum buffer,
   * when {@code momentum != 0}.
   */
  record Sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
      boolean maximize) implements ParamUpdate {
    @Override
    public int stateCount() {
      return momentum != 0 ? 1 : 0;
    }

    @Override
    public Tensor[] compose(Tensor p, Tensor g, Tensor[] state) {
      Tensor d = maximize ? g.neg() : g;
      if (weightDecay != 0) d = d.add(p.mul(weightDecay));
      if (momentum == 0) return new Tensor[] {p.sub(d.mul(lr))};
      Tensor buf = state[0] == null ? d : state[0].mul(momentum).add(d.mul(1 - dampening));
      d = nesterov ? d.add(buf.mul(momentum)) : buf;
      return new Tensor[] {p.sub(d.mul(lr)), buf};
    }
  }

  /**
   * Adam and AdamW ({@code torch.optim.Adam}, {@code AdamW}) at step {@code step} (1 on the
   * first): with {@code decoupled} (AdamW) {@code p = p·(1 − lr·wd)}, else
   * {@code d = ±g + wd·p}; {@code m = β1·m + (1 − β1)·d}, {@code v = β2·v + (1 − β2)·d·d},
   * with {@code amsgrad} {@code vmax = max(vmax, v)} replacing {@code v} below;
   * {@code p − (lr / (1 − β1^t))·m / (sqrt(v) / sqrt(1 − β2^t) + eps)}. State: m, v, and vmax
   * with {@code amsgrad}.
   */
  record Adam(double lr, double beta1, double beta2, double eps, double weightDecay,
      boolean decoupled, boolean amsgrad, boolean maximize, long step) implements ParamUpdate {
    @Override
    public int stateCount() {
      return amsgrad ? 3 : 2;
    }

    /** {@code lr / (1 − β1^t)}. */
    public double stepSize() {
      return lr / (1 - Math.pow(beta1, step));
    }

    /** {@code sqrt(1 − β2^t)}. */
    public double biasCorrection2Sqrt() {
      return Math.sqrt(1 - Math.pow(beta2, step));
    }

    @Override
    public Tensor[] compose(Tensor p, Tensor g, Tensor[] state) {
      Tensor d = maximize ? g.neg() : g;
      if (decoupled) {
        p = p.mul(1 - lr * weightDecay);
      } else if (weightDecay != 0) {
        d = d.add(p.mul(weightDecay));
      }
      Tensor m = d.mul(1 - beta1);
      if (state[0] != null) m = state[0].mul(beta1).add(m);
      Tensor v = d.mul(1 - beta2).mul(d);
      if (state[1] != null) v = state[1].mul(beta2).add(v);
      Tensor vmax = !amsgrad ? null : state[2] == null ? v : state[2].maximum(v);
      Tensor denom = (amsgrad ? vmax : v).sqrt().div(biasCorrection2Sqrt()).add(eps);
      Tensor next = p.sub(m.mul(stepSize()).div(denom));
      return amsgrad ? new Tensor[] {next, m, v, vmax} : new Tensor[] {next, m, v};
    }
  }

  /**
   * RMSprop ({@code torch.optim.RMSprop}): {@code d = ±g + wd·p},
   * {@code sq = α·sq + (1 − α)·d·d}; centered: {@code ga = α·ga + (1 − α)·d},
   * {@code avg = sqrt(sq − ga·ga) + eps}, else {@code avg = sqrt(sq) + eps}; with momentum
   * {@code buf = μ·buf + d / avg} and {@code p − lr·buf}, else {@code p − lr·d / avg}. State:
   * sq, then buf (when {@code momentum > 0}), then ga (when centered).
   */
  record RmsProp(double lr, double alpha, double eps, double weightDecay, double momentum,
      boolean centered, boolean maximize) implements ParamUpdate {
    @Override
    public int stateCount() {
      return 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0);
    }

    @Override
    public Tensor[] compose(Tensor p, Tensor g, Tensor[] state) {
      Tensor d = maximize ? g.neg() : g;
      if (weightDecay != 0) d = d.add(p.mul(weightDecay));
      Tensor sq = d.mul(1 - alpha).mul(d);
      if (state[0] != null) sq = state[0].mul(alpha).add(sq);
      int gaSlot = momentum > 0 ? 2 : 1;
      Tensor ga = null;
      Tensor avg;
      if (centered) {
        ga = d.mul(1 - alpha);
        if (state[gaSlot] != null) ga = state[gaSlot].mul(alpha).add(ga);
        avg = sq.sub(ga.mul(ga)).sqrt().add(eps);
      } else {
        avg = sq.sqrt().add(eps);
      }
      Tensor[] out = new Tensor[1 + stateCount()];
      out[1] = sq;
      if (momentum > 0) {
        Tensor buf = d.div(avg);
        if (state[1] != null) buf = state[1].mul(momentum).add(buf);
        out[0] = p.sub(buf.mul(lr));
        out[2] = buf;
      } else {
        out[0] = p.sub(d.mul(lr).div(avg));
      }
      if (centered) out[1 + gaSlot] = ga;
      return out;
    }
  }
}
