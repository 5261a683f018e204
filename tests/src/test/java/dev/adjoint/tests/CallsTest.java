package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;
import static dev.adjoint.tests.Check.close;
import static dev.adjoint.tests.ScalarsTest.single;

import dev.adjoint.tests.corpus.Calls;
import dev.adjoint.tests.corpus.CallsDerivatives;
import org.junit.jupiter.api.Test;

class CallsTest {
  @Test
  void callsAcrossClassesAndNesting() {
    Case.of("usesSquare", p -> Calls.usesSquare(p[0], p[1]))
        .grad(p -> {
          var g = CallsDerivatives.usesSquareGrad(p[0], p[1]);
          return v(g.x(), g.y());
        })
        .jvp((p, t) -> v(CallsDerivatives.usesSquareJvp(p[0], p[1], t[0], t[1]).tangent()))
        .vjp((p, u) -> {
          var g = CallsDerivatives.usesSquareVjp(p[0], p[1], u[0]);
          return v(g.x(), g.y());
        })
        .hvp((p, t) -> {
          var g = CallsDerivatives.usesSquareHvp(p[0], p[1], t[0], t[1]);
          return v(g.x(), g.y());
        })
        .check(v(0.5, -1.2), v(1.5, 0.7));
  }

  @Test
  void recursion() {
    for (int n = 1; n <= 5; n++) {
      int k = n;
      single("factorialLike" + n, x -> Calls.factorialLike(x, k),
          x -> CallsDerivatives.factorialLikeGrad(x, k),
          (x, t) -> CallsDerivatives.factorialLikeHvp(x, k, t),
          (x, t) -> CallsDerivatives.factorialLikeJvp(x, k, t).tangent(),
          (x, u) -> CallsDerivatives.factorialLikeVjp(x, k, u), 1.3, -0.4);
    }
  }

  @Test
  void arrayArgumentsToDifferentiableCalls() {
    Case.of("arrayCall", Calls::arrayCall)
        .grad(CallsDerivatives::arrayCallGrad)
        .jvp((x, t) -> v(CallsDerivatives.arrayCallJvp(x, t).tangent()))
        .vjp((x, u) -> CallsDerivatives.arrayCallVjp(x, u[0]))
        .hvp(CallsDerivatives::arrayCallHvp)
        .check(v(1, -2, 0.5));
    double[] x = {1, -2, 0.5};
    double[] g = CallsDerivatives.arrayCallGrad(x);
    for (int i = 0; i < 3; i++) close(4 * x[i], g[i], 1e-15, "closed form");
  }

  @Test
  void helpersAddIntoTheCallersAdjointArrays() {
    Case.of("dotsAtOffsets", Calls::dotsAtOffsets)
        .grad(CallsDerivatives::dotsAtOffsetsGrad)
        .jvp((x, t) -> v(CallsDerivatives.dotsAtOffsetsJvp(x, t).tangent()))
        .vjp((x, u) -> CallsDerivatives.dotsAtOffsetsVjp(x, u[0]))
        .hvp(CallsDerivatives::dotsAtOffsetsHvp)
        .check(v(1, -2, 0.5, 0.3, 1.7, -0.9, 2.2, 0.4, -1.1));
  }

  @Test
  void customRules() {
    double x = 0.7;
    double expected = 2 * 2 * x / (1 + Math.exp(-x * x));
    close(expected, CallsDerivatives.usesRuleGrad(x), 1e-14, "vjp rule");
    close(expected, CallsDerivatives.usesRuleJvp(x, 1).tangent(), 1e-14, "jvp rule");
    single("usesRule", Calls::usesRule, CallsDerivatives::usesRuleGrad,
        CallsDerivatives::usesRuleHvp, (y, t) -> CallsDerivatives.usesRuleJvp(y, t).tangent(),
        CallsDerivatives::usesRuleVjp, 0.7, -1.4);
  }

  @Test
  void wrtAndNoDerivativeNarrowTheGradient() {
    // onlyX: gradient is a double (one differentiated parameter), d/dx = y^2
    close(4.0, CallsDerivatives.onlyXGrad(0.5, 2.0), 0, "onlyX");
    close(2 * Math.cos(0.3), CallsDerivatives.noDerivativeGrad(0.3, 2.0), 1e-15, "noDerivative");
    double x = 0.4;
    double y = -1.1;
    var g = CallsDerivatives.callsNarrowedGrad(x, y);
    close(9 * y, g.x(), 1e-14, "x");
    close(9 * x + 2 * Math.cos(y), g.y(), 1e-14, "y");
  }

  @Test
  void strictMathUsesTheSameRules() {
    single("viaStrictMath", Calls::viaStrictMath, CallsDerivatives::viaStrictMathGrad,
        CallsDerivatives::viaStrictMathHvp,
        (y, t) -> CallsDerivatives.viaStrictMathJvp(y, t).tangent(),
        CallsDerivatives::viaStrictMathVjp, 0.3, 2.0);
  }

  @Test
  void overloadsGetNumberedGradientRecords() {
    CallsDerivatives.SumGrad two = CallsDerivatives.sumGrad(2, 3);
    CallsDerivatives.SumGrad2 three = CallsDerivatives.sumGrad(2, 3, 5);
    close(3, two.x(), 0, "d/dx x y + y");
    close(3, two.y(), 0, "d/dy x y + y");
    close(15, three.x(), 0, "d/dx x y z");
    close(10, three.y(), 0, "d/dy x y z");
    close(6, three.z(), 0, "d/dz x y z");
  }
}
