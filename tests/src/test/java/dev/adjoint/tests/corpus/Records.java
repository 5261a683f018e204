package dev.adjoint.tests.corpus;

import dev.adjoint.Differentiable;

/** Records as models: gradients are the same record; other components are carried along. */
public final class Records {
  private Records() {}

  /** A tiny linear model with a label carried along. */
  public record Line(double slope, double intercept, String label, int id) {
    @Differentiable
    public double loss(double[] xs, double[] ys) {
      double s = 0;
      for (int i = 0; i < xs.length; i++) {
        double r = predict(xs[i]) - ys[i];
        s += r * r;
      }
      return s / xs.length;
    }

    @Differentiable
    public double predict(double x) {
      return slope * x + this.intercept;
    }
  }

  /** A record holding an array and a nested record. */
  public record Layer(double[] w, Bias bias) {}

  /** A nested record. */
  public record Bias(double b, double scale) {}

  @Differentiable
  public static double layerOut(Layer layer, double[] x) {
    double s = layer.bias().b();
    for (int i = 0; i < x.length; i++) {
      s += layer.w()[i] * x[i];
    }
    return Math.tanh(s) * layer.bias().scale();
  }

  @Differentiable
  public static Bias makeBias(double a, double b) {
    return new Bias(a * b, a - b);
  }

  @Differentiable
  public static double usesMadeRecord(double a, double b) {
    Bias bias = makeBias(a, b);
    Bias other = new Bias(bias.b() + 1, bias.scale());
    return other.b() * other.scale() + bias.b();
  }

  @Differentiable
  public static double fitStep(Line line, double x) {
    Line moved = new Line(line.slope() * 2, line.intercept(), line.label(), line.id());
    return moved.predict(x) * line.predict(x);
  }

  /** A record holding an array, made anew in each iteration of a loop. */
  public record Pair(double[] w, double s) {}

  @Differentiable
  public static Pair makePair(double a) {
    double[] w = {a, a * a};
    return new Pair(w, 3 * a);
  }

  @Differentiable
  public static double loopOfRecords(double[] xs) {
    double total = 0;
    for (int i = 0; i < xs.length; i++) {
      Pair p = makePair(xs[i]);
      total += p.w()[1] * p.s() + p.w()[0];
    }
    return total;
  }
}
