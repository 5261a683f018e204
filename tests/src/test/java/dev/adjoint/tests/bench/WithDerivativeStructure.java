package dev.adjoint.tests.bench;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/** The same functions with commons-math's forward-mode DerivativeStructure: the peer. */
public final class WithDerivativeStructure {
  private WithDerivativeStructure() {}

  public static double[] rosenbrockGrad(double[] x) {
    int n = x.length;
    DerivativeStructure[] v = new DerivativeStructure[n];
    for (int i = 0; i < n; i++) v[i] = new DerivativeStructure(n, 1, i, x[i]);
    DerivativeStructure sum = new DerivativeStructure(n, 1, 0.0);
    for (int i = 0; i + 1 < n; i++) {
      DerivativeStructure a = v[i].negate().add(1);
      DerivativeStructure b = v[i + 1].subtract(v[i].multiply(v[i]));
      sum = sum.add(a.multiply(a)).add(b.multiply(b).multiply(100));
    }
    return gradient(sum, n);
  }

  public static double[] lotkaVolterraGrad(double[] p, double[] y0) {
    DerivativeStructure[] q = new DerivativeStructure[4];
    for (int i = 0; i < 4; i++) q[i] = new DerivativeStructure(6, 1, i, p[i]);
    DerivativeStructure u = new DerivativeStructure(6, 1, 4, y0[0]);
    DerivativeStructure v = new DerivativeStructure(6, 1, 5, y0[1]);
    double h = 0.01;
    for (int s = 0; s < Problems.STEPS; s++) {
      DerivativeStructure du = q[0].multiply(u).subtract(q[1].multiply(u).multiply(v));
      DerivativeStructure dv = q[2].multiply(u).multiply(v).subtract(q[3].multiply(v));
      u = u.add(du.multiply(h));
      v = v.add(dv.multiply(h));
    }
    return gradient(u.add(v), 6);
  }

  private static double[] gradient(DerivativeStructure f, int n) {
    double[] g = new double[n];
    int[] orders = new int[n];
    for (int i = 0; i < n; i++) {
      orders[i] = 1;
      g[i] = f.getPartialDerivative(orders);
      orders[i] = 0;
    }
    return g;
  }
}
