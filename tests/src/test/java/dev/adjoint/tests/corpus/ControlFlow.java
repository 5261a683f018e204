package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/** Branches and loops, including data-dependent ones and every way of leaving them. */
public final class ControlFlow {
  private ControlFlow() {}

  @Differentiable
  public static double piecewise(double x) {
    double y;
    if (x < 0) {
      y = x * x;
    } else if (x < 1) {
      y = Math.sin(x);
    } else {
      y = 2 * x - Math.log(x);
    }
    return y * x;
  }

  @Differentiable
  public static double power(double x, int n) {
    double p = 1;
    for (int i = 0; i < n; i++) {
      p *= x;
    }
    return p;
  }

  @Differentiable
  public static double halveUntilSmall(double x) {
    // The trip count depends on the data.
    double y = x;
    int steps = 0;
    while (Math.abs(y) > 0.1) {
      y = y / 2 + 0.01 * y * y;
      steps++;
    }
    return y * steps;
  }

  @Differentiable
  public static double doLoop(double x) {
    double s = 0;
    int k = 0;
    do {
      s = s + Math.cos(s + x * k);
      k++;
    } while (k < 4);
    return s;
  }

  @Differentiable
  public static double earlyReturn(double x) {
    if (x > 2) {
      return x * x * x;
    }
    double y = x;
    for (int i = 0; i < 10; i++) {
      if (y > 5) {
        return y * x;
      }
      y = y * 1.5 + x;
    }
    return -y;
  }

  @Differentiable
  public static double breakAndContinue(double x) {
    double s = 0;
    for (int i = 0; i < 20; i++) {
      if (i % 3 == 0) {
        continue;
      }
      s += Math.sin(x * i);
      if (s > 1.5) {
        break;
      }
    }
    return s * x;
  }

  @Differentiable
  public static double nested(double x, double y) {
    double s = 0;
    for (int i = 1; i <= 3; i++) {
      double row = 0;
      for (int j = 1; j <= i; j++) {
        row += Math.pow(x, j) * y / i;
      }
      s += row * row;
    }
    return s;
  }

  @Differentiable
  public static double labelledBreak(double x) {
    double s = 0;
    outer:
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        s += x * (i + j);
        if (s * s > 50) {
          break outer;
        }
        if (j > i) {
          continue outer;
        }
      }
    }
    return s * s;
  }

  @Differentiable
  public static double shortCircuit(double x, double y) {
    if (x > 0 && y / x > 1 || y < -1) {
      return x * y;
    }
    return x + y;
  }

  /** Loop-carried values read before they are overwritten: recomputation must not apply. */
  @Differentiable
  public static double carried(double x) {
    double p = x;
    double s = 0;
    for (int i = 0; i < 5; i++) {
      double q = p * p;
      p = Math.sin(q) + x;
      s += q * p;
    }
    return s;
  }

  /** A per-iteration value read inside a branch, and an index that changes mid-iteration. */
  @Differentiable
  public static double localInBranch(double[] xs) {
    double s = 0;
    int j = 0;
    for (int i = 0; i < xs.length; i++) {
      double v = xs[j] * xs[i];
      j = i;
      if (v > 0.1) {
        s += Math.exp(-v) * xs[j];
      } else {
        s -= v * v;
      }
    }
    return s;
  }
}
