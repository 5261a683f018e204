package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;

/**
 * Constructs users write that were refused before: switch (statements, arrows, expressions,
 * fall-through, strings and enums), throw and assert for argument checks, ++ and assignments
 * inside expressions, a ternary choosing records, fields of plain objects, boxed locals.
 */
public final class Constructs {
  private Constructs() {}

  /** An activation chosen by name or by enum. */
  public enum Kind { SQUARE, SINE, CUBE }

  /** A plain (non-record) class with settings, read but not differentiated. */
  public static final class Settings {
    final double scale;
    final int power;

    public Settings(double scale, int power) {
      this.scale = scale;
      this.power = power;
    }
  }

  /** A record, chosen by a ternary. */
  public record Pair(double a, double b) {}

  @Differentiable
  @SuppressWarnings("fallthrough") // on purpose: case 1 falls into case 2
  public static double classicSwitch(double x, int k) {
    double s = 0;
    switch (k) {
      case 0:
        s = x * x;
        break;
      case 1:
        s = Math.sin(x);
        // falls through
      case 2:
        s += 2 * x;
        break;
      default:
        s = x * x * x;
    }
    return s;
  }

  @Differentiable
  public static double arrowSwitch(double x, @NoDerivative String name, @NoDerivative Kind kind) {
    double y = 0;
    switch (name) {
      case "square" -> y = x * x;
      case "sine" -> {
        y = Math.sin(x);
        y = y * y;
      }
      default -> y = x;
    }
    double z = switch (kind) {
      case SQUARE -> x * x;
      case SINE -> Math.sin(x);
      case CUBE -> {
        double c = x * x;
        yield c * x;
      }
    };
    return y + z;
  }

  /** break and continue inside a switch inside a loop. */
  @Differentiable
  public static double switchInLoop(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      switch (i % 3) {
        case 0:
          continue;
        case 1:
          s += x[i] * x[i];
          break;
        default:
          s += Math.exp(x[i] / 4);
      }
      s *= 1.5;
    }
    return s;
  }

  /** Argument checks: derivatives check them too. */
  @Differentiable
  public static double checked(double x, int n) {
    if (n < 0) throw new IllegalArgumentException("n must not be negative, got " + n);
    assert x == x : "x is NaN";
    double s = 0;
    for (int i = 0; i < n; i++) s += Math.pow(x, i);
    return s;
  }

  /** ++ and assignments inside expressions; a ternary choosing records. */
  @Differentiable
  public static double incrementsAndChains(double[] x, double y) {
    double[] w = new double[x.length];
    int i = 0;
    while (i < x.length) {
      int at = i;
      w[i++] = x[at] * y;
    }
    double a;
    double b;
    a = b = y * y;
    double s = 0;
    int k = 0;
    s += w[k++] * (a += 1);
    s += w[k] * b;
    Pair p = y > 0 ? new Pair(y, a) : new Pair(a, y);
    return s + p.a() * p.b() + (k == 1 ? w[--k] : 0);
  }

  /** A field of a settings object, a boxed local, a tensor or none by a ternary. */
  @Differentiable
  public static double settingsAndBoxes(double x, @NoDerivative Settings settings) {
    Double boxed = x * settings.scale;
    double s = 0;
    for (int i = 0; i < settings.power; i++) s += boxed * x;
    return s;
  }

  @Differentiable
  public static Tensor optionalScale(Tensor x, Tensor scale) {
    Tensor s = scale == null ? null : scale.mul(2);
    Tensor y = s == null ? x : x.mul(s);
    return y.mul(y).sum();
  }

  /** Arrays into tensors and back. */
  @Differentiable
  public static double arraysAndTensors(double[] data, Tensor w) {
    Tensor x = Tensor.of(data, 2, 2);
    double[] y = x.matmul(w).tanh().toDoubleArray();
    return y[0] * y[3] + y[1];
  }
}
