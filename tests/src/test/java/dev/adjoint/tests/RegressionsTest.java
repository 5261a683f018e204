package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;
import static dev.adjoint.tests.Check.close;
import static dev.adjoint.tests.ScalarsTest.single;

import dev.adjoint.tensor.Tensor;
import dev.adjoint.tests.corpus.Regressions;
import dev.adjoint.tests.corpus.Regressions.Affine;
import dev.adjoint.tests.corpus.Regressions.FloatLayer;
import dev.adjoint.tests.corpus.Regressions.FloatNet;
import dev.adjoint.tests.corpus.Regressions.Layer;
import dev.adjoint.tests.corpus.Regressions.Net;
import dev.adjoint.tests.corpus.RegressionsDerivatives;
import dev.adjoint.tests.corpus.Regressions_AffineDerivatives;
import org.junit.jupiter.api.Test;

/** The bugs of issue 6, each against a closed form and an independent check. */
class RegressionsTest {
  private static Net net(double[] p) {
    return new Net(new Layer(new double[] {p[0], p[1]}, p[2]));
  }

  private static double[] flat(Net n) {
    return v(n.l().w()[0], n.l().w()[1], n.l().b());
  }

  @Test
  void arrayInsideARecordInsideARecord() {
    Net g = RegressionsDerivatives.nestedRecordArrayGrad(net(v(3, 2, 5)));
    close(6, g.l().w()[0], 0, "d/dw0");
    close(5, g.l().w()[1], 0, "d/dw1");
    close(2, g.l().b(), 0, "d/db");
    Case.of("nestedRecordArray", p -> Regressions.nestedRecordArray(net(p)))
        .grad(p -> flat(RegressionsDerivatives.nestedRecordArrayGrad(net(p))))
        .jvp((p, t) -> v(RegressionsDerivatives.nestedRecordArrayJvp(net(p), net(t)).tangent()))
        .vjp((p, u) -> flat(RegressionsDerivatives.nestedRecordArrayVjp(net(p), u[0])))
        .hvp((p, t) -> flat(RegressionsDerivatives.nestedRecordArrayHvp(net(p), net(t))))
        .check(v(3, 2, 5), v(-0.5, 1.5, 0.25));
    FloatNet fg = RegressionsDerivatives.nestedRecordFloatArrayGrad(
        new FloatNet(new FloatLayer(new float[] {3, 2}, 5)));
    close(6, fg.l().w()[0], 0, "float d/dw0");
    close(5, fg.l().w()[1], 0, "float d/dw1");
    close(2, fg.l().b(), 0, "float d/db");
  }

  @Test
  void powersAtZero() {
    // 1 - 2x + 3x^2 + x^3/2: f'(0) = -2, f''(0) = 6
    close(-2, RegressionsDerivatives.polynomialGrad(0), 1e-15, "f'(0)");
    close(6, RegressionsDerivatives.polynomialHvp(0, 1), 1e-15, "f''(0)");
    close(-2, RegressionsDerivatives.polynomialJvp(0, 1).tangent(), 1e-15, "jvp at 0");
    single("polynomial", Regressions::polynomial, RegressionsDerivatives::polynomialGrad,
        RegressionsDerivatives::polynomialHvp,
        (x, t) -> RegressionsDerivatives.polynomialJvp(x, t).tangent(),
        RegressionsDerivatives::polynomialVjp, 0.7, -1.3, 2);
    close(1, RegressionsDerivatives.unrelatedPowJvp(0.7, 1).tangent(), 0, "jvp");
    close(1, RegressionsDerivatives.unrelatedPowGrad(0.7), 0, "grad");
    close(2, RegressionsDerivatives.valueOfJvpHvp(0, 1), 0, "(x^2)'' at 0 through a JVP value");
    close(0, RegressionsDerivatives.squareHvp(0, 1) - 2, 0, "(x^2)'' at 0");
  }

  @Test
  void absHasDerivativeZeroAtZero() {
    close(1, RegressionsDerivatives.absAtZeroGrad(0), 0, "(|x| + x)' at 0");
    close(1, RegressionsDerivatives.absAtZeroJvp(0, 1).tangent(), 0, "jvp at 0");
    close(2, RegressionsDerivatives.absAtZeroGrad(0.5), 0, "at 0.5");
    close(0, RegressionsDerivatives.absAtZeroGrad(-0.5), 0, "at -0.5");
  }

