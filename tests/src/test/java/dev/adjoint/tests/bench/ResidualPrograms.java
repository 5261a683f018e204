package dev.adjoint.tests.bench;

import dev.adjoint.Checkpoint;
import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;

/**
 * The programs of {@link ResidualsBenchmark}: helpers called from helpers inside a loop, and a
 * 1,000-step RNN, each with residuals kept (the default), recomputed ({@code @Checkpoint}), and
 * (the RNN) in checkpointed segments of √n steps.
 */
public final class ResidualPrograms {
  private ResidualPrograms() {}

  // ---- (a) helpers of depth 1 to 4, with residuals

  @Differentiable
  public static double h1(double x) {
    return Math.sin(x) * x + Math.exp(-x * x);
  }

  @Differentiable
  public static double h2(double x) {
    return Math.cos(h1(x)) * x;
  }

  @Differentiable
  public static double h3(double x) {
    return Math.cos(h2(x)) * x;
  }

  @Differentiable
  public static double h4(double x) {
    return Math.cos(h3(x)) * x;
  }

  @Differentiable
  public static double depth1(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += h1(x[i]);
    return s;
  }

  @Differentiable
  public static double depth2(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += h2(x[i]);
    return s;
  }

  @Differentiable
  public static double depth3(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += h3(x[i]);
    return s;
  }

  @Differentiable
  public static double depth4(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += h4(x[i]);
    return s;
  }

  // ---- the same helpers recomputed in the reverse sweep

  @Checkpoint
  @Differentiable
  public static double c1(double x) {
    return Math.sin(x) * x + Math.exp(-x * x);
  }

  @Checkpoint
  @Differentiable
  public static double c2(double x) {
    return Math.cos(c1(x)) * x;
  }

  @Checkpoint
  @Differentiable
  public static double c3(double x) {
    return Math.cos(c2(x)) * x;
  }

  @Checkpoint
  @Differentiable
  public static double c4(double x) {
    return Math.cos(c3(x)) * x;
  }

  @Differentiable
  public static double checkpointed1(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += c1(x[i]);
    return s;
  }

  @Differentiable
  public static double checkpointed2(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += c2(x[i]);
    return s;
  }

  @Differentiable
  public static double checkpointed3(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += c3(x[i]);
    return s;
  }

  @Differentiable
  public static double checkpointed4(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += c4(x[i]);
    return s;
  }

  // ---- (b) an RNN: h = tanh(x Wx + h Wh + b), loss = mean(h_T^2)

  /** The RNN's weights: {@code wx (I, H)}, {@code wh (H, H)}, {@code b (H)}. */
  public record Rnn(Tensor wx, Tensor wh, Tensor b) {}

  @Differentiable
  public static Tensor step(Rnn m, Tensor h, @NoDerivative Tensor x) {
    return x.matmul(m.wx()).add(h.matmul(m.wh())).add(m.b()).tanh();
  }

  @Checkpoint
  @Differentiable
  public static Tensor recomputedStep(Rnn m, Tensor h, @NoDerivative Tensor x) {
    return x.matmul(m.wx()).add(h.matmul(m.wh())).add(m.b()).tanh();
  }

  /** Inputs {@code xs (T, B, I)}; every step's residuals are kept. */
  @Differentiable
  public static Tensor loss(Rnn m, @NoDerivative Tensor h0, @NoDerivative Tensor xs) {
    Tensor h = h0;
    for (int t = 0; t < xs.size(0); t++) {
      h = step(m, h, xs.slice(0, t, t + 1).reshape(xs.size(1), xs.size(2)));
    }
    return h.mul(h).mean();
  }

  /** Every step a checkpoint: only its arguments are kept, the step is recomputed. */
  @Differentiable
  public static Tensor checkpointedLoss(Rnn m, @NoDerivative Tensor h0, @NoDerivative Tensor xs) {
    Tensor h = h0;
    for (int t = 0; t < xs.size(0); t++) {
      h = recomputedStep(m, h, xs.slice(0, t, t + 1).reshape(xs.size(1), xs.size(2)));
    }
    return h.mul(h).mean();
  }

  /** Steps {@code from} to {@code to} as one checkpoint: its reverse sweep reruns them. */
  @Checkpoint
  @Differentiable
  public static Tensor segment(Rnn m, Tensor h, @NoDerivative Tensor xs, int from, int to) {
    for (int t = from; t < to; t++) {
      h = step(m, h, xs.slice(0, t, t + 1).reshape(xs.size(1), xs.size(2)));
    }
    return h;
  }

  /**
   * √n segments: the forward pass keeps one state per segment, the reverse sweep reruns one
   * segment at a time with its residuals, so about 2√n states are alive at once.
   */
  @Differentiable
  public static Tensor segmentedLoss(Rnn m, @NoDerivative Tensor h0, @NoDerivative Tensor xs,
      int segmentLength) {
    Tensor h = h0;
    int steps = xs.size(0);
    for (int from = 0; from < steps; from += segmentLength) {
      h = segment(m, h, xs, from, Math.min(from + segmentLength, steps));
    }
    return h.mul(h).mean();
  }
}
