package dev.adjoint.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.ad.DualN;
import dev.adjoint.tensor.Tensor;
import dev.adjoint.tests.corpus.Jacobians;
import dev.adjoint.tests.corpus.JacobiansDerivatives;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The vector JVP ({@code fJvpN}), {@code fJacobian} and {@code fHessian}: against central
 * differences in double, against the one-tangent {@code fJvp} and {@code fHvp}, through both
 * of the Jacobian's modes (forward with no more inputs than outputs, reverse otherwise).
 */
class JacobiansTest {
  private static final double H = 1e-6;
  private final Random rnd = new Random(7);

  private double[] point(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = Math.round((2 * rnd.nextDouble() - 1) * 1e3) / 1e3;
    return x;
  }

  /** The Jacobian of f at x by central differences, [outputs][inputs]. */
  private static double[][] differences(Function<double[], double[]> f, double[] x) {
    int m = f.apply(x).length;
    double[][] j = new double[m][x.length];
    for (int c = 0; c < x.length; c++) {
      double[] xp = x.clone();
      double[] xm = x.clone();
      xp[c] += H;
      xm[c] -= H;
      double[] yp = f.apply(xp);
      double[] ym = f.apply(xm);
      for (int r = 0; r < m; r++) j[r][c] = (yp[r] - ym[r]) / (2 * H);
    }
    return j;
  }

