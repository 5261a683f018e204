package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;
import static dev.adjoint.tests.Check.close;
import static dev.adjoint.tests.ScalarsTest.single;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.tensor.Tensor;
import dev.adjoint.tests.corpus.Constructs;
import dev.adjoint.tests.corpus.Constructs.Kind;
import dev.adjoint.tests.corpus.Constructs.Settings;
import dev.adjoint.tests.corpus.ConstructsDerivatives;
import org.junit.jupiter.api.Test;

/** The constructs of {@link Constructs}, against closed forms and finite differences. */
class ConstructsTest {
  @Test
  void classicSwitchWithFallThrough() {
    double x = 0.7;
    close(2 * x, ConstructsDerivatives.classicSwitchGrad(x, 0), 1e-15, "case 0");
    close(Math.cos(x) + 2, ConstructsDerivatives.classicSwitchGrad(x, 1), 1e-15, "1 falls to 2");
    close(2, ConstructsDerivatives.classicSwitchGrad(x, 2), 1e-15, "case 2");
    close(3 * x * x, ConstructsDerivatives.classicSwitchGrad(x, 7), 1e-15, "default");
    for (int k = 0; k < 4; k++) {
      int kk = k;
      single("classicSwitch " + k, p -> Constructs.classicSwitch(p, kk),
          p -> ConstructsDerivatives.classicSwitchGrad(p, kk),
          (p, t) -> ConstructsDerivatives.classicSwitchHvp(p, kk, t),
          (p, t) -> ConstructsDerivatives.classicSwitchJvp(p, kk, t).tangent(),
          (p, u) -> ConstructsDerivatives.classicSwitchVjp(p, kk, u), 0.7, -1.2);
    }
  }

  @Test
  void arrowSwitchesOnStringsAndEnums() {
    for (String name : new String[] {"square", "sine", "other"}) {
      for (Kind kind : Kind.values()) {
        single("arrowSwitch " + name + " " + kind, p -> Constructs.arrowSwitch(p, name, kind),
            p -> ConstructsDerivatives.arrowSwitchGrad(p, name, kind),
            (p, t) -> ConstructsDerivatives.arrowSwitchHvp(p, name, kind, t),
            (p, t) -> ConstructsDerivatives.arrowSwitchJvp(p, name, kind, t).tangent(),
            (p, u) -> ConstructsDerivatives.arrowSwitchVjp(p, name, kind, u), 0.4, -0.9);
      }
    }
    double x = 0.4;
    close(2 * Math.sin(x) * Math.cos(x) + 3 * x * x,
        ConstructsDerivatives.arrowSwitchGrad(x, "sine", Kind.CUBE), 1e-14, "closed form");
  }

  @Test
  void breakAndContinueInASwitchInALoop() {
    Case.of("switchInLoop", Constructs::switchInLoop)
        .grad(ConstructsDerivatives::switchInLoopGrad)
        .jvp((x, t) -> v(ConstructsDerivatives.switchInLoopJvp(x, t).tangent()))
        .vjp((x, u) -> ConstructsDerivatives.switchInLoopVjp(x, u[0]))
        .hvp(ConstructsDerivatives::switchInLoopHvp)
        .check(v(0.3, -0.8, 1.1, 0.5, 2.0, -0.4, 0.9));
  }

  @Test
  void argumentChecksRunInDerivativesToo() {
    single("checked", x -> Constructs.checked(x, 4), x -> ConstructsDerivatives.checkedGrad(x, 4),
        (x, t) -> ConstructsDerivatives.checkedHvp(x, 4, t),
        (x, t) -> ConstructsDerivatives.checkedJvp(x, 4, t).tangent(),
        (x, u) -> ConstructsDerivatives.checkedVjp(x, 4, u), 0.6, -1.4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConstructsDerivatives.checkedGrad(0.5, -2));
    close(0, e.getMessage().compareTo("n must not be negative, got -2"), 0, "message");
    assertThrows(IllegalArgumentException.class, () -> ConstructsDerivatives.checkedJvp(0.5, -1,
        1));
  }