  @Test
  void selfAssignmentKeepsTheGradient() {
    close(6, RegressionsDerivatives.selfAssignmentGrad(3), 0, "2x");
    single("selfAssignment", Regressions::selfAssignment,
        RegressionsDerivatives::selfAssignmentGrad, RegressionsDerivatives::selfAssignmentHvp,
        (x, t) -> RegressionsDerivatives.selfAssignmentJvp(x, t).tangent(),
        RegressionsDerivatives::selfAssignmentVjp, 3, -0.4);
  }

  @Test
  void floatFunctionsOfMathCompileAndAreRight() {
    for (float x : new float[] {0.5f, 1.5f}) {
      double d1 = 2 * Math.cos(2 * x) - Math.exp(-x) + 0.5 / Math.sqrt(x + 1);
      double d2 = -4 * Math.sin(2 * x) + Math.exp(-x) - 0.25 * Math.pow(x + 1, -1.5);
      close(d1, RegressionsDerivatives.floatMathGrad(x), 1e-6, "f'");
      close(d1, RegressionsDerivatives.floatMathJvp(x, 1f).tangent(), 1e-6, "jvp");
      close(d2, RegressionsDerivatives.floatMathHvp(x, 1f), 1e-5, "f''");
      // (1 + sin 2x) e^-x
      double c1 = 2 * Math.cos(2 * x) * Math.exp(-x) - (1 + Math.sin(2 * x)) * Math.exp(-x);
      close(c1, RegressionsDerivatives.floatCompoundGrad(x), 1e-6, "compound f'");
      close(c1, RegressionsDerivatives.floatCompoundJvp(x, 1f).tangent(), 1e-6, "compound jvp");
    }
  }

  @Test
  void typeParametersAreKept() {
    close(6, RegressionsDerivatives.taggedGrad(3, "k"), 0, "with a tag");
    close(1, RegressionsDerivatives.<String>taggedGrad(3, null), 0, "without");
  }

  @Test
  void arrayResultWithEarlyReturn() {
    close(4, RegressionsDerivatives.earlyArrayJvp(2, 1).tangent()[0], 0, "d r0 at 2");
    close(0, RegressionsDerivatives.earlyArrayJvp(2, 1).tangent()[1], 0, "d r1 at 2");
    close(3, RegressionsDerivatives.earlyArrayJvp(-2, 1).tangent()[1], 0, "d r1 at -2");
    close(4, RegressionsDerivatives.earlyArrayVjp(2, v(1, 1)), 0, "vjp at 2");
    close(3, RegressionsDerivatives.earlyArrayVjp(-2, v(1, 1)), 0, "vjp at -2");
  }

  @Test
  void varargsGradient() {
    double[] g = RegressionsDerivatives.sumOfSquaresGrad(1, 2, 3);
    close(2, g[0], 0, "d/dx0");
    close(6, g[2], 0, "d/dx2");
    close(14, RegressionsDerivatives.sumOfSquaresValueAndGrad(1, 2, 3).value(), 0, "value");
  }