  private static void close(double[][] expected, double[][] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": rows");
    double scale = 1;
    for (double[] row : expected) for (double v : row) scale = Math.max(scale, Math.abs(v));
    for (int r = 0; r < expected.length; r++) {
      assertEquals(expected[r].length, actual[r].length, what + ": columns of row " + r);
      for (int c = 0; c < expected[r].length; c++) {
        double err = Math.abs(expected[r][c] - actual[r][c]) / scale;
        if (!(err <= tol)) {
          throw new AssertionError(what + "[" + r + "][" + c + "]: expected " + expected[r][c]
              + " but was " + actual[r][c]);
        }
      }
    }
  }

  private static double[] floats(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) d[i] = x[i];
    return d;
  }

  private static float[] narrow(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
    return f;
  }

  private static double[][] floats(float[][] x) {
    double[][] d = new double[x.length][];
    for (int i = 0; i < x.length; i++) d[i] = floats(x[i]);
    return d;
  }

  @Test
  void scalarToScalarJacobianAndHessian() {
    for (double x : new double[] {0.7, -0.4, 1.9}) {
      double[][] fd = differences(p -> new double[] {Jacobians.wave(p[0])}, new double[] {x});
      Check.close(fd[0][0], JacobiansDerivatives.waveJacobian(x), 1e-8, "wave'");
      double[][] fd2 = differences(p -> new double[] {JacobiansDerivatives.waveGrad(p[0])},
          new double[] {x});
      Check.close(fd2[0][0], JacobiansDerivatives.waveHessian(x), 1e-7, "wave''");
      float xf = (float) x;
      Check.close(JacobiansDerivatives.waveJacobian(xf), JacobiansDerivatives.waveFJacobian(xf),
          1e-5, "waveF' against wave'");
      Check.close(JacobiansDerivatives.waveHessian(xf), JacobiansDerivatives.waveFHessian(xf),
          1e-4, "waveF'' against wave''");
    }
  }

  @Test
  void curveJacobianIsItsTangent() {
    for (double t : new double[] {0.3, -1.1}) {
      double[][] fd = differences(p -> Jacobians.curve(p[0]), new double[] {t});
      double[] j = JacobiansDerivatives.curveJacobian(t);
      double[][] column = new double[j.length][];
      for (int i = 0; i < j.length; i++) column[i] = new double[] {j[i]};
      close(fd, column, 1e-8, "curve'");
    }
  }

  @Test
  void gradientJacobianAndHessianOfAScalarFunction() {
    for (int trial = 0; trial < 3; trial++) {
      double[] x = point(5 + trial);
      double[][] fd = differences(p -> new double[] {Jacobians.energy(p)}, x);
      close(fd, new double[][] {JacobiansDerivatives.energyJacobian(x)}, 1e-7, "energy'");
      double[][] h = JacobiansDerivatives.energyHessian(x);
      close(differences(JacobiansDerivatives::energyGrad, x), h, 1e-6, "energy''");
      // H e_j is the Hessian-vector product along e_j, and H is symmetric
      for (int c = 0; c < x.length; c++) {
        double[] e = new double[x.length];
        e[c] = 1;
        double[] hv = JacobiansDerivatives.energyHvp(x, e);
        for (int r = 0; r < x.length; r++) {
          Check.close(hv[r], h[r][c], 1e-12, "energy'' column " + c + " against fHvp");
          Check.close(h[c][r], h[r][c], 1e-12, "energy'' symmetry");
        }
      }
    }
  }

  @Test
  void floatArrayGradientAndHessian() {
    float[] x = narrow(point(6));
    double[] jd = floats(JacobiansDerivatives.energyFJacobian(x));
    double[] g = floats(JacobiansDerivatives.energyFGrad(x));
    assertArrayEquals(g, jd, 0, "a scalar function's Jacobian is its gradient");
    double[][] h = floats(JacobiansDerivatives.energyFHessian(x));
    for (int c = 0; c < x.length; c++) {
      float[] e = new float[x.length];
      e[c] = 1;
      double[] hv = floats(JacobiansDerivatives.energyFHvp(x, e));
      for (int r = 0; r < x.length; r++) {
        Check.close(hv[r], h[r][c], 1e-5, "energyF'' column " + c + " against fHvp");
      }
    }
  }

  @Test
  void arrayJacobiansForwardAndReverse() {
    for (int trial = 0; trial < 3; trial++) {
      double[] x = point(6);
      double scale = 0.5 + trial;
      // 6 inputs, 12 outputs: forward (one vector JVP)
      close(differences(p -> Jacobians.expand(p, scale), x),
          JacobiansDerivatives.expandJacobian(x, scale), 1e-8, "expand'");
      // 6 inputs, 2 outputs: reverse (a VJP per output)
      close(differences(Jacobians::reduce, x), JacobiansDerivatives.reduceJacobian(x), 1e-8,
          "reduce'");
    }
  }

  @Test
  void floatArrayJacobianAgainstTheJvp() {
    float[] x = narrow(point(4));
    double[][] j = floats(JacobiansDerivatives.squashJacobian(x));
    assertEquals(5, j.length);
    for (int c = 0; c < x.length; c++) {
      float[] e = new float[x.length];
      e[c] = 1;
      double[] column = floats(JacobiansDerivatives.squashJvp(x, e).tangent());
      for (int r = 0; r < j.length; r++) Check.close(column[r], j[r][c], 1e-6, "squash'");
    }
    double[][] fd = differences(p -> floats(Jacobians.squash(narrow(p))), floats(x));
    // float's differences are rough: a loose bound
    for (int r = 0; r < j.length; r++) {
      for (int c = 0; c < x.length; c++) {
        if (Math.abs(fd[r][c] - j[r][c]) > 0.05) {
          throw new AssertionError("squash'[" + r + "][" + c + "]: " + j[r][c] + " vs " + fd[r][c]);
        }
      }
    }
  }

  private static double[] flat(Tensor t) {
    return t.toDoubleArray();
  }

  @Test
  void tensorJacobiansHaveTheResultsDimensionsFirst() {
    double[] xs = point(3);
    Tensor x = Tensor.of(xs, 3);
    Tensor j = JacobiansDerivatives.outerJacobian(x); // 3 inputs, 9 outputs: forward
    assertArrayEquals(new int[] {3, 3, 3}, j.shape());
    double[][] fd = differences(p -> flat(Jacobians.outer(Tensor.of(p, 3))), xs);
    close(fd, reshape(flat(j), 9, 3), 1e-8, "outer'");

    double[] ws = point(6);
    Tensor w = Tensor.of(ws, 2, 3);
    Tensor jr = JacobiansDerivatives.rowNormsJacobian(w); // 6 inputs, 2 outputs: reverse
    assertArrayEquals(new int[] {2, 2, 3}, jr.shape());
    close(differences(p -> flat(Jacobians.rowNorms(Tensor.of(p, 2, 3))), ws),
        reshape(flat(jr), 2, 6), 1e-8, "rowNorms'");
  }

  @Test
  void tensorGradientAndHessian() {
    double[] xs = point(4);
    Tensor x = Tensor.of(xs, 2, 2);
    Tensor g = JacobiansDerivatives.softNormJacobian(x);
    assertArrayEquals(new int[] {2, 2}, g.shape());
    close(differences(p -> new double[] {Jacobians.softNorm(Tensor.of(p, 2, 2)).item()}, xs),
        new double[][] {flat(g)}, 1e-8, "softNorm'");
    Tensor h = JacobiansDerivatives.softNormHessian(x);
    assertArrayEquals(new int[] {2, 2, 2, 2}, h.shape());
    close(differences(p -> flat(JacobiansDerivatives.softNormGrad(Tensor.of(p, 2, 2))), xs),
        reshape(flat(h), 4, 4), 1e-7, "softNorm''");
  }

  private static double[][] reshape(double[] flat, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int r = 0; r < rows; r++) System.arraycopy(flat, r * cols, m[r], 0, cols);
    return m;
  }

  @Test
  void vectorJvpOfSeveralParametersAndARecordMatchesTheJvp() {
    Jacobians.Point p = new Jacobians.Point(0.4, point(5), 3);
    double a = -0.8;
    float[] b = narrow(point(3));
    int k = 4;
    Jacobians.Point[] pt = new Jacobians.Point[k];
    double[] at = new double[k];
    float[][] bt = new float[k][];
    for (int j = 0; j < k; j++) {
      pt[j] = new Jacobians.Point(rnd.nextGaussian(), point(5), 0);
      at[j] = rnd.nextGaussian();
      bt[j] = narrow(point(3));
    }
    DualN<Double, double[]> d = JacobiansDerivatives.mixedJvpN(p, a, b, pt, at, bt);
    assertEquals(Jacobians.mixed(p, a, b), d.value(), 0);
    assertEquals(k, d.tangents().length);
    for (int j = 0; j < k; j++) {
      double one = JacobiansDerivatives.mixedJvp(p, a, b, pt[j], at[j], bt[j]).tangent();
      Check.close(one, d.tangents()[j], 1e-12, "mixed, direction " + j);
    }
    assertEquals(0, JacobiansDerivatives.mixedJvpN(p, a, b, new Jacobians.Point[0],
        new double[0], new float[0][]).tangents().length, "no directions, no tangents");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JacobiansDerivatives.mixedJvpN(p, a, b, pt, new double[2], bt));
    assertEquals("every tangent argument of a vector JVP must hold the same number of "
        + "directions: one holds 4, another 2", e.getMessage());
  }

  @Test
  void vectorJvpAndHessianOfAFunctionThatTakesAGradient() {
    double[] x = point(4);
    double[][] dirs = {point(4), point(4), point(4)};
    DualN<Double, double[]> d = JacobiansDerivatives.gradNormJvpN(x, dirs);
    for (int j = 0; j < dirs.length; j++) {
      Check.close(JacobiansDerivatives.gradNormJvp(x, dirs[j]).tangent(), d.tangents()[j], 1e-12,
          "gradNorm, direction " + j);
    }
    // third order: the Hessian of a function of a gradient
    close(differences(JacobiansDerivatives::gradNormGrad, x),
        JacobiansDerivatives.gradNormHessian(x), 1e-6, "gradNorm''");
  }
}
