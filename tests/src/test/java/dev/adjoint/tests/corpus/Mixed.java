package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/** Constructs combined: records, arrays, loops with early exits, calls and recursion together. */
public final class Mixed {
  private Mixed() {}

  /** A particle state. */
  public record State(double[] pos, double speed, int steps) {}

  @Differentiable
  public static State step(State s, double dt) {
    double[] p = s.pos().clone();
    for (int i = 0; i < p.length; i++) {
      p[i] += dt * s.speed() * Math.sin(p[i]);
    }
    return new State(p, s.speed() * 0.99, s.steps() + 1);
  }

  @Differentiable
  public static double simulate(double[] start, double speed, int n) {
    State s = new State(start, speed, 0);
    double energy = 0;
    for (int k = 0; k < n; k++) {
      s = step(s, 0.1);
      if (k % 2 == 1) {
        continue;
      }
      for (double q : s.pos()) {
        energy += q * q;
        if (energy > 50) {
          return energy * s.speed();
        }
      }
    }
    return energy + s.speed() * s.pos()[0];
  }

  @Differentiable
  public static double tree(double[] w, int depth) {
    if (depth == 0) {
      return w[0];
    }
    double left = tree(w, depth - 1);
    return Math.tanh(left * w[depth % w.length]) + left;
  }
}
