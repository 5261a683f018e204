package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;

/**
 * The reproducers of bugs users met (issue 6), one method each, named after what broke. Each is
 * checked against closed forms and finite differences in {@code RegressionsTest}.
 */
public final class Regressions {
  private Regressions() {}

  /** An array inside a record inside a record got a zero gradient. */
  public record Layer(double[] w, double b) {}

  /** The outer record. */
  public record Net(Layer l) {}

  @Differentiable
  public static double nestedRecordArray(Net n) {
    return n.l().w()[0] * n.l().w()[0] + n.l().b() * n.l().w()[1];
  }

  /** The same with float arrays. */
  public record FloatLayer(float[] w, float b) {}

  /** The outer record. */
  public record FloatNet(FloatLayer l) {}

  @Differentiable
  public static float nestedRecordFloatArray(FloatNet n) {
    return n.l().w()[0] * n.l().w()[0] + n.l().b() * n.l().w()[1];
  }

  /** pow(x, 0) had derivative NaN at 0; pow(x, 1)'' too. */
  @Differentiable
  public static double polynomial(double x) {
    double[] c = {1, -2, 3, 0.5};
    double s = 0;
    for (int k = 0; k < c.length; k++) s += c[k] * Math.pow(x, k);
    return s;
  }

  /** A zero tangent times an infinite partial leaked NaN into a JVP. */
  @Differentiable
  public static double unrelatedPow(double x) {
    double[] w = new double[2];
    w[1] = x;
    return x + Math.pow(w[0], 0);
  }

  @Differentiable
  public static double square(double a) {
    return Math.pow(a, 2.0);
  }

  /** The value of a JVP, differentiated to second order. */
  @Differentiable
  public static double valueOfJvp(double x) {
    return RegressionsDerivatives.squareJvp(x, 1.0).value();
  }

  /** abs'(0) is 0, as in PyTorch. */
  @Differentiable
  public static double absAtZero(double x) {
    return Math.abs(x) + x;
  }

  /** {@code x = x} made every reverse-mode derivative 0. */
  @Differentiable
  public static double selfAssignment(double x) {
    x = x;
    return x * x;
  }

  /** A float function applying a Math function: the generated class did not compile. */
  @Differentiable
  public static float floatMath(float x) {
    float a = 1;
    a += (float) Math.sin(x * 2);
    return a + (float) Math.exp(-x) + (float) Math.sqrt(x + 1);
  }

  /** The same with Java's implicit narrowing in a compound assignment. */
  @Differentiable
  @SuppressWarnings("lossy-conversions")
  public static float floatCompound(float x) {
    float a = 1;
    a += Math.sin(x * 2);
    a *= Math.exp(-x);
    return a;
  }

  /** Type parameters were dropped from generated signatures. */
  @Differentiable
  public static <K> double tagged(double x, K tag) {
    K same = tag;
    return same == null ? x : x * x;
  }

  /** An array result with an early return: the JVP held {@code new double[null.length]}. */
  @Differentiable
  public static double[] earlyArray(double x) {
    double[] r = new double[2];
    if (x > 0) {
      r[0] = x * x;
      return r;
    }
    r[1] = 3 * x;
    return r;
  }

  /** The gradient of a varargs method takes varargs. */
  @Differentiable
  public static double sumOfSquares(double... xs) {
    double s = 0;
    for (double v : xs) s += v * v;
    return s;
  }

  /** A model with an optional bias: lossGrad threw NullPointerException. */
  public record Affine(Tensor w, Tensor b) {
    @Differentiable
    public Tensor loss(@NoDerivative Tensor x) {
      Tensor y = x.matmul(w);
      if (b != null) y = y.add(b);
      return y.mul(y).sum();
    }
  }

  @Differentiable
  public static double pick(double[] a, int[] idx) {
    return a[idx[0]];
  }

  /** An int index written into a local int[] in a loop was not restored by the reverse sweep. */
  @Differentiable
  public static double indexBookkeeping(double[] a) {
    int[] idx = new int[2];
    int k = 0;
    double s = 0;
    for (int j = 0; j < 2; j++) {
      s += (j + 1) * pick(a, idx);
      idx[k] = j + 1;
      k = 1;
    }
    return s;
  }

  /** An int computed in an outer loop body was neither recorded nor recomputed. */
  @Differentiable
  public static double blocks(double[] p) {
    double s = 0;
    for (int block = 0; block < 2; block++) {
      int off = 2 * block;
      for (int i = 0; i < 2; i++) s += p[off + i] * p[off + i] * (block + 1);
    }
    return s;
  }

  /** The same, three loops deep, with the offset read by a helper call. */
  @Differentiable
  public static double deepBlocks(double[] p, int n) {
    double s = 0;
    for (int a = 0; a < n; a++) {
      int outer = 4 * a;
      for (int b = 0; b < 2; b++) {
        int inner = outer + 2 * b;
        for (int i = 0; i < 2; i++) {
          int at = inner + i;
          s += Math.sin(p[at]) * pick(p, new int[] {at});
        }
      }
    }
    return s;
  }

  /** A guard returning a constant gave NaN in reverse mode (0 times the infinite sqrt'(0)). */
  @Differentiable
  public static double radius(double x, double y) {
    double r = Math.sqrt(x * x + y * y);
    if (r < 1e-12) return 0;
    return r;
  }