  @Test
  void incrementsAssignmentsAndRecordTernaries() {
    Case.of("incrementsAndChains", p -> Constructs.incrementsAndChains(v(p[0], p[1], p[2]), p[3]))
        .grad(p -> {
          var g = ConstructsDerivatives.incrementsAndChainsGrad(v(p[0], p[1], p[2]), p[3]);
          return v(g.x()[0], g.x()[1], g.x()[2], g.y());
        })
        .jvp((p, t) -> v(ConstructsDerivatives.incrementsAndChainsJvp(v(p[0], p[1], p[2]), p[3],
            v(t[0], t[1], t[2]), t[3]).tangent()))
        .vjp((p, u) -> {
          var g = ConstructsDerivatives.incrementsAndChainsVjp(v(p[0], p[1], p[2]), p[3], u[0]);
          return v(g.x()[0], g.x()[1], g.x()[2], g.y());
        })
        .hvp((p, t) -> {
          var g = ConstructsDerivatives.incrementsAndChainsHvp(v(p[0], p[1], p[2]), p[3],
              v(t[0], t[1], t[2]), t[3]);
          return v(g.x()[0], g.x()[1], g.x()[2], g.y());
        })
        .check(v(0.5, -1, 2, 0.75), v(1.5, 0.25, -0.5, -0.6));
  }

  @Test
  void fieldsOfPlainObjectsAndBoxedLocals() {
    Settings s = new Settings(1.5, 3);
    // 3 * 1.5 x^2
    close(9 * 0.8, ConstructsDerivatives.settingsAndBoxesGrad(0.8, s), 1e-14, "closed form");
    single("settingsAndBoxes", x -> Constructs.settingsAndBoxes(x, s),
        x -> ConstructsDerivatives.settingsAndBoxesGrad(x, s),
        (x, t) -> ConstructsDerivatives.settingsAndBoxesHvp(x, s, t),
        (x, t) -> ConstructsDerivatives.settingsAndBoxesJvp(x, s, t).tangent(),
        (x, u) -> ConstructsDerivatives.settingsAndBoxesVjp(x, s, u), 0.8, -0.3);
  }

  @Test
  void ternaryWithANullTensor() {
    Tensor x = Tensor.of(new double[] {1, -2}, 2);
    var without = ConstructsDerivatives.optionalScaleGrad(x, null);
    close(2, without.x().get(0), 0, "2x");
    if (without.scale() != null) throw new AssertionError("no scale, no gradient");
    Tensor scale = Tensor.of(new double[] {0.5, 3}, 2);
    var with = ConstructsDerivatives.optionalScaleGrad(x, scale);
    // y = 2 s x: d/dx sum(y^2) = 8 s^2 x, d/ds = 8 s x^2
    close(8 * 0.25, with.x().get(0), 1e-15, "dx");
    close(8 * 3 * 4, with.scale().get(1), 1e-15, "ds");
  }

  @Test
  void arraysIntoTensorsAndBack() {
    double[] w = {0.5, -0.25, 0.75, 0.1};
    Tensor wt = Tensor.of(w, 2, 2);
    Case.of("arraysAndTensors", p -> Constructs.arraysAndTensors(p, wt))
        .grad(p -> ConstructsDerivatives.arraysAndTensorsGrad(p, wt).data())
        .jvp((p, t) -> v(ConstructsDerivatives.arraysAndTensorsJvp(p, wt, t, wt.zerosLike())
            .tangent()))
        .vjp((p, u) -> ConstructsDerivatives.arraysAndTensorsVjp(p, wt, u[0]).data())
        .hvp((p, t) -> ConstructsDerivatives.arraysAndTensorsHvp(p, wt, t, wt.zerosLike()).data())
        .check(v(0.3, -0.6, 1.2, 0.4));
    Case.of("arraysAndTensors w", p -> Constructs.arraysAndTensors(w, Tensor.of(p, 2, 2)))
        .grad(p -> ConstructsDerivatives.arraysAndTensorsGrad(w, Tensor.of(p, 2, 2)).w()
            .toDoubleArray())
        .check(v(0.3, -0.6, 1.2, 0.4));
  }
}
