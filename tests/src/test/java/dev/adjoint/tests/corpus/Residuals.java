package dev.adjoint.tests.corpus;

import dev.adjoint.Checkpoint;
import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;

/**
 * Calls between differentiated methods, each once keeping the callee's residuals (the default)
 * and once through a {@code @Checkpoint} twin that recomputes the callee: the gradients must
 * agree.
 */
public final class Residuals {
  private Residuals() {}

  @Differentiable
  public static double helper(double a, double b) {
    double s = 0;
    for (int i = 1; i <= 3; i++) s += Math.sin(a * i) * b / i;
    return s + Math.exp(a * b / 4);
  }

  @Differentiable
  @Checkpoint
  public static double helperRecomputed(double a, double b) {
    double s = 0;
    for (int i = 1; i <= 3; i++) s += Math.sin(a * i) * b / i;
    return s + Math.exp(a * b / 4);
  }

  /** Helpers called from helpers: depth 3. */
  @Differentiable
  public static double deep(double a, double b) {
    return helper(helper(a, b), a) * b;
  }

  @Differentiable
  @Checkpoint
  public static double deepRecomputed(double a, double b) {
    return helperRecomputed(helperRecomputed(a, b), a) * b;
  }

  @Differentiable
  public static double inLoop(double[] x) {
    double s = 1;
    for (int i = 0; i < x.length; i++) {
      s = deep(x[i], s * 0.3 + 0.5);
      if (s > 2) s = s / 2;
    }
    return s;
  }

  @Differentiable
  public static double inLoopRecomputed(double[] x) {
    double s = 1;
    for (int i = 0; i < x.length; i++) {
      s = deepRecomputed(x[i], s * 0.3 + 0.5);
      if (s > 2) s = s / 2;
    }
    return s;
  }

  /** A record and an array at an offset through a helper. */
  public record State(double h, double c) {}

  @Differentiable
  public static State cell(State s, double[] w, int off) {
    double g = Math.tanh(w[off] * s.h() + w[off + 1]);
    return new State(g * s.c(), s.c() + g * g);
  }

  @Differentiable
  @Checkpoint
  public static State cellRecomputed(State s, double[] w, int off) {
    double g = Math.tanh(w[off] * s.h() + w[off + 1]);
    return new State(g * s.c(), s.c() + g * g);
  }

  @Differentiable
  public static double unrolled(double[] w, int steps) {
    State s = new State(0.5, 0.25);
    for (int t = 0; t < steps; t++) s = cell(s, w, 2 * (t % (w.length / 2)));
    return s.h() + s.c();
  }

  @Differentiable
  public static double unrolledRecomputed(double[] w, int steps) {
    State s = new State(0.5, 0.25);
    for (int t = 0; t < steps; t++) s = cellRecomputed(s, w, 2 * (t % (w.length / 2)));
    return s.h() + s.c();
  }

  /** Recursion: each level's call to the one below is split too, onto the caller's tape. */
  @Differentiable
  public static double recursive(double x, int n) {
    if (n == 0) return x;
    return Math.sin(recursive(x, n - 1)) * x + helper(x, n);
  }

  /** x^(1/4), by two square roots in a loop: its split pushes, and its partial at 0 is infinite. */
  @Differentiable
  public static double quarterRoot(double a) {
    double r = a;
    for (int i = 0; i < 2; i++) r = Math.sqrt(r);
    return r;
  }

  /**
   * A split call whose value reaches the result only on some iterations: where it does not
   * ({@code x[i] == 0}, where its partial is infinite) its residuals are dropped unread, and the
   * helper adds no term, not 0 times infinity.
   */
  @Differentiable
  public static double sometimes(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double r = quarterRoot(x[i] * x[i]);
      if (x[i] != 0) {
        s += r * x[i];
      } else {
        s += x[i];
      }
    }
    return s;
  }

  /**
   * Recursion over an array, as GradBench's det expands in minors: every level's residuals go on
   * one tape. The sum over the orderings of products of distinct elements, 2 levels of branching.
   */
  @Differentiable
  public static double orderings(double[] a, int level, int used) {
    if (level == a.length) return 1;
    double s = 0;
    for (int c = 0; c < a.length; c++) {
      if ((used & (1 << c)) == 0) {
        double below = orderings(a, level + 1, used | (1 << c));
        s += Math.sin(a[c] * (level + 1)) * below;
      }
    }
    return s;
  }

  /** A recurrent tensor step, as an RNN loss calls it once per time step. */
  public record Rnn(Tensor wx, Tensor wh) {
    @Differentiable
    public Tensor step(Tensor h, @NoDerivative Tensor x) {
      return x.matmul(wx).add(h.matmul(wh)).tanh();
    }

    @Differentiable
    @Checkpoint
    public Tensor stepRecomputed(Tensor h, @NoDerivative Tensor x) {
      return x.matmul(wx).add(h.matmul(wh)).tanh();
    }

    @Differentiable
    public Tensor loss(@NoDerivative Tensor xs) {
      Tensor h = Tensor.zeros(dev.adjoint.tensor.DType.FLOAT64, xs.size(1), wh.size(0));
      for (int t = 0; t < xs.size(0); t++) h = step(h, xs.slice(0, t, t + 1).squeeze(0));
      return h.mul(h).sum();
    }

    @Differentiable
    public Tensor lossRecomputed(@NoDerivative Tensor xs) {
      Tensor h = Tensor.zeros(dev.adjoint.tensor.DType.FLOAT64, xs.size(1), wh.size(0));
      for (int t = 0; t < xs.size(0); t++) {
        h = stepRecomputed(h, xs.slice(0, t, t + 1).squeeze(0));
      }
      return h.mul(h).sum();
    }
  }
}
