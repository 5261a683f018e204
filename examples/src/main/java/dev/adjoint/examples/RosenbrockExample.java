package dev.adjoint.examples;

import java.util.Arrays;

/**
 * Minimizes the n-dimensional Rosenbrock function twice: with gradient descent on the generated
 * gradient {@code RosenbrockDerivatives.valueGrad}, then with Newton-CG steps whose
 * Hessian-vector products come from the generated {@code valueHvp} (forward over reverse mode).
 * Nothing here is differentiated by hand.
 */
public final class RosenbrockExample {
  private RosenbrockExample() {}

  /** Arguments: dimension (default 100), starting value of every coordinate (default 0.5). */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    double[] start = new double[n];
    Arrays.fill(start, args.length > 1 ? Double.parseDouble(args[1]) : 0.5);
    System.out.printf("Rosenbrock in %d dimensions, f(start) = %.6g%n", n, Rosenbrock.value(start));

    double[] x = gradientDescent(start.clone(), 5000);
    System.out.printf("gradient descent, 5000 steps: f = %.6g, |grad| = %.3g%n",
        Rosenbrock.value(x), norm(RosenbrockDerivatives.valueGrad(x)));

    x = start.clone();
    for (int step = 1; step <= 200; step++) {
      double[] g = RosenbrockDerivatives.valueGrad(x);
      double gnorm = norm(g);
      if (step == 1 || step % 10 == 0 || gnorm < 1e-10) {
        System.out.printf("Newton-CG step %3d: f = %.6e, |grad| = %.3e%n", step,
            Rosenbrock.value(x), gnorm);
      }
      if (gnorm < 1e-10) break;
      double[] p = conjugateGradient(x, g, Math.min(0.5, Math.sqrt(gnorm)) * gnorm);
      x = lineSearch(x, p, g);
    }
    System.out.printf("minimum found at x[0..3] = %s (exact: all ones)%n",
        Arrays.toString(Arrays.copyOf(x, Math.min(4, n))));
  }

  /** Steepest descent with a backtracking (Armijo) line search. */
  static double[] gradientDescent(double[] x, int steps) {
    for (int s = 0; s < steps; s++) {
      double[] g = RosenbrockDerivatives.valueGrad(x);
      double[] p = new double[x.length];
      for (int i = 0; i < p.length; i++) p[i] = -g[i];
      x = lineSearch(x, p, g);
    }
    return x;
  }

  /** Solves H p = -g by conjugate gradients, H only through Hessian-vector products. */
  static double[] conjugateGradient(double[] x, double[] g, double tolerance) {
    int n = x.length;
    double[] p = new double[n];
    double[] r = new double[n];
    for (int i = 0; i < n; i++) r[i] = -g[i];
    double[] d = r.clone();
    double rr = dot(r, r);
    for (int k = 0; k < 2 * n && Math.sqrt(rr) > tolerance; k++) {
      double[] hd = RosenbrockDerivatives.valueHvp(x, d);
      double curvature = dot(d, hd);
      if (curvature <= 0) {
        // Negative curvature: stop; fall back to steepest descent on the first iteration.
        return k == 0 ? r : p;
      }
      double alpha = rr / curvature;
      for (int i = 0; i < n; i++) {
        p[i] += alpha * d[i];
        r[i] -= alpha * hd[i];
      }
      double next = dot(r, r);
      for (int i = 0; i < n; i++) d[i] = r[i] + next / rr * d[i];
      rr = next;
    }
    return p;
  }

  static double[] lineSearch(double[] x, double[] p, double[] g) {
    double f0 = Rosenbrock.value(x);
    double slope = dot(g, p);
    double t = 1;
    double[] trial = new double[x.length];
    for (int k = 0; k < 60; k++) {
      for (int i = 0; i < x.length; i++) trial[i] = x[i] + t * p[i];
      if (Rosenbrock.value(trial) <= f0 + 1e-4 * t * slope) return trial;
      t *= 0.5;
    }
    return x;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }
}
