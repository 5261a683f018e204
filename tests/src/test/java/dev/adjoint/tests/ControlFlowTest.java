package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;
import static dev.adjoint.tests.Check.close;
import static dev.adjoint.tests.ScalarsTest.single;

import dev.adjoint.tests.corpus.ControlFlow;
import dev.adjoint.tests.corpus.ControlFlowDerivatives;
import org.junit.jupiter.api.Test;

class ControlFlowTest {
  @Test
  void ifElseChains() {
    single("piecewise", ControlFlow::piecewise, ControlFlowDerivatives::piecewiseGrad,
        ControlFlowDerivatives::piecewiseHvp,
        (x, t) -> ControlFlowDerivatives.piecewiseJvp(x, t).tangent(),
        ControlFlowDerivatives::piecewiseVjp, -1.5, 0.4, 3.2);
  }

  @Test
  void forLoopAgainstClosedForm() {
    for (int n = 0; n < 6; n++) {
      double x = 1.3;
      int k = n;
      close(n * Math.pow(x, n - 1), ControlFlowDerivatives.powerGrad(x, n), 1e-13, "n=" + n);
      close(n * (n - 1) * Math.pow(x, n - 2), ControlFlowDerivatives.powerHvp(x, n, 1), 1e-12,
          "second n=" + n);
      single("power" + n, y -> ControlFlow.power(y, k), y -> ControlFlowDerivatives.powerGrad(y, k),
          (y, t) -> ControlFlowDerivatives.powerHvp(y, k, t),
          (y, t) -> ControlFlowDerivatives.powerJvp(y, k, t).tangent(),
          (y, u) -> ControlFlowDerivatives.powerVjp(y, k, u), 0.7, -1.1);
    }
  }

  @Test
  void dataDependentWhileLoop() {
    single("halveUntilSmall", ControlFlow::halveUntilSmall,
        ControlFlowDerivatives::halveUntilSmallGrad, ControlFlowDerivatives::halveUntilSmallHvp,
        (x, t) -> ControlFlowDerivatives.halveUntilSmallJvp(x, t).tangent(),
        ControlFlowDerivatives::halveUntilSmallVjp, 3.3, -7.1, 0.05);
  }

  @Test
  void doWhile() {
    single("doLoop", ControlFlow::doLoop, ControlFlowDerivatives::doLoopGrad,
        ControlFlowDerivatives::doLoopHvp,
        (x, t) -> ControlFlowDerivatives.doLoopJvp(x, t).tangent(),
        ControlFlowDerivatives::doLoopVjp, 0.3, 1.7);
  }

  @Test
  void earlyReturns() {
    single("earlyReturn", ControlFlow::earlyReturn, ControlFlowDerivatives::earlyReturnGrad,
        ControlFlowDerivatives::earlyReturnHvp,
        (x, t) -> ControlFlowDerivatives.earlyReturnJvp(x, t).tangent(),
        ControlFlowDerivatives::earlyReturnVjp, 2.5, 0.9, -0.3, 0.01);
  }

  @Test
  void breakAndContinue() {
    single("breakAndContinue", ControlFlow::breakAndContinue,
        ControlFlowDerivatives::breakAndContinueGrad, ControlFlowDerivatives::breakAndContinueHvp,
        (x, t) -> ControlFlowDerivatives.breakAndContinueJvp(x, t).tangent(),
        ControlFlowDerivatives::breakAndContinueVjp, 0.2, 0.05, 1.1);
  }

  @Test
  void labelledBreakAndContinue() {
    single("labelledBreak", ControlFlow::labelledBreak, ControlFlowDerivatives::labelledBreakGrad,
        ControlFlowDerivatives::labelledBreakHvp,
        (x, t) -> ControlFlowDerivatives.labelledBreakJvp(x, t).tangent(),
        ControlFlowDerivatives::labelledBreakVjp, 0.3, 1.7, -0.9);
  }

  @Test
  void nestedLoops() {
    Case.of("nested", p -> ControlFlow.nested(p[0], p[1]))
        .grad(p -> {
          var g = ControlFlowDerivatives.nestedGrad(p[0], p[1]);
          return v(g.x(), g.y());
        })
        .jvp((p, t) -> v(ControlFlowDerivatives.nestedJvp(p[0], p[1], t[0], t[1]).tangent()))
        .vjp((p, u) -> {
          var g = ControlFlowDerivatives.nestedVjp(p[0], p[1], u[0]);
          return v(g.x(), g.y());
        })
        .hvp((p, t) -> {
          var g = ControlFlowDerivatives.nestedHvp(p[0], p[1], t[0], t[1]);
          return v(g.x(), g.y());
        })
        .check(v(0.8, 1.5), v(-1.2, 0.3));
  }

  @Test
  void shortCircuitConditions() {
    Case.of("shortCircuit", p -> ControlFlow.shortCircuit(p[0], p[1]))
        .grad(p -> {
          var g = ControlFlowDerivatives.shortCircuitGrad(p[0], p[1]);
          return v(g.x(), g.y());
        })
        .jvp((p, t) -> v(ControlFlowDerivatives.shortCircuitJvp(p[0], p[1], t[0], t[1])
            .tangent()))
        .vjp((p, u) -> {
          var g = ControlFlowDerivatives.shortCircuitVjp(p[0], p[1], u[0]);
          return v(g.x(), g.y());
        })
        .check(v(1, 3), v(1, 0.5), v(-1, -2), v(0.2, 0.1));
  }

  @Test
  void loopCarriedValuesAreRecordedNotRecomputed() {
    single("carried", ControlFlow::carried, ControlFlowDerivatives::carriedGrad,
        ControlFlowDerivatives::carriedHvp,
        (x, t) -> ControlFlowDerivatives.carriedJvp(x, t).tangent(),
        ControlFlowDerivatives::carriedVjp, 0.3, -0.8, 1.4);
  }

  @Test
  void perIterationValuesInBranches() {
    Case.of("localInBranch", ControlFlow::localInBranch)
        .grad(ControlFlowDerivatives::localInBranchGrad)
        .jvp((x, t) -> v(ControlFlowDerivatives.localInBranchJvp(x, t).tangent()))
        .vjp((x, u) -> ControlFlowDerivatives.localInBranchVjp(x, u[0]))
        .hvp(ControlFlowDerivatives::localInBranchHvp)
        .check(v(0.5, -0.2, 0.9, 0.05, -1.3));
  }
}
