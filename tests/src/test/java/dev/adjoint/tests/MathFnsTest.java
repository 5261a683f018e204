package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;
import static dev.adjoint.tests.Check.close;
import static dev.adjoint.tests.ScalarsTest.single;

import dev.adjoint.tests.corpus.MathFns;
import dev.adjoint.tests.corpus.MathFnsDerivatives;
import org.junit.jupiter.api.Test;

class MathFnsTest {
  @Test
  void trig() {
    single("trig", MathFns::trig, MathFnsDerivatives::trigGrad, MathFnsDerivatives::trigHvp,
        (x, t) -> MathFnsDerivatives.trigJvp(x, t).tangent(), MathFnsDerivatives::trigVjp,
        0.3, -1.2, 2.0);
  }

  @Test
  void inverseTrig() {
    single("inverseTrig", MathFns::inverseTrig, MathFnsDerivatives::inverseTrigGrad,
        MathFnsDerivatives::inverseTrigHvp,
        (x, t) -> MathFnsDerivatives.inverseTrigJvp(x, t).tangent(),
        MathFnsDerivatives::inverseTrigVjp, 0.3, -1.2, 1.9);
  }

  @Test
  void atan2() {
    Case.of("atan2", p -> MathFns.atan2(p[0], p[1]))
        .grad(p -> {
          var g = MathFnsDerivatives.atan2Grad(p[0], p[1]);
          return v(g.y(), g.x());
        })
        .jvp((p, t) -> v(MathFnsDerivatives.atan2Jvp(p[0], p[1], t[0], t[1]).tangent()))
        .vjp((p, u) -> {
          var g = MathFnsDerivatives.atan2Vjp(p[0], p[1], u[0]);
          return v(g.y(), g.x());
        })
        .hvp((p, t) -> {
          var g = MathFnsDerivatives.atan2Hvp(p[0], p[1], t[0], t[1]);
          return v(g.y(), g.x());
        })
        .check(v(0.5, 1.5), v(-1, -0.3), v(2, -1));
  }

  @Test
  void hyperbolic() {
    single("hyperbolic", MathFns::hyperbolic, MathFnsDerivatives::hyperbolicGrad,
        MathFnsDerivatives::hyperbolicHvp,
        (x, t) -> MathFnsDerivatives.hyperbolicJvp(x, t).tangent(),
        MathFnsDerivatives::hyperbolicVjp, 0.3, -1.2);
  }

  @Test
  void exponentialsAndLogarithms() {
    single("exponentials", MathFns::exponentials, MathFnsDerivatives::exponentialsGrad,
        MathFnsDerivatives::exponentialsHvp,
        (x, t) -> MathFnsDerivatives.exponentialsJvp(x, t).tangent(),
        MathFnsDerivatives::exponentialsVjp, 0.3, -1.2, 2.2);
  }

  @Test
  void roots() {
    single("roots", MathFns::roots, MathFnsDerivatives::rootsGrad, MathFnsDerivatives::rootsHvp,
        (x, t) -> MathFnsDerivatives.rootsJvp(x, t).tangent(), MathFnsDerivatives::rootsVjp,
        0.3, -1.7, 8);
  }

  @Test
  void powAndHypot() {
    Case.of("powAndHypot", p -> MathFns.powAndHypot(p[0], p[1]))
        .grad(p -> {
          var g = MathFnsDerivatives.powAndHypotGrad(p[0], p[1]);
          return v(g.a(), g.b());
        })
        .jvp((p, t) -> v(MathFnsDerivatives.powAndHypotJvp(p[0], p[1], t[0], t[1]).tangent()))
        .vjp((p, u) -> {
          var g = MathFnsDerivatives.powAndHypotVjp(p[0], p[1], u[0]);
          return v(g.a(), g.b());
        })
        .hvp((p, t) -> {
          var g = MathFnsDerivatives.powAndHypotHvp(p[0], p[1], t[0], t[1]);
          return v(g.a(), g.b());
        })
        .check(v(1.5, 2.5), v(0.7, -1.3));
    // closed forms: d/da a^b = b a^(b-1); d/db a^b = a^b ln a
    var g = MathFnsDerivatives.powAndHypotGrad(2, 3);
    close(3 * 4 + 2 / Math.sqrt(13), g.a(), 1e-14, "d/da");
    close(8 * Math.log(2) + 3 / Math.sqrt(13), g.b(), 1e-14, "d/db");
    // a = 0, b > 0: the derivative in b is 0, not NaN
    close(1, MathFnsDerivatives.powAndHypotGrad(0, 2).b(), 0, "d/db at a = 0 (pow gives 0, hypot 1)");
  }

  @Test
  void absMaxMinFollowTheChosenArgument() {
    Case.of("absMaxMin", p -> MathFns.absMaxMin(p[0], p[1]))
        .grad(p -> {
          var g = MathFnsDerivatives.absMaxMinGrad(p[0], p[1]);
          return v(g.x(), g.y());
        })
        .jvp((p, t) -> v(MathFnsDerivatives.absMaxMinJvp(p[0], p[1], t[0], t[1]).tangent()))
        .vjp((p, u) -> {
          var g = MathFnsDerivatives.absMaxMinVjp(p[0], p[1], u[0]);
          return v(g.x(), g.y());
        })
        .check(v(1.5, 0.5), v(-0.7, 1.3), v(2, 3), v(-2, -3));
  }

  @Test
  void floatOverloads() {
    float x = -1.5f;
    float y = 0.5f;
    var g = MathFnsDerivatives.floatOverloadsGrad(x, y);
    // f = |x| max(x, y) + min(x, y) signum(y) = -x * y + x  (x < 0 < y, x < y)
    close(-y + 1, g.x(), 1e-7, "d/dx");
    close(-x, g.y(), 1e-7, "d/dy");
  }

  @Test
  void piecewiseConstantFunctionsHaveZeroDerivative() {
    double x = 2.3;
    close(Math.floor(x) + Math.round(x), MathFnsDerivatives.piecewiseConstantGrad(x), 0, "grad");
    close(0, MathFnsDerivatives.piecewiseConstantHvp(x, 1), 0, "hvp");
  }

  @Test
  void staticConstants() {
    close(Math.PI, MathFnsDerivatives.constantsGrad(0.3), 0, "pi");
  }
}
