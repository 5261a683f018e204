package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;
import static dev.adjoint.tests.Check.close;

import dev.adjoint.ad.GradCheck;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import dev.adjoint.tests.corpus.Residuals;
import dev.adjoint.tests.corpus.Residuals.Rnn;
import dev.adjoint.tests.corpus.ResidualsDerivatives;
import dev.adjoint.tests.corpus.Residuals_RnnDerivatives;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reverse mode keeping residuals (the default) against recomputing checkpointed callees, and
 * both against finite differences.
 */
class ResidualsTest {
  private static void same(double[] a, double[] b, String what) {
    if (GradCheck.maxError(a, b) > 1e-13) {
      throw new AssertionError(what + ": " + java.util.Arrays.toString(a) + " vs "
          + java.util.Arrays.toString(b));
    }
  }

  @Test
  void helpersInALoopThreeDeep() {
    double[] x = {0.3, -0.7, 1.1, 0.4, -0.2};
    same(ResidualsDerivatives.inLoopGrad(x), ResidualsDerivatives.inLoopRecomputedGrad(x),
        "residuals vs recomputation");
    Case.of("inLoop", Residuals::inLoop)
        .grad(ResidualsDerivatives::inLoopGrad)
        .jvp((p, t) -> v(ResidualsDerivatives.inLoopJvp(p, t).tangent()))
        .vjp((p, u) -> ResidualsDerivatives.inLoopVjp(p, u[0]))
        .hvp(ResidualsDerivatives::inLoopHvp)
        .check(x);
    var d = ResidualsDerivatives.deepGrad(0.4, 0.9);
    var r = ResidualsDerivatives.deepRecomputedGrad(0.4, 0.9);
    same(v(d.a(), d.b()), v(r.a(), r.b()), "deep");
  }

  @Test
  void recordsAndArraysAtOffsets() {
    double[] w = {0.5, -0.3, 1.2, 0.1, -0.8, 0.4};
    same(ResidualsDerivatives.unrolledGrad(w, 7), ResidualsDerivatives.unrolledRecomputedGrad(w,
        7), "residuals vs recomputation");
    Case.of("unrolled", p -> Residuals.unrolled(p, 7))
        .grad(p -> ResidualsDerivatives.unrolledGrad(p, 7))
        .jvp((p, t) -> v(ResidualsDerivatives.unrolledJvp(p, 7, t).tangent()))
        .vjp((p, u) -> ResidualsDerivatives.unrolledVjp(p, 7, u[0]))
        .hvp((p, t) -> ResidualsDerivatives.unrolledHvp(p, 7, t))
        .check(w);
  }

  @Test
  void recursion() {
    for (double x : new double[] {0.6, -1.1}) {
      Case.of("recursive", p -> Residuals.recursive(p[0], 4))
          .grad(p -> v(ResidualsDerivatives.recursiveGrad(p[0], 4)))
          .hvp((p, t) -> v(ResidualsDerivatives.recursiveHvp(p[0], 4, t[0])))
          .check(v(x));
    }
  }

  @Test
  void aSplitCallThatReachesTheResultOnlySometimes() {
    // d/dx of |x|^(1/2) x is 1.5 |x|^(1/2); where x == 0 the branch adds x itself: 1
    double[] x = {0.5, 0, 2, -0.7, 0, 1.5};
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) expected[i] = x[i] == 0 ? 1 : 1.5 * Math.sqrt(Math.abs(x[i]));
    same(ResidualsDerivatives.sometimesGrad(x), expected, "closed form");
    double[] u = ResidualsDerivatives.sometimesVjp(x, 2.5);
    for (int i = 0; i < x.length; i++) expected[i] *= 2.5;
    same(u, expected, "VJP, cotangent 2.5");
  }

  @Test
  void recursionOverAnArray() {
    double[] a = {0.3, -0.8, 0.55, 1.2};
    Case.of("orderings", p -> Residuals.orderings(p, 0, 0))
        .grad(p -> ResidualsDerivatives.orderingsGrad(p, 0, 0))
        .vjp((p, w) -> ResidualsDerivatives.orderingsVjp(p, 0, 0, w[0]))
        .jvp((p, t) -> v(ResidualsDerivatives.orderingsJvp(p, 0, 0, t).tangent()))
        .hvp((p, t) -> ResidualsDerivatives.orderingsHvp(p, 0, 0, t))
        .check(a);
  }

  @Test
  void tensorsInARecurrentLoop() {
    Random random = new Random(3);
    Rnn rnn = new Rnn(Tensor.randn(DType.FLOAT64, random, 3, 4).mul(0.5),
        Tensor.randn(DType.FLOAT64, random, 4, 4).mul(0.5));
    Tensor xs = Tensor.randn(DType.FLOAT64, random, 6, 2, 3);
    Rnn g = Residuals_RnnDerivatives.lossGrad(rnn, xs);
    Rnn r = Residuals_RnnDerivatives.lossRecomputedGrad(rnn, xs);
    same(g.wx().toDoubleArray(), r.wx().toDoubleArray(), "wx");
    same(g.wh().toDoubleArray(), r.wh().toDoubleArray(), "wh");
    double[] wh = rnn.wh().toDoubleArray();
    GradCheck.checkGradient(p -> new Rnn(rnn.wx(), Tensor.of(p, 4, 4)).loss(xs).item(),
        p -> Residuals_RnnDerivatives.lossGrad(new Rnn(rnn.wx(), Tensor.of(p, 4, 4)), xs).wh()
            .toDoubleArray(), wh, Check.FD);
    close(0, 0, 0, "");
  }
}