  @Test
  void optionalTensorInAModel() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor w = Tensor.of(new double[] {0.5, -1, 2, 0.25}, 2, 2);
    Affine without = Regressions_AffineDerivatives.lossGrad(new Affine(w, null), x);
    if (without.b() != null) throw new AssertionError("gradient of an absent bias: " + without.b());
    // d/dw sum((x w)^2) = 2 x^T (x w)
    Tensor expected = x.transpose(0, 1).matmul(x.matmul(w)).mul(2);
    close(0, expected.sub(without.w()).abs().max().item(), 1e-12, "dw");
    Tensor b = Tensor.of(new double[] {1, -1}, 2);
    Affine with = Regressions_AffineDerivatives.lossGrad(new Affine(w, b), x);
    Tensor y = x.matmul(w).add(b);
    close(0, y.mul(2).sum(0, false).sub(with.b()).abs().max().item(), 1e-12, "db");
  }

  @Test
  void indexWrittenInALoopIsRestored() {
    double[] g = RegressionsDerivatives.indexBookkeepingGrad(v(3, 4, 5));
    // s = 1 * a[0] + 2 * a[1]
    close(1, g[0], 0, "d/da0");
    close(2, g[1], 0, "d/da1");
    close(0, g[2], 0, "d/da2");
    Case.of("indexBookkeeping", Regressions::indexBookkeeping)
        .grad(RegressionsDerivatives::indexBookkeepingGrad)
        .jvp((x, t) -> v(RegressionsDerivatives.indexBookkeepingJvp(x, t).tangent()))
        .vjp((x, u) -> RegressionsDerivatives.indexBookkeepingVjp(x, u[0]))
        .hvp(RegressionsDerivatives::indexBookkeepingHvp)
        .check(v(3, 4, 5));
  }

  @Test
  void valuesOfOuterLoopBodiesReachInnerLoops() {
    double[] g = RegressionsDerivatives.blocksGrad(v(1, 2, 3, 4));
    close(2, g[0], 0, "d/dp0");
    close(4, g[1], 0, "d/dp1");
    close(12, g[2], 0, "d/dp2");
    close(16, g[3], 0, "d/dp3");
    Case.of("blocks", Regressions::blocks)
        .grad(RegressionsDerivatives::blocksGrad)
        .jvp((x, t) -> v(RegressionsDerivatives.blocksJvp(x, t).tangent()))
        .vjp((x, u) -> RegressionsDerivatives.blocksVjp(x, u[0]))
        .hvp(RegressionsDerivatives::blocksHvp)
        .check(v(1, 2, 3, 4), v(-0.5, 0.3, 1.1, 2));
    double[] p = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
    double[] dg = RegressionsDerivatives.deepBlocksGrad(p, 2);
    for (int k = 0; k < p.length; k++) {
      close(Math.cos(p[k]) * p[k] + Math.sin(p[k]), dg[k], 1e-14, "deep d/dp" + k);
    }
    Case.of("deepBlocks", x -> Regressions.deepBlocks(x, 2))
        .grad(x -> RegressionsDerivatives.deepBlocksGrad(x, 2))
        .jvp((x, t) -> v(RegressionsDerivatives.deepBlocksJvp(x, 2, t).tangent()))
        .vjp((x, u) -> RegressionsDerivatives.deepBlocksVjp(x, 2, u[0]))
        .hvp((x, t) -> RegressionsDerivatives.deepBlocksHvp(x, 2, t))
        .check(p);
  }

  @Test
  void branchNotTakenGivesNoTerm() {
    var g = RegressionsDerivatives.radiusGrad(0, 0);
    close(0, g.x(), 0, "d/dx at the origin");
    close(0, g.y(), 0, "d/dy at the origin");
    var h = RegressionsDerivatives.radiusHvp(0, 0, 1, 1);
    close(0, h.x(), 0, "hvp at the origin");
    Case.of("radius", p -> Regressions.radius(p[0], p[1]))
        .grad(p -> {
          var d = RegressionsDerivatives.radiusGrad(p[0], p[1]);
          return v(d.x(), d.y());
        })
        .jvp((p, t) -> v(RegressionsDerivatives.radiusJvp(p[0], p[1], t[0], t[1]).tangent()))
        .vjp((p, u) -> {
          var d = RegressionsDerivatives.radiusVjp(p[0], p[1], u[0]);
          return v(d.x(), d.y());
        })
        .hvp((p, t) -> {
          var d = RegressionsDerivatives.radiusHvp(p[0], p[1], t[0], t[1]);
          return v(d.x(), d.y());
        })
        .check(v(0.3, -0.4), v(1, 2));
    var r = RegressionsDerivatives.safeRatiosGrad(v(1, 2), v(0, 4));
    close(0, r.x()[0], 0, "d/dx0 where y0 = 0");
    close(0.25, r.x()[1], 0, "d/dx1");
    close(0, r.y()[0], 0, "d/dy0 where y0 = 0");
    close(-2 / 16.0, r.y()[1], 0, "d/dy1");
    Tensor t = RegressionsDerivatives.tensorRadiusGrad(Tensor.zeros(dev.adjoint.tensor.DType.FLOAT64, 3));
    close(0, t.abs().sum().item(), 0, "tensor gradient at the origin");
    Tensor x = Tensor.of(new double[] {3, 4}, 2);
    Tensor tg = RegressionsDerivatives.tensorRadiusGrad(x);
    close(0.6, tg.get(0), 1e-15, "x / |x|");
  }

  @Test
  void arraysFillAndArraycopy() {
    // Java's own fill and arraycopy, as the reference for the values
    double[] x = {0.5, -1, 2};
    double a = 1.5;
    double[] y = new double[5];
    java.util.Arrays.fill(y, a);
    System.arraycopy(x, 0, y, 1, 3);
    System.arraycopy(y, 0, y, 2, 3);
    java.util.Arrays.fill(y, 0, 1, a * a);
    double s = 0;
    for (int i = 0; i < y.length; i++) s += y[i] * (i + 1);
    close(s, Regressions.filledAndCopied(x, a), 0, "value");
    Case.of("filledAndCopied", p -> Regressions.filledAndCopied(v(p[0], p[1], p[2]), p[3]))
        .grad(p -> {
          var g = RegressionsDerivatives.filledAndCopiedGrad(v(p[0], p[1], p[2]), p[3]);
          return v(g.x()[0], g.x()[1], g.x()[2], g.a());
        })
        .jvp((p, t) -> v(RegressionsDerivatives.filledAndCopiedJvp(v(p[0], p[1], p[2]), p[3],
            v(t[0], t[1], t[2]), t[3]).tangent()))
        .vjp((p, u) -> {
          var g = RegressionsDerivatives.filledAndCopiedVjp(v(p[0], p[1], p[2]), p[3], u[0]);
          return v(g.x()[0], g.x()[1], g.x()[2], g.a());
        })
        .hvp((p, t) -> {
          var g = RegressionsDerivatives.filledAndCopiedHvp(v(p[0], p[1], p[2]), p[3],
              v(t[0], t[1], t[2]), t[3]);
          return v(g.x()[0], g.x()[1], g.x()[2], g.a());
        })
        .check(v(0.5, -1, 2, 1.5));
  }

  @Test
  void objectsThatAreNotDifferentiated() {
    java.util.List<Double> w = java.util.List.of(0.5, -1.0, 2.0);
    double noise = new java.util.Random(7).nextGaussian();
    for (double x : new double[] {0.3, -1.2}) {
      close(-1 + 4 * x + noise, RegressionsDerivatives.withHelperObjectsGrad(x, w, 7), 1e-14,
          "closed form");
    }
    single("withHelperObjects", x -> Regressions.withHelperObjects(x, w, 7),
        x -> RegressionsDerivatives.withHelperObjectsGrad(x, w, 7),
        (x, t) -> RegressionsDerivatives.withHelperObjectsHvp(x, w, 7, t),
        (x, t) -> RegressionsDerivatives.withHelperObjectsJvp(x, w, 7, t).tangent(),
        (x, u) -> RegressionsDerivatives.withHelperObjectsVjp(x, w, 7, u), 0.3, -1.2);
  }

  @Test
  void hessianBlocksThatAreZeroAreZeroTensors() {
    Tensor x = Tensor.of(new double[] {0.3, -0.7}, 2);
    Tensor y = Tensor.of(new double[] {0.2, 0.9, -0.4, 0.5}, 2, 2);
    Tensor dx = Tensor.of(new double[] {1, 2}, 2);
    Tensor dy = Tensor.of(new double[] {0.5, -1, 0.25, 2}, 2, 2);
    RegressionsDerivatives.LinearAndCatGrad h =
        RegressionsDerivatives.linearAndCatHvp(x, y, dx, dy);
    // f is linear in x: its rows of the Hessian are zero, as a tensor of x's shape (not null)
    close(0, h.x().abs().sum().item(), 0, "Hx block");
    if (!java.util.Arrays.equals(h.x().shape(), x.shape())) throw new AssertionError("shape");
    // the y block against central differences of the gradient
    double e = 1e-6;
    double[] plus = RegressionsDerivatives.linearAndCatGrad(x, y.add(dy.mul(e))).y()
        .toDoubleArray();
    double[] minus = RegressionsDerivatives.linearAndCatGrad(x, y.sub(dy.mul(e))).y()
        .toDoubleArray();
    double[] hy = h.y().toDoubleArray();
    for (int i = 0; i < hy.length; i++) {
      close((plus[i] - minus[i]) / (2 * e), hy[i], 1e-6, "Hy[" + i + "]");
    }
  }

  @Test
  void toDoubleArrayAtThirdOrder() {
    // f = x0^2 x1^2 + x0 + x1
    Tensor x = Tensor.of(new double[] {0.6, -1.3}, 2);
    Tensor e0 = Tensor.of(new double[] {1, 0}, 2);
    Tensor e1 = Tensor.of(new double[] {0, 1}, 2);
    close(2 * 0.6 * 1.69 + 1, RegressionsDerivatives.readBackGrad(x).toDoubleArray()[0], 1e-12,
        "gradient");
    close(2 * 1.69, RegressionsDerivatives.readBackHvp(x, e0).toDoubleArray()[0], 1e-12,
        "Hessian");
    // slope along e0: g = 2 x0 x1^2 + 1, whose Hessian is [[0, 4 x1], [4 x1, 4 x0]]
    double[] t0 = RegressionsDerivatives.readBackSlopeHvp(x, e0, e0).toDoubleArray();
    double[] t1 = RegressionsDerivatives.readBackSlopeHvp(x, e0, e1).toDoubleArray();
    close(0, t0[0], 1e-12, "third derivative 000");
    close(4 * -1.3, t0[1], 1e-12, "third derivative 001");
    close(4 * -1.3, t1[0], 1e-12, "third derivative 010");
    close(4 * 0.6, t1[1], 1e-12, "third derivative 011");
  }

  @Test
  void twoLoopsOverwritingAParameter() {
    // f = sin(x) for n = 4: f' = cos(x), closed form and central differences
    for (double x : new double[] {0.9924, -0.4}) {
      close(Math.cos(x), RegressionsDerivatives.twoLoopsOverwriteGrad(x, 4),
          1e-14, "closed form");
    }
    single("twoLoopsOverwrite", x -> Regressions.twoLoopsOverwrite(x, 4),
        x -> RegressionsDerivatives.twoLoopsOverwriteGrad(x, 4),
        (x, t) -> RegressionsDerivatives.twoLoopsOverwriteHvp(x, 4, t),
        (x, t) -> RegressionsDerivatives.twoLoopsOverwriteJvp(x, 4, t).tangent(),
        (x, u) -> RegressionsDerivatives.twoLoopsOverwriteVjp(x, 4, u), 0.9924, -0.4);
  }

  @Test
  void recordHelperWithALoopAtThirdOrder() {
    // looped(x, 3).a() = c x with c = 15.75, so loopedHelper = c x^5 and loopedSlope = 25 c x^4
    double c = 15.75;
    for (double x : new double[] {0.7, -1.3}) {
      close(25 * c * Math.pow(x, 4), Regressions.loopedSlope(x), 1e-12, "value");
      close(100 * c * Math.pow(x, 3), RegressionsDerivatives.loopedSlopeGrad(x), 1e-12,
          "third derivative");
      close(300 * c * x * x * 0.5, RegressionsDerivatives.loopedSlopeHvp(x, 0.5), 1e-12,
          "fourth derivative");
    }
    single("loopedSlope", Regressions::loopedSlope, RegressionsDerivatives::loopedSlopeGrad,
        RegressionsDerivatives::loopedSlopeHvp,
        (x, t) -> RegressionsDerivatives.loopedSlopeJvp(x, t).tangent(),
        RegressionsDerivatives::loopedSlopeVjp, 0.7, -1.3);
  }

  @Test
  void mixedDerivativeOfPowAtExponentZero() {
    // powSlopeOnDiagonal(x) = ln x: derivative 1/x, second derivative -1/x^2
    for (double x : new double[] {0.9699, 2.5}) {
      close(Math.log(x), Regressions.powSlopeOnDiagonal(x), 1e-15, "value");
      close(1 / x, RegressionsDerivatives.powSlopeOnDiagonalGrad(x), 1e-14, "first");
      close(-0.5 / (x * x), RegressionsDerivatives.powSlopeOnDiagonalHvp(x, 0.5), 1e-14,
          "second");
    }
    single("powSlopeOnDiagonal", Regressions::powSlopeOnDiagonal,
        RegressionsDerivatives::powSlopeOnDiagonalGrad,
        RegressionsDerivatives::powSlopeOnDiagonalHvp,
        (x, t) -> RegressionsDerivatives.powSlopeOnDiagonalJvp(x, t).tangent(),
        RegressionsDerivatives::powSlopeOnDiagonalVjp, 0.9699, 2.5);
  }

  @Test
  void anUnreachedCallWhoseCalleeLeftAMarkOpen() {
    // x1^2: the call's value is overwritten; before the fix the gradient in x1 was 2 x0
    for (double[] x : new double[][] {{-0.575, -0.9902}, {0.3, 1.7}}) {
      RegressionsDerivatives.UnreachedCallWithInnerMarkGrad g =
          RegressionsDerivatives.unreachedCallWithInnerMarkGrad(x[0], x[1]);
      close(0, g.x0(), 0, "d/dx0");
      close(2 * x[1], g.x1(), 1e-15, "d/dx1");
    }
  }
}
