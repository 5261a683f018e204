package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;
import static dev.adjoint.tests.Check.close;
import static dev.adjoint.tests.ScalarsTest.single;

import dev.adjoint.tests.corpus.HigherOrder;
import dev.adjoint.tests.corpus.HigherOrderDerivatives;
import org.junit.jupiter.api.Test;

class HigherOrderTest {
  private static double d1(double x) {
    return 2 * x * Math.sin(x) + x * x * Math.cos(x);
  }

  private static double d2(double x) {
    return 2 * Math.sin(x) + 4 * x * Math.cos(x) - x * x * Math.sin(x);
  }

  private static double d3(double x) {
    return 6 * Math.cos(x) - 6 * x * Math.sin(x) - x * x * Math.cos(x);
  }

  private static double d4(double x) {
    return -12 * Math.sin(x) - 8 * x * Math.cos(x) + x * x * Math.sin(x);
  }

  @Test
  void derivativesOfEveryOrderAgainstClosedForms() {
    for (double x : new double[] {0.3, -1.7, 2.4}) {
      close(d1(x), HigherOrderDerivatives.fGrad(x), 1e-14, "f'");
      close(d2(x), HigherOrderDerivatives.fHvp(x, 1), 1e-13, "f'' (hvp)");
      close(d2(x), HigherOrderDerivatives.dfGrad(x), 1e-13, "f'' (grad of grad)");
      close(d2(x), HigherOrderDerivatives.dfJvp(x, 1).tangent(), 1e-13, "f'' (jvp of grad)");
      close(d3(x), HigherOrderDerivatives.d2fGrad(x), 1e-12, "f''' (grad of grad of grad)");
      close(d3(x), HigherOrderDerivatives.dfHvp(x, 1), 1e-12, "f''' (hvp of grad)");
      close(d4(x), HigherOrderDerivatives.d2fHvp(x, 1), 1e-11, "f'''' (hvp of grad of grad)");
    }
    single("df", HigherOrder::df, HigherOrderDerivatives::dfGrad, HigherOrderDerivatives::dfHvp,
        (x, t) -> HigherOrderDerivatives.dfJvp(x, t).tangent(), HigherOrderDerivatives::dfVjp,
        0.3, -1.7);
  }

  @Test
  void gradientPenalty() {
    Case.of("gradPenalty", p -> HigherOrder.gradPenalty(p[0], p[1]))
        .grad(p -> {
          var g = HigherOrderDerivatives.gradPenaltyGrad(p[0], p[1]);
          return v(g.x(), g.y());
        })
        .jvp((p, t) -> v(HigherOrderDerivatives.gradPenaltyJvp(p[0], p[1], t[0], t[1])
            .tangent()))
        .vjp((p, u) -> {
          var g = HigherOrderDerivatives.gradPenaltyVjp(p[0], p[1], u[0]);
          return v(g.x(), g.y());
        })
        .hvp((p, t) -> {
          var g = HigherOrderDerivatives.gradPenaltyHvp(p[0], p[1], t[0], t[1]);
          return v(g.x(), g.y());
        })
        .check(v(0.3, -0.5), v(0.8, 0.6));
    // The penalty's gradient is 2 H g, with H g from g's own Hessian-vector product.
    double x = 0.3;
    double y = -0.5;
    var grad = HigherOrderDerivatives.gGrad(x, y);
    var hg = HigherOrderDerivatives.gHvp(x, y, grad.x(), grad.y());
    var p = HigherOrderDerivatives.gradPenaltyGrad(x, y);
    close(2 * hg.x(), p.x(), 1e-12, "2 H g, x");
    close(2 * hg.y(), p.y(), 1e-12, "2 H g, y");
  }

  @Test
  void jvpInsideADifferentiableMethod() {
    single("jvpInside", HigherOrder::jvpInside, HigherOrderDerivatives::jvpInsideGrad,
        HigherOrderDerivatives::jvpInsideHvp,
        (x, t) -> HigherOrderDerivatives.jvpInsideJvp(x, t).tangent(),
        HigherOrderDerivatives::jvpInsideVjp, 0.3, -1.1);
    double x = 0.9;
    close(d1(x) + x * d2(x), HigherOrderDerivatives.jvpInsideGrad(x), 1e-13, "closed form");
  }

  @Test
  void gradientsInsideLoopsOverArrays() {
    Case.of("sumOfSlopes", HigherOrder::sumOfSlopes)
        .grad(HigherOrderDerivatives::sumOfSlopesGrad)
        .jvp((x, t) -> v(HigherOrderDerivatives.sumOfSlopesJvp(x, t).tangent()))
        .vjp((x, u) -> HigherOrderDerivatives.sumOfSlopesVjp(x, u[0]))
        .hvp(HigherOrderDerivatives::sumOfSlopesHvp)
        .check(v(0.4, -1.3, 2.2));
  }
}
