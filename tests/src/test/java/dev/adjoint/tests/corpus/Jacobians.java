package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;

/**
 * Functions whose generated {@code fJvpN}, {@code fJacobian} and {@code fHessian} the tests check
 * against central differences and the one-tangent JVP: every pair of input and result types
 * those are generated for, with loops, branches and calls between methods inside.
 */
public final class Jacobians {
  private Jacobians() {}

  /** double to double. */
  @Differentiable
  public static double wave(double x) {
    double s = 0;
    for (int k = 1; k <= 3; k++) s += Math.sin(k * x) / k;
    return x > 0 ? s * x : s - x * x * x;
  }

  /** float to float. */
  @Differentiable
  public static float waveF(float x) {
    float s = 0;
    for (int k = 1; k <= 3; k++) s += (float) Math.sin(k * x) / k;
    return x > 0 ? s * x : s - x * x * x;
  }

  /** double to double[]: a curve. */
  @Differentiable
  public static double[] curve(double t) {
    return new double[] {Math.cos(t), Math.sin(2 * t), t * t * Math.exp(-t)};
  }

  /** double[] to double, a loop with a branch and a helper. */
  @Differentiable
  public static double energy(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double xi = x[i];
      if (xi > 0.2) {
        s += pair(xi, x[(i + 1) % x.length]);
      } else {
        s += Math.exp(xi) * xi * xi;
      }
    }
    return Math.log1p(s * s);
  }

  /** float[] to float. */
  @Differentiable
  public static float energyF(float[] x) {
    float s = 0;
    for (int i = 0; i < x.length; i++) {
      float xi = x[i];
      s += xi > 0.2f ? xi * x[(i + 1) % x.length] : (float) Math.exp(xi) * xi;
    }
    return s * s;
  }

  @Differentiable
  static double pair(double a, double b) {
    return a * Math.cos(b) + Math.sqrt(1 + a * a * b * b);
  }

  /** double[] to a longer double[] (its Jacobian is taken forward), a non-differentiated scale. */
  @Differentiable
  public static double[] expand(double[] x, @NoDerivative double scale) {
    double[] y = new double[2 * x.length];
    for (int i = 0; i < x.length; i++) {
      y[2 * i] = scale * Math.tanh(x[i]);
      y[2 * i + 1] = x[i] * x[(i + 1) % x.length];
    }
    if (y[0] > 0) y[0] = y[0] * y[1];
    return y;
  }

  /** double[] to a shorter double[] (its Jacobian is taken in reverse). */
  @Differentiable
  public static double[] reduce(double[] x) {
    double[] y = new double[x.length / 3];
    for (int i = 0; i < y.length; i++) {
      double s = 0;
      for (int j = 3 * i; j < 3 * i + 3; j++) s += pair(x[j], x[(j + 1) % x.length]);
      y[i] = s;
    }
    return y;
  }

  /** float[] to float[]. */
  @Differentiable
  public static float[] squash(float[] x) {
    float[] y = new float[x.length + 1];
    float total = 0;
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i] / (1 + Math.abs(x[i]));
      total += x[i] * x[i];
    }
    y[x.length] = total;
    return y;
  }

  /** Tensor to Tensor, more outputs than inputs (forward). */
  @Differentiable
  public static Tensor outer(Tensor x) {
    return x.unsqueeze(1).matmul(x.unsqueeze(0)).tanh();
  }

  /** Tensor to Tensor, fewer outputs than inputs (reverse). */
  @Differentiable
  public static Tensor rowNorms(Tensor x) {
    return x.mul(x).sum(1, false).sqrt();
  }

  /** Tensor to a scalar tensor, with a tensor Hessian. */
  @Differentiable
  public static Tensor softNorm(Tensor x) {
    return x.mul(x).add(1).log().sum().add(x.sin().sum());
  }

  /** Several differentiated parameters of several types, and a record: fJvpN only. */
  public record Point(double x, double[] ys, int tag) {}

  @Differentiable
  public static double mixed(Point p, double a, float[] b) {
    double s = a * p.x();
    for (int i = 0; i < p.ys().length; i++) s += p.ys()[i] * b[i % b.length] + Math.sin(a * i);
    return s * s + p.tag();
  }

  /** Calls a gradient: its fJvpN is of third order. */
  @Differentiable
  public static double gradNorm(double[] x) {
    double[] g = JacobiansDerivatives.energyGrad(x);
    double s = 0;
    for (double gi : g) s += gi * gi;
    return s;
  }
}
