package dev.adjoint.optim;

import dev.adjoint.nn.ModelTree;
import dev.adjoint.tensor.Backends;
import dev.adjoint.tensor.ParamUpdate;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * What every optimizer here shares: the model's tensor leaves (through {@link ModelTree}), a
 * state and a step count per leaf, and one fused {@link ParamUpdate} per leaf and step, run by
 * the leaf's backend ({@link dev.adjoint.tensor.Backend#update}). Subclasses only say which
 * update a step makes.
 */
abstract class PerTensorOptimizer<M> implements Optimizer<M> {
  private final String name;
  private final ModelTree<M> tree;
  private final boolean[] buffers;
  private final Tensor[][] state;
  private final long[] steps;
  private double lr;

  PerTensorOptimizer(String name, M model, double lr) {
    this.name = name;
    Objects.requireNonNull(model, name + ": model");
    this.tree = ModelTree.of(model);
    this.buffers = tree.buffers(model);
    Tensor[] leaves = tree.tensors(model);
    int trainable = 0;
    for (int i = 0; i < leaves.length; i++) if (trainable(i, leaves[i])) trainable++;
    if (trainable == 0) {
      throw new IllegalArgumentException(name + ": " + model.getClass().getSimpleName()
          + " has no floating-point tensor to train (leaves: " + tree.names(model) + "); a "
          + "model is a record with Tensor components");
    }
    this.state = new Tensor[leaves.length][];
    this.steps = new long[leaves.length];
    setLearningRate(lr);
  }

  /** The update of one leaf at its {@code step}-th step (1 on the first). */
  abstract ParamUpdate update(long step);

  static void require(boolean ok, String name, String what, double value) {
    if (!ok) {
      throw new IllegalArgumentException(name + ": invalid " + what + " " + value);
    }
  }

  @Override
  public double learningRate() {
    return lr;
  }

  @Override
  public void setLearningRate(double lr) {
    require(lr >= 0, name, "learning rate (must be >= 0):", lr);
    this.lr = lr;
  }

  private boolean trainable(int i, Tensor t) {
    return !buffers[i] && t != null && t.dtype().isFloating();
  }

  @Override
  public M step(M model, M grad) {
    Objects.requireNonNull(model, name + ".step: model");
    Objects.requireNonNull(grad, name + ".step: grad");
    Tensor[] p = tree.tensors(model);
    Tensor[] g = tree.tensors(grad);
    if (p.length != state.length || g.length != p.length) {
      throw new IllegalArgumentException(name + ".step: the model has " + p.length
          + " tensor leaves and its gradient " + g.length + ", but the optimizer was made for "
          + "a model with " + state.length + "; the model's leaves: " + tree.names(model));
    }
    for (int i = 0; i < p.length; i++) {
      if (trainable(i, p[i]) && g[i] != null) check(model, i, p[i], g[i]);
    }
    for (int i = 0; i < p.length; i++) {
      if (!trainable(i, p[i]) || g[i] == null) continue;
      ParamUpdate u = update(++steps[i]);
      Tensor[] s = state[i] != null ? state[i] : new Tensor[u.stateCount()];
      Tensor[] out = Backends.get(p[i].device()).update(u, p[i], g[i], s);
      p[i] = out[0];
      state[i] = Arrays.copyOfRange(out, 1, out.length);
    }
    return tree.rebuild(model, p);
  }

  /** All leaves are checked before any is updated, so a failed step changes nothing. */
  private void check(M model, int i, Tensor p, Tensor g) {
    String problem = null;
    if (!Arrays.equals(p.shape(), g.shape())) {
      problem = "its gradient has shape " + Arrays.toString(g.shape()) + " but the tensor has "
          + Arrays.toString(p.shape());
    } else if (g.dtype() != p.dtype()) {
      problem = "its gradient is " + g.dtype() + " but the tensor is " + p.dtype();
    } else if (g.device() != p.device()) {
      problem = "its gradient is on " + g.device() + " but the tensor is on " + p.device();
    } else if (state[i] != null && state[i].length > 0 && state[i][0] != null
        && (!Arrays.equals(state[i][0].shape(), p.shape()) || state[i][0].dtype() != p.dtype())) {
      problem = "the tensor is " + p.dtype() + " " + Arrays.toString(p.shape()) + " but the "
          + "optimizer's state for it is " + state[i][0].dtype() + " "
          + Arrays.toString(state[i][0].shape()) + ": is this the model the optimizer was made "
          + "for?";
    }
    if (problem != null) {
      String leaf = tree.names(model).get(i);
      throw new IllegalArgumentException(name + ".step: "
          + (leaf.isEmpty() ? "the model tensor" : leaf) + ": " + problem);
    }
  }

  @Override
  public String toString() {
    return name + "(lr=" + lr + ")";
  }
}
