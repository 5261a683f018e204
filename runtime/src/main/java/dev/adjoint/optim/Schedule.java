package dev.adjoint.optim;

import java.util.Arrays;

/**
 * A learning-rate schedule: the rate at a given epoch (the number of {@link LrScheduler#step}
 * calls so far, 0 before the first) as a function of the optimizer's base rate. The factories
 * are the closed forms of PyTorch's schedulers of the same names in
 * {@code torch.optim.lr_scheduler}, and compose as PyTorch's {@code SequentialLR}
 * ({@link #then}) and {@code ChainedScheduler} ({@link #times}) do.
 *
 * <pre>{@code
 * // 5 epochs of linear warm-up from 0.1·lr, then cosine annealing over 95 epochs
 * Schedule s = Schedule.linearWarmup(5, 0.1).then(5, Schedule.cosine(95, 0));
 * LrScheduler scheduler = LrScheduler.of(opt, s);
 * }</pre>
 */
@FunctionalInterface
public interface Schedule {
  /** The learning rate at {@code epoch} (>= 0) for base rate {@code base}. */
  double lr(double base, long epoch);

  /** The base rate throughout. */
  static Schedule constant() {
    return (base, epoch) -> base;
  }

  /** {@code StepLR}: the rate times {@code gamma} every {@code stepSize} epochs. */
  static Schedule step(int stepSize, double gamma) {
    positive("step", "stepSize", stepSize);
    return (base, epoch) -> base * Math.pow(gamma, epoch / stepSize);
  }

  /** {@code MultiStepLR}: the rate times {@code gamma} at each milestone epoch. */
  static Schedule multiStep(double gamma, int... milestones) {
    int[] m = milestones.clone();
    Arrays.sort(m);
    return (base, epoch) -> {
      int passed = 0;
      while (passed < m.length && m[passed] <= epoch) passed++;
      return base * Math.pow(gamma, passed);
    };
  }

  /** {@code ExponentialLR}: the rate times {@code gamma} every epoch. */
  static Schedule exponential(double gamma) {
    return (base, epoch) -> base * Math.pow(gamma, epoch);
  }

  /**
   * {@code CosineAnnealingLR}: from the base rate down to {@code etaMin} along half a cosine
   * over {@code tMax} epochs, {@code etaMin + (base − etaMin)(1 + cos(π·epoch/tMax))/2} (after
   * {@code tMax} it rises again, as PyTorch's does).
   */
  static Schedule cosine(int tMax, double etaMin) {
    positive("cosine", "tMax", tMax);
    return (base, epoch) -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
  }

  /**
   * {@code LinearLR}: the factor of the base rate moves linearly from {@code startFactor} to
   * {@code endFactor} over {@code totalIters} epochs, then stays (PyTorch's defaults: 1/3, 1,
   * 5).
   */
  static Schedule linear(double startFactor, double endFactor, int totalIters) {
    if (startFactor > 1 || startFactor <= 0) {
      throw new IllegalArgumentException("Schedule.linear: start factor " + startFactor
          + " must be in (0, 1]");
    }
    if (endFactor > 1 || endFactor < 0) {
      throw new IllegalArgumentException("Schedule.linear: end factor " + endFactor
          + " must be in [0, 1]");
    }
    positive("linear", "totalIters", totalIters);
    return (base, epoch) -> base * (startFactor
        + (endFactor - startFactor) * Math.min(totalIters, epoch) / totalIters);
  }

  /** Linear warm-up: {@code linear(startFactor, 1, totalIters)}. */
  static Schedule linearWarmup(int totalIters, double startFactor) {
    return linear(startFactor, 1, totalIters);
  }

  /** {@code ConstantLR}: the base rate times {@code factor} for {@code totalIters} epochs. */
  static Schedule constant(double factor, int totalIters) {
    if (factor > 1 || factor < 0) {
      throw new IllegalArgumentException("Schedule.constant: factor " + factor
          + " must be in [0, 1]");
    }
    return (base, epoch) -> epoch < totalIters ? base * factor : base;
  }

  /**
   * {@code SequentialLR}: this schedule until epoch {@code milestone}, then {@code next},
   * started afresh (its epoch 0 at {@code milestone}).
   */
  default Schedule then(int milestone, Schedule next) {
    if (milestone < 0) {
      throw new IllegalArgumentException("Schedule.then: milestone " + milestone
          + " must be >= 0");
    }
    Schedule first = this;
    return (base, epoch) -> epoch < milestone ? first.lr(base, epoch)
        : next.lr(base, epoch - milestone);
  }

  /**
   * {@code ChainedScheduler}: both schedules' factors of the base rate multiplied, for the
   * multiplicative schedules ({@code step}, {@code multiStep}, {@code exponential},
   * {@code linear}, {@code constant}); PyTorch's chaining of {@code cosine} is not of this form.
   */
  default Schedule times(Schedule other) {
    Schedule first = this;
    return (base, epoch) -> base == 0 ? 0
        : first.lr(base, epoch) * other.lr(base, epoch) / base;
  }

  private static void positive(String schedule, String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("Schedule." + schedule + ": " + what + " " + value
          + " must be at least 1");
    }
  }
}
