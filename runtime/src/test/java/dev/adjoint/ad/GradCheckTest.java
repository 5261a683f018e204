package dev.adjoint.ad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The checker itself, against closed forms: it must pass right derivatives and fail wrong ones. */
class GradCheckTest {
  private static double f(double[] x) {
    return Math.sin(x[0]) * x[1] + x[1] * x[1] * x[1];
  }

  private static double[] grad(double[] x) {
    return new double[] {Math.cos(x[0]) * x[1], Math.sin(x[0]) + 3 * x[1] * x[1]};
  }

  @Test
  void numericGradientMatchesClosedForm() {
    double[] x = {0.3, -1.7};
    assertArrayEquals(grad(x), GradCheck.numericGradient(GradCheckTest::f, x), 1e-8);
  }

  @Test
  void acceptsRightGradientAndRejectsWrongOne() {
    double[] x = {0.3, -1.7};
    assertTrue(GradCheck.checkGradient(GradCheckTest::f, GradCheckTest::grad, x, 1e-7) < 1e-7);
    assertThrows(GradCheck.Mismatch.class, () -> GradCheck.checkGradient(GradCheckTest::f,
        p -> new double[] {Math.cos(p[0]) * p[1], Math.sin(p[0]) + 2 * p[1] * p[1]}, x, 1e-6));
  }

  @Test
  void aWrongInfinityOrNaNIsAnInfiniteErrorNotANaNThatPassesEveryTolerance() {
    assertTrue(GradCheck.error(Double.POSITIVE_INFINITY, 1.06) == Double.POSITIVE_INFINITY);
    assertTrue(GradCheck.error(0.7, Double.NaN) == Double.POSITIVE_INFINITY);
    assertTrue(GradCheck.maxError(new double[] {Double.POSITIVE_INFINITY, 0.7},
        new double[] {1.06, 2.12}) > 1e-3);
    assertTrue(GradCheck.error(Double.NaN, Double.NaN) == 0);
    assertTrue(GradCheck.error(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY) == 0);
  }

  @Test
  void dotProductTestSeparatesTransposeFromNonTranspose() {
    double[][] a = {{1, 2, 3}, {4, 5, 6}};
    GradCheck.Jvp jvp = (x, v) -> new double[] {
        a[0][0] * v[0] + a[0][1] * v[1] + a[0][2] * v[2],
        a[1][0] * v[0] + a[1][1] * v[1] + a[1][2] * v[2]};
    GradCheck.Vjp vjp = (x, u) -> new double[] {
        a[0][0] * u[0] + a[1][0] * u[1], a[0][1] * u[0] + a[1][1] * u[1],
        a[0][2] * u[0] + a[1][2] * u[1]};
    GradCheck.Vjp wrong = (x, u) -> new double[] {u[0], u[1], 0};
    double[] x = new double[3];
    assertTrue(GradCheck.checkDotProduct(jvp, vjp, x, 2, 1e-12, 1) < 1e-12);
    assertThrows(GradCheck.Mismatch.class,
        () -> GradCheck.checkDotProduct(jvp, wrong, x, 2, 1e-6, 1));
  }

  @Test
  void tapeIsLastInFirstOutPerType() {
    Tape t = new Tape();
    for (int i = 0; i < 100; i++) {
      t.push((double) i);
      t.push(i);
      t.push(i % 2 == 0);
    }
    for (int i = 99; i >= 0; i--) {
      assertTrue(t.popBoolean() == (i % 2 == 0));
      assertTrue(t.popInt() == i);
      assertTrue(t.popDouble() == i);
    }
    assertTrue(t.isEmpty());
  }
}
