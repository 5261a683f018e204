package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import java.util.List;
import java.util.function.Supplier;

/**
 * GradBench's {@code saddle}: min over p1 of max over p2 of f(p1, p2) = |p1|^2 - |p2|^2, both by
 * GradBench's gradient descent ({@code cpp/gradbench/gd.hpp}: a step that doubles after ten
 * accepted steps and halves on a rejected one), from the same start. The inner maximum is a
 * {@code @Differentiable} method containing the inner descent, whose gradient comes from
 * {@code fGrad} (reverse) or {@code fJvp} (forward); the outer descent takes the gradient of that
 * method, in reverse ({@code innerMaxRGrad}) or forward mode: nested AD, four ways.
 */
public final class Saddle implements Eval {
  @Differentiable
  public static double f(double x1, double y1, double x2, double y2) {
    return (x1 * x1 + y1 * y1) - (x2 * x2 + y2 * y2);
  }

  /** max over (x2, y2) of f(x1, y1, x2, y2), inner gradients by reverse mode. */
  @Differentiable
  public static double innerMaxR(double x1, double y1, @NoDerivative double s0,
      @NoDerivative double s1) {
    double x = s0;
    double y = s1;
    double fx = -f(x1, y1, x, y);
    SaddleDerivatives.FGrad g = SaddleDerivatives.fGrad(x1, y1, x, y);
    double gx = -g.x2();
    double gy = -g.y2();
    int i = 0;
    double eta = 1e-5;
    while (Math.sqrt(gx * gx + gy * gy) > 1e-5) {
      if (i == 10) {
        eta *= 2;
        i = 0;
      } else {
        double xp = x - eta * gx;
        double yp = y - eta * gy;
        if (Math.sqrt((x - xp) * (x - xp) + (y - yp) * (y - yp)) <= 1e-5) {
          break;
        }
        double fxp = -f(x1, y1, xp, yp);
        if (fxp < fx) {
          x = xp;
          y = yp;
          fx = fxp;
          g = SaddleDerivatives.fGrad(x1, y1, x, y);
          gx = -g.x2();
          gy = -g.y2();
          i++;
        } else {
          eta /= 2;
          i = 0;
        }
      }
    }
    return f(x1, y1, x, y);
  }

  /** The same with the inner gradient by forward mode, one JVP per coordinate. */
  @Differentiable
  public static double innerMaxF(double x1, double y1, @NoDerivative double s0,
      @NoDerivative double s1) {
    double x = s0;
    double y = s1;
    double fx = -f(x1, y1, x, y);
    double gx = -SaddleDerivatives.fJvp(x1, y1, x, y, 0, 0, 1, 0).tangent();
    double gy = -SaddleDerivatives.fJvp(x1, y1, x, y, 0, 0, 0, 1).tangent();
    int i = 0;
    double eta = 1e-5;
    while (Math.sqrt(gx * gx + gy * gy) > 1e-5) {
      if (i == 10) {
        eta *= 2;
        i = 0;
      } else {
        double xp = x - eta * gx;
        double yp = y - eta * gy;
        if (Math.sqrt((x - xp) * (x - xp) + (y - yp) * (y - yp)) <= 1e-5) {
          break;
        }
        double fxp = -f(x1, y1, xp, yp);
        if (fxp < fx) {
          x = xp;
          y = yp;
          fx = fxp;
          gx = -SaddleDerivatives.fJvp(x1, y1, x, y, 0, 0, 1, 0).tangent();
          gy = -SaddleDerivatives.fJvp(x1, y1, x, y, 0, 0, 0, 1).tangent();
          i++;
        } else {
          eta /= 2;
          i = 0;
        }
      }
    }
    return f(x1, y1, x, y);
  }

  /** The four variants: outer mode, then inner mode ({@code "fr"}: forward over reverse). */
  static double[] solve(String variant, double[] s) {
    boolean innerReverse = variant.charAt(1) == 'r';
    boolean outerReverse = variant.charAt(0) == 'r';
    GradientDescent.Cost outer = new GradientDescent.Cost() {
      @Override
      public double value(double[] p) {
        return innerReverse ? innerMaxR(p[0], p[1], s[0], s[1])
            : innerMaxF(p[0], p[1], s[0], s[1]);
      }

      @Override
      public double[] gradient(double[] p) {
        if (outerReverse) {
          if (innerReverse) {
            SaddleDerivatives.InnerMaxRGrad g =
                SaddleDerivatives.innerMaxRGrad(p[0], p[1], s[0], s[1]);
            return new double[] {g.x1(), g.y1()};
          }
          SaddleDerivatives.InnerMaxFGrad g =
              SaddleDerivatives.innerMaxFGrad(p[0], p[1], s[0], s[1]);
          return new double[] {g.x1(), g.y1()};
        }
        if (innerReverse) {
          return new double[] {
              SaddleDerivatives.innerMaxRJvp(p[0], p[1], s[0], s[1], 1, 0).tangent(),
              SaddleDerivatives.innerMaxRJvp(p[0], p[1], s[0], s[1], 0, 1).tangent()};
        }
        return new double[] {
            SaddleDerivatives.innerMaxFJvp(p[0], p[1], s[0], s[1], 1, 0).tangent(),
            SaddleDerivatives.innerMaxFJvp(p[0], p[1], s[0], s[1], 0, 1).tangent()};
      }
    };
    double[] r1 = GradientDescent.argmin(outer, s);
    // step 2: the argmax in p2 for the p1 found, with the outer mode's derivative of f
    GradientDescent.Cost inner = new GradientDescent.Cost() {
      @Override
      public double value(double[] p) {
        return -f(r1[0], r1[1], p[0], p[1]);
      }

      @Override
      public double[] gradient(double[] p) {
        if (outerReverse) {
          SaddleDerivatives.FGrad g = SaddleDerivatives.fGrad(r1[0], r1[1], p[0], p[1]);
          return new double[] {-g.x2(), -g.y2()};
        }
        return new double[] {
            -SaddleDerivatives.fJvp(r1[0], r1[1], p[0], p[1], 0, 0, 1, 0).tangent(),
            -SaddleDerivatives.fJvp(r1[0], r1[1], p[0], p[1], 0, 0, 0, 1).tangent()};
      }
    };
    double[] r2 = GradientDescent.argmin(inner, s);
    return new double[] {r1[0], r1[1], r2[0], r2[1]};
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    if (!List.of("rr", "rf", "fr", "ff").contains(function)) return null;
    double[] start = Json.doubles(Json.object(message).get("start"));
    return () -> solve(function, start);
  }
}