  /** The same for a division by zero in the branch not taken, in a loop. */
  @Differentiable
  public static double safeRatios(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double q = x[i] / y[i];
      if (y[i] != 0) s += q;
    }
    return s;
  }

  /** And for tensors. */
  @Differentiable
  public static Tensor tensorRadius(Tensor x) {
    Tensor r = x.mul(x).sum().sqrt();
    if (r.item() < 1e-12) return Tensor.scalar(0);
    return r;
  }

  /** Arrays.fill and System.arraycopy are loops: derivatives follow what they move. */
  @Differentiable
  public static double filledAndCopied(double[] x, double a) {
    double[] y = new double[x.length + 2];
    java.util.Arrays.fill(y, a);
    System.arraycopy(x, 0, y, 1, x.length);
    System.arraycopy(y, 0, y, 2, 3); // overlapping: as if through a temporary
    java.util.Arrays.fill(y, 0, 1, a * a);
    double s = 0;
    for (int i = 0; i < y.length; i++) s += y[i] * (i + 1);
    return s;
  }

  /** Objects made and read, but not differentiated: a seeded generator, a list of weights. */
  @Differentiable
  public static double withHelperObjects(double x, @NoDerivative java.util.List<Double> weights,
      long seed) {
    java.util.Random random = new java.util.Random(seed);
    double noise = random.nextGaussian();
    java.util.List<Double> seen = new java.util.ArrayList<>();
    double s = 0;
    for (int i = 0; i < weights.size(); i++) {
      s += weights.get(i) * Math.pow(x, i);
      seen.add(s);
    }
    return s + noise * x;
  }

  /**
   * Fuzzer F6: linear in {@code x} (its Hessian block is zero), and a {@code cat} whose
   * operands' second-order tangents are null at run time.
   */
  @Differentiable
  public static Tensor linearAndCat(Tensor x, Tensor y) {
    Tensor m = y.max(-1, false).sin();
    Tensor c = Tensor.cat(0, m.abs(), m);
    return c.sum().add(x.sum()).add(y.mul(y).sum());
  }

  /** Fuzzer: toDoubleArray read inside a function differentiated to third order. */
  @Differentiable
  public static double readBack(Tensor x) {
    double[] v = x.mul(x).toDoubleArray();
    return v[0] * v[1] + x.sum().item();
  }

  /** The slope of {@link #readBack} along v: its Hessian-vector product is third order. */
  @Differentiable
  public static double readBackSlope(Tensor x, @NoDerivative Tensor v) {
    return RegressionsDerivatives.readBackGrad(x).mul(v).sum().item();
  }

  /**
   * Fuzzer (seed 20261203, S5371): two loops in a row overwrite a parameter that an earlier
   * rule reads in the reverse sweep; each loop restores its own saved value.
   */
  @Differentiable
  public static double twoLoopsOverwrite(double x, int n) {
    double[] w = {1.0, 1.0, 1.0, x};
    w[n % 4] = Math.sin(x);
    java.util.Arrays.fill(w, pickIfLong(w, 0));
    int k = 0;
    while (k < 1) {
      k++;
      x = 1.0;
    }
    for (int i = 0; i < n; i += 2) {
      x = 1.0;
    }
    return pickIfLong(w, k);
  }

  @Differentiable
  static double pickIfLong(double[] p, int off) {
    if (2 % p.length >= 1) return p[off];
    return 1.0;
  }

  /**
   * Fuzzer (seed 20261202, S129, F8): a record-valued helper whose reverse mode runs a loop
   * backwards, under a gradient, under a JVP, reversed at third order. The JVP of its VJP cannot
   * be reversed itself, so the caller reverses it through its forward mode, one pass per number
   * of the record cotangent.
   */
  public record Looped(double a, double b, int k, String tag) {}

  @Differentiable
  public static Looped looped(double x, double y) {
    for (int i = 0; i < y; i += 2) {
      x = x * (i + 1.5);
    }
    return new Looped(x * y, x + y, 3, "t");
  }

  @Differentiable
  public static double loopedHelper(double x) {
    return looped(x, 3.0).a() * x * x * x * x; // a polynomial: no Math rule runs out of orders
  }

  @Differentiable
  public static double loopedGradTimes(double x) {
    return RegressionsDerivatives.loopedHelperGrad(x) * x;
  }

  @Differentiable
  public static double loopedSlope(double x) {
    return RegressionsDerivatives.loopedGradTimesJvp(x, 1.0).tangent();
  }

  /**
   * Fuzzer (seed 20261205, S12181): pow's derivative in its base is 0 at exponent 0, but its
   * own derivative in the exponent there is not (a mixed second derivative, a^-1).
   */
  @Differentiable
  public static double powOfGap(double a, double b) {
    return Math.pow(b, a - b);
  }

  @Differentiable
  public static double powSlopeOnDiagonal(double x) {
    return RegressionsDerivatives.powOfGapGrad(x, x).a(); // b^0 ln b = ln x
  }

  /**
   * Fuzzer (seed 8484, S851): a split call whose value never reaches the result is rewound
   * past; its callee had marked the tape for a call of its own and left that mark open, so
   * the rewind stopped at it and the caller then popped the callee's residual as its own x1.
   */
  @Differentiable
  public static double innerMarkHelper(double x) {
    return Math.tanh(x);
  }

  @Differentiable
  public static double innerMarkCallee(double a, double b) {
    double u = innerMarkHelper(b);
    double[] w = new double[3];
    java.util.Arrays.fill(w, innerMarkHelper(a));
    return w[2] + u;
  }

  @Differentiable
  public static double unreachedCallWithInnerMark(double x0, double x1) {
    double v = x0;
    x1 *= x1;
    v = innerMarkCallee(1.0, v);
    v = x1;
    return v;
  }
}
