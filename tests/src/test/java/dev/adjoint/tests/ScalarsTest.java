package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;
import static dev.adjoint.tests.Check.close;

import dev.adjoint.tests.corpus.Scalars;
import dev.adjoint.tests.corpus.ScalarsDerivatives;
import org.junit.jupiter.api.Test;

class ScalarsTest {
  @Test
  void rosenbrock2MatchesClosedFormAndChecks() {
    double x = -0.7;
    double y = 1.3;
    ScalarsDerivatives.Rosenbrock2Grad g = ScalarsDerivatives.rosenbrock2Grad(x, y);
    close(-2 * (1 - x) - 400 * x * (y - x * x), g.x(), 1e-14, "d/dx");
    close(200 * (y - x * x), g.y(), 1e-14, "d/dy");
    ScalarsDerivatives.Rosenbrock2Grad h = ScalarsDerivatives.rosenbrock2Hvp(x, y, 1, 0);
    close(2 - 400 * y + 1200 * x * x, h.x(), 1e-12, "d2/dx2");
    close(-400 * x, h.y(), 1e-12, "d2/dxdy");
    Case.of("rosenbrock2", p -> Scalars.rosenbrock2(p[0], p[1]))
        .grad(p -> pair(ScalarsDerivatives.rosenbrock2Grad(p[0], p[1])))
        .jvp((p, t) -> v(ScalarsDerivatives.rosenbrock2Jvp(p[0], p[1], t[0], t[1]).tangent()))
        .jvpValue(p -> ScalarsDerivatives.rosenbrock2Jvp(p[0], p[1], 0, 0).value())
        .vjp((p, u) -> pair(ScalarsDerivatives.rosenbrock2Vjp(p[0], p[1], u[0])))
        .hvp((p, t) -> pair(ScalarsDerivatives.rosenbrock2Hvp(p[0], p[1], t[0], t[1])))
        .valueAndGrad(p -> ScalarsDerivatives.rosenbrock2ValueAndGrad(p[0], p[1]).value())
        .check(v(-0.7, 1.3), v(1, 1), v(2.5, -0.3));
  }

  private static double[] pair(ScalarsDerivatives.Rosenbrock2Grad g) {
    return v(g.x(), g.y());
  }

  @Test
  void quotient() {
    Case.of("quotient", p -> Scalars.quotient(p[0], p[1]))
        .grad(p -> {
          var g = ScalarsDerivatives.quotientGrad(p[0], p[1]);
          return v(g.x(), g.y());
        })
        .jvp((p, t) -> v(ScalarsDerivatives.quotientJvp(p[0], p[1], t[0], t[1]).tangent()))
        .vjp((p, u) -> {
          var g = ScalarsDerivatives.quotientVjp(p[0], p[1], u[0]);
          return v(g.x(), g.y());
        })
        .hvp((p, t) -> {
          var g = ScalarsDerivatives.quotientHvp(p[0], p[1], t[0], t[1]);
          return v(g.x(), g.y());
        })
        .check(v(0.3, -2), v(-1.5, 0.5));
  }

  @Test
  void integerOperandsAreConstants() {
    Case.of("negAndMix", p -> Scalars.negAndMix(p[0], 3))
        .grad(p -> v(ScalarsDerivatives.negAndMixGrad(p[0], 3)))
        .jvp((p, t) -> v(ScalarsDerivatives.negAndMixJvp(p[0], 3, t[0]).tangent()))
        .vjp((p, u) -> v(ScalarsDerivatives.negAndMixVjp(p[0], 3, u[0])))
        .check(v(0.4), v(-2));
    close(-3 + 1.0 / 3 + 2, ScalarsDerivatives.negAndMixGrad(5, 3), 1e-15, "closed form");
  }

  @Test
  void reassignmentAndCompoundAssignment() {
    single("reassign", Scalars::reassign, ScalarsDerivatives::reassignGrad,
        ScalarsDerivatives::reassignHvp, (x, t) -> ScalarsDerivatives.reassignJvp(x, t).tangent(),
        ScalarsDerivatives::reassignVjp, 0.7, -1.3, 2.1);
  }

  @Test
  void varLocals() {
    single("usesVar", Scalars::usesVar, ScalarsDerivatives::usesVarGrad,
        ScalarsDerivatives::usesVarHvp, (x, t) -> ScalarsDerivatives.usesVarJvp(x, t).tangent(),
        ScalarsDerivatives::usesVarVjp, 0.7, -1.3);
    close(8 * 0.7, ScalarsDerivatives.usesVarGrad(0.7), 1e-15, "closed form");
  }

  @Test
  void ternaryFollowsTheBranchTaken() {
    Case.of("ternary", p -> Scalars.ternary(p[0], p[1]))
        .grad(p -> {
          var g = ScalarsDerivatives.ternaryGrad(p[0], p[1]);
          return v(g.x(), g.y());
        })
        .jvp((p, t) -> v(ScalarsDerivatives.ternaryJvp(p[0], p[1], t[0], t[1]).tangent()))
        .vjp((p, u) -> {
          var g = ScalarsDerivatives.ternaryVjp(p[0], p[1], u[0]);
          return v(g.x(), g.y());
        })
        .check(v(2, 1), v(-1, 3));
  }

  @Test
  void castToIntHasZeroDerivative() {
    // d/dx (floor(3x) x + floor(x) x) = floor(3x) + floor(x) away from the jumps
    double x = 1.37;
    close(Math.floor(3 * x) + Math.floor(x), ScalarsDerivatives.intCastGrad(x), 1e-15, "grad");
    close(Math.floor(3 * x) + Math.floor(x), ScalarsDerivatives.intCastJvp(x, 1).tangent(), 1e-15,
        "jvp");
    close(0, ScalarsDerivatives.intCastHvp(x, 1), 1e-15, "hvp");
  }

  @Test
  void floatsAgainstClosedForm() {
    float x = 0.6f;
    float y = -1.1f;
    var g = ScalarsDerivatives.floatsGrad(x, y);
    double z = x * (double) y + 2;
    double d = 1 + (double) y * y;
    close(2 * z * y / d, g.x(), 1e-5, "d/dx");
    close(2 * z * x / d - z * z * 2 * y / (d * d), g.y(), 1e-5, "d/dy");
    var t = ScalarsDerivatives.floatsJvp(x, y, 1f, 0f);
    close(g.x(), t.tangent(), 1e-6, "jvp x");
  }

  @Test
  void floatDoubleLongMixing() {
    double y = 0.8;
    long k = 3;
    // Finite differences of a float computation are noise at this step: closed forms only.
    var g = ScalarsDerivatives.mixedGrad(0.5f, y, k);
    // w = (float)(x y + x) => dw/dx = y + 1 (rounded to float), f = w k + x y
    close((y + 1) * k + y, g.x(), 1e-6, "closed form x");
    close(0.5 * k + 0.5, g.y(), 1e-6, "closed form y");
  }

  interface D1 {
    double apply(double x);
  }

  interface D2 {
    double apply(double x, double t);
  }

  /** The full check for a function of one double. */
  static void single(String name, D1 f, D1 grad, D2 hvp, D2 jvp, D2 vjp, double... points) {
    Case c = Case.of(name, p -> f.apply(p[0]))
        .grad(p -> v(grad.apply(p[0])))
        .jvp((p, t) -> v(jvp.apply(p[0], t[0])))
        .vjp((p, u) -> v(vjp.apply(p[0], u[0])))
        .hvp((p, t) -> v(hvp.apply(p[0], t[0])));
    for (double x : points) c.check(v(x));
  }
}
