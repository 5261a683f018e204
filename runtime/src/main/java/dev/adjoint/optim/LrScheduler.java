package dev.adjoint.optim;

import java.util.Objects;

/**
 * Sets an optimizer's learning rate from a {@link Schedule}, with PyTorch's stepping: creating
 * the scheduler records the optimizer's rate as the base rate and sets the rate of epoch 0;
 * each {@link #step} advances the epoch by one and sets that epoch's rate. Call it once per
 * epoch after the epoch's optimizer steps (or once per batch, for schedules counted in steps),
 * as {@code scheduler.step()} is called in PyTorch.
 */
public final class LrScheduler {
  private final Optimizer<?> optimizer;
  private final Schedule schedule;
  private final double base;
  private long epoch;

  private LrScheduler(Optimizer<?> optimizer, Schedule schedule) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.base = optimizer.learningRate();
    optimizer.setLearningRate(schedule.lr(base, 0));
  }

  /** A scheduler of {@code optimizer}'s rate, its current rate being the base rate. */
  public static LrScheduler of(Optimizer<?> optimizer, Schedule schedule) {
    return new LrScheduler(optimizer, schedule);
  }

  /** Advances one epoch and sets its rate. */
  public void step() {
    epoch++;
    optimizer.setLearningRate(schedule.lr(base, epoch));
  }

  /** Epochs stepped so far (PyTorch's {@code last_epoch}). */
  public long epoch() {
    return epoch;
  }

  /** The rate set last (PyTorch's {@code get_last_lr()}). */
  public double lastLr() {
    return optimizer.learningRate();
  }

  /** The optimizer's rate when the scheduler was made. */
  public double baseLr() {
    return base;
  }
}
