package dev.adjoint.optim;

/**
 * Updates a model from its gradient, as {@code torch.optim} optimizers do, for any model record
 * {@code M} (records of tensors, nested records, arrays of them, carried non-tensor
 * components; see {@link dev.adjoint.nn.ModelTree}). Tensors are immutable, so a step returns a
 * new model; the optimizer's state (momentum buffers, moment estimates, step counts) lives in
 * the optimizer, one entry per tensor leaf.
 *
 * <pre>{@code
 * Optimizer<Net> opt = Adam.of(net, 1e-3);
 * for (Batch batch : loader) {
 *   ValueAndGrad<Tensor, Net> vg = NetDerivatives.lossValueAndGrad(net, batch.x(), batch.y());
 *   net = opt.step(net, vg.grad());
 * }
 * }</pre>
 *
 * @param <M> the model type; its gradient has the same type
 */
public interface Optimizer<M> {
  /**
   * One update: {@code model} moved along {@code grad}, as a new model. A leaf whose gradient
   * is null is left alone (its state too), as PyTorch skips parameters without {@code .grad};
   * so are {@link dev.adjoint.nn.Buffer} leaves, null leaves and integer tensors. Carried
   * components are copied.
   *
   * @throws IllegalArgumentException naming the tensor, when a gradient's shape, dtype or device
   *     differs from its parameter's, or the model is not shaped like the one the optimizer was
   *     created for
   */
  M step(M model, M grad);

  /** The learning rate the next step uses. */
  double learningRate();

  /** Sets the learning rate of the next steps (what {@link LrScheduler} does). */
  void setLearningRate(double lr);
}
