package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import java.util.List;
import java.util.function.Supplier;

/**
 * GradBench's {@code particle} (Pearlmutter and Siskind's): a charged particle starts at (0, 8)
 * with velocity (0.75, 0) in the field of charges at (10, 10 - w) and (10, 0), integrated by
 * Euler steps until it crosses the x axis; the control w is chosen by GradBench's gradient
 * descent to make it cross at the origin. The force is the gradient of the potential, so the
 * objective holds a derivative, and the descent differentiates that objective: nested AD,
 * four ways (outer mode, then inner mode: {@code "fr"} is forward over reverse).
 */
public final class Particle implements Eval {
  /** The potential at (x, y) of the two charges. */
  @Differentiable
  public static double potential(double w, double x, double y) {
    double ax = x - 10;
    double ay = y - (10 - w);
    double bx = x - 10;
    double by = y;
    return 1 / Math.sqrt(ax * ax + ay * ay) + 1 / Math.sqrt(bx * bx + by * by);
  }

  /** The square of where the particle crosses the x axis; the force by reverse mode. */
  @Differentiable
  public static double naiveEulerR(double w) {
    double x = 0;
    double y = 8;
    double vx = 0.75;
    double vy = 0;
    double dt = 0.1;
    while (true) {
      ParticleDerivatives.PotentialGrad g = ParticleDerivatives.potentialGrad(w, x, y);
      double ax = -g.x();
      double ay = -g.y();
      x += dt * vx;
      y += dt * vy;
      if (y <= 0) {
        double dtf = -y / vy; // back along the last step to the axis
        double xf = x + dtf * vx;
        return xf * xf;
      }
      vx += dt * ax;
      vy += dt * ay;
    }
  }

  /** The same with the force by forward mode, one JVP per coordinate. */
  @Differentiable
  public static double naiveEulerF(double w) {
    double x = 0;
    double y = 8;
    double vx = 0.75;
    double vy = 0;
    double dt = 0.1;
    while (true) {
      double ax = -ParticleDerivatives.potentialJvp(w, x, y, 0, 1, 0).tangent();
      double ay = -ParticleDerivatives.potentialJvp(w, x, y, 0, 0, 1).tangent();
      x += dt * vx;
      y += dt * vy;
      if (y <= 0) {
        double dtf = -y / vy;
        double xf = x + dtf * vx;
        return xf * xf;
      }
      vx += dt * ax;
      vy += dt * ay;
    }
  }

  /** The control w that the descent finds from {@code w0}, in one of the four variants. */
  static double solve(String variant, double w0) {
    boolean outerReverse = variant.charAt(0) == 'r';
    boolean innerReverse = variant.charAt(1) == 'r';
    GradientDescent.Cost cost = new GradientDescent.Cost() {
      @Override
      public double value(double[] p) {
        return innerReverse ? naiveEulerR(p[0]) : naiveEulerF(p[0]);
      }

      @Override
      public double[] gradient(double[] p) {
        double g;
        if (outerReverse) {
          g = innerReverse ? ParticleDerivatives.naiveEulerRGrad(p[0])
              : ParticleDerivatives.naiveEulerFGrad(p[0]);
        } else {
          g = innerReverse ? ParticleDerivatives.naiveEulerRJvp(p[0], 1).tangent()
              : ParticleDerivatives.naiveEulerFJvp(p[0], 1).tangent();
        }
        return new double[] {g};
      }
    };
    return GradientDescent.argmin(cost, new double[] {w0})[0];
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    if (!List.of("rr", "rf", "fr", "ff").contains(function)) return null;
    double w0 = ((Number) Json.object(message).get("w")).doubleValue();
    return () -> solve(function, w0);
  }
}
