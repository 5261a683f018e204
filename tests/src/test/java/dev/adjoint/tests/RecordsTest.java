package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;
import static dev.adjoint.tests.Check.close;

import dev.adjoint.tests.corpus.Records;
import dev.adjoint.tests.corpus.Records.Bias;
import dev.adjoint.tests.corpus.Records.Layer;
import dev.adjoint.tests.corpus.Records.Line;
import dev.adjoint.tests.corpus.RecordsDerivatives;
import dev.adjoint.tests.corpus.Records_LineDerivatives;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordsTest {
  private static final double[] XS = {0, 1, 2, 3};
  private static final double[] YS = {1, 2.9, 5.2, 7.1};

  @Test
  void gradientOfAModelIsTheSameRecordWithCarriedComponents() {
    Line line = new Line(1.5, 0.5, "fit", 7);
    Line g = Records_LineDerivatives.lossGrad(line, XS, YS).self();
    double ds = 0;
    double di = 0;
    for (int i = 0; i < XS.length; i++) {
      double r = 1.5 * XS[i] + 0.5 - YS[i];
      ds += 2 * r * XS[i] / XS.length;
      di += 2 * r / XS.length;
    }
    close(ds, g.slope(), 1e-14, "d/dslope");
    close(di, g.intercept(), 1e-14, "d/dintercept");
    if (!g.label().equals("fit") || g.id() != 7) throw new AssertionError("carried: " + g);
    Case.of("loss", p -> new Line(p[0], p[1], "fit", 7).loss(XS, YS))
        .grad(p -> {
          Line d = Records_LineDerivatives.lossGrad(new Line(p[0], p[1], "fit", 7), XS, YS).self();
          return v(d.slope(), d.intercept());
        })
        .jvp((p, t) -> v(Records_LineDerivatives.lossJvp(new Line(p[0], p[1], "fit", 7), XS, YS,
            new Line(t[0], t[1], "fit", 7), new double[4], new double[4]).tangent()))
        .vjp((p, u) -> {
          Line d = Records_LineDerivatives.lossVjp(new Line(p[0], p[1], "fit", 7), XS, YS, u[0])
              .self();
          return v(d.slope(), d.intercept());
        })
        .hvp((p, t) -> {
          Line d = Records_LineDerivatives.lossHvp(new Line(p[0], p[1], "fit", 7), XS, YS,
              new Line(t[0], t[1], "fit", 7), new double[4], new double[4]).self();
          return v(d.slope(), d.intercept());
        })
        .check(v(1.5, 0.5), v(-0.3, 2));
  }

  @Test
  void recordWithArrayAndNestedRecord() {
    double[] x = {0.5, -1, 2};
    Case.of("layerOut", p -> Records.layerOut(layer(p), x))
        .grad(p -> flat(RecordsDerivatives.layerOutGrad(layer(p), x).layer()))
        .jvp((p, t) -> v(RecordsDerivatives.layerOutJvp(layer(p), x, layer(t), new double[3])
            .tangent()))
        .vjp((p, u) -> flat(RecordsDerivatives.layerOutVjp(layer(p), x, u[0]).layer()))
        .hvp((p, t) -> flat(RecordsDerivatives.layerOutHvp(layer(p), x, layer(t), new double[3])
            .layer()))
        .tolerance(1e-5)
        .check(v(0.1, 0.2, -0.3, 0.05, 1.5), v(-0.4, 0.3, 0.2, -0.1, 0.75));
  }

  /** w[0..2], b, scale. */
  private static Layer layer(double[] p) {
    return new Layer(Arrays.copyOf(p, 3), new Bias(p[3], p[4]));
  }

  private static double[] flat(Layer l) {
    return v(l.w()[0], l.w()[1], l.w()[2], l.bias().b(), l.bias().scale());
  }

  @Test
  void recordResultsOfCalls() {
    Case.of("usesMadeRecord", p -> Records.usesMadeRecord(p[0], p[1]))
        .grad(p -> {
          var g = RecordsDerivatives.usesMadeRecordGrad(p[0], p[1]);
          return v(g.a(), g.b());
        })
        .jvp((p, t) -> v(RecordsDerivatives.usesMadeRecordJvp(p[0], p[1], t[0], t[1]).tangent()))
        .vjp((p, u) -> {
          var g = RecordsDerivatives.usesMadeRecordVjp(p[0], p[1], u[0]);
          return v(g.a(), g.b());
        })
        .tolerance(1e-5)
        .check(v(0.5, 0.25), v(1.5, -1));
  }

  @Test
  void recordValuedFunctionDotProductTest() {
    double a = 0.7;
    double b = -0.4;
    var t = RecordsDerivatives.makeBiasJvp(a, b, 1.0, 0.0).tangent();
    close(b, t.b(), 1e-15, "d(ab)/da");
    close(1, t.scale(), 1e-7, "d(a-b)/da");
    var g = RecordsDerivatives.makeBiasVjp(a, b, new Bias(2.0, 3.0));
    close(2 * b + 3, g.a(), 1e-15, "vjp a");
    close(2 * a - 3, g.b(), 1e-15, "vjp b");
  }

  @Test
  void instanceCallsOnLocalRecords() {
    Line line = new Line(0.8, -0.2, "l", 1);
    double x = 1.3;
    Case.of("fitStep", p -> Records.fitStep(new Line(p[0], p[1], "l", 1), p[2]))
        .grad(p -> {
          var g = RecordsDerivatives.fitStepGrad(new Line(p[0], p[1], "l", 1), p[2]);
          return v(g.line().slope(), g.line().intercept(), g.x());
        })
        .jvp((p, t) -> v(RecordsDerivatives.fitStepJvp(new Line(p[0], p[1], "l", 1), p[2],
            new Line(t[0], t[1], "l", 1), t[2]).tangent()))
        .vjp((p, u) -> {
          var g = RecordsDerivatives.fitStepVjp(new Line(p[0], p[1], "l", 1), p[2], u[0]);
          return v(g.line().slope(), g.line().intercept(), g.x());
        })
        .check(v(line.slope(), line.intercept(), x));
  }

  @Test
  void recordsWithArraysMadeInALoop() {
    Case.of("loopOfRecords", Records::loopOfRecords)
        .grad(RecordsDerivatives::loopOfRecordsGrad)
        .jvp((x, t) -> v(RecordsDerivatives.loopOfRecordsJvp(x, t).tangent()))
        .vjp((x, u) -> RecordsDerivatives.loopOfRecordsVjp(x, u[0]))
        .hvp(RecordsDerivatives::loopOfRecordsHvp)
        .check(v(0.5, -1.5, 2.0));
    // closed form: d/dx (x^2 * 3x + x) = 9 x^2 + 1
    double[] g = RecordsDerivatives.loopOfRecordsGrad(new double[] {0.5, -1.5, 2.0});
    Check.close(9 * 0.25 + 1, g[0], 1e-14, "x0");
    Check.close(9 * 2.25 + 1, g[1], 1e-14, "x1");
  }
}
