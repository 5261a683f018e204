package dev.adjoint.tests.fuzz;

import java.util.Arrays;
import java.util.Random;

/**
 * Checks one compiled method's derivatives against independent ones at random points:
 * {@code fGrad} and the JVP against central differences of the primal, the VJP against the JVP
 * by the dot-product test, the HVP against central differences of {@code fGrad} and by the
 * symmetry of the Hessian, and the values of the JVP and of {@code fValueAndGrad} against the
 * primal. Central differences are taken at two step sizes; where they disagree a kink (a branch,
 * {@code abs}, {@code max}) is near and that check is skipped at that point, never failed.
 *
 * <p>The float variant is checked against the double one at the same points: a float program
 * cannot be differentiated numerically to useful precision, but the double program, checked
 * tightly, is its reference.
 */
final class DerivativeChecker {
  /** Relative error allowed against central differences. */
  static final double FD_TOL = 1e-4;
  /** Two central differences closer than this are taken to see no kink. */
  static final double KINK_TOL = 1e-5;
  /** Float against double. */
  static final double FLOAT_TOL = 3e-3;
  /** Points with larger values are too wild for differences to mean much. */
  static final double WILD = 1e5;
  static final int POINTS = 3;

  /** What the checks of one method found. */
  static final class Tally {
    int checks;
    int skipped;
    Failure failure;
  }

  private DerivativeChecker() {}

  /** Checks a double-variant subject; stops at its first failure. */
  static Tally check(Subject s, long seed) {
    Tally t = new Tally();
    Random rnd = new Random(seed);
    int done = 0;
    for (int attempt = 0; attempt < 2 * POINTS && done < POINTS && t.failure == null; attempt++) {
      double[] x = point(rnd, s.dim);
      try {
        double fx = s.value(x);
        if (!Double.isFinite(fx) || Math.abs(fx) > WILD) {
          t.skipped++;
          continue;
        }
        String wrong = checkAt(s, x, fx, rnd, t);
        if (wrong != null) {
          // confirm at a point nearby: a real error persists, a singular point does not
          double[] near = x.clone();
          for (int i = 0; i < near.length; i++) near[i] += 1e-3 * (2 * rnd.nextDouble() - 1);
          Tally again = new Tally();
          String second = checkAt(s, near, s.value(near), new Random(seed + 1), again);
          if (second == null) {
            t.skipped++;
            continue;
          }
          t.failure = new Failure(Failure.Kind.WRONG_DERIVATIVE, s.variant, s.name + "." + key(wrong),
              wrong + " at x = " + Arrays.toString(x));
        }
        done++;
      } catch (Subject.PrimalFailed e) {
        t.failure = new Failure(Failure.Kind.INVALID_PROGRAM, s.variant, s.name,
            "the primal threw " + e.getCause() + " at x = " + Arrays.toString(x));
      } catch (Subject.DerivativeFailed e) {
        t.failure = new Failure(Failure.Kind.RUNTIME_EXCEPTION, s.variant,
            s.name + "." + e.method, InMemoryCompiler.stackTrace(e.getCause()).lines().limit(12)
                .reduce((a, b) -> a + "\n" + b).orElse("") + "\nat x = " + Arrays.toString(x));
      } catch (Values.NullDerivative e) {
        t.failure = new Failure(Failure.Kind.WRONG_DERIVATIVE, s.variant, s.name + ".null",
            e.getMessage() + " at x = " + Arrays.toString(x));
      }
    }
    return t;
  }

  /** The check's name: the text before the first colon. */
  private static String key(String message) {
    int c = message.indexOf(':');
    return c < 0 ? message : message.substring(0, c);
  }

  static double[] point(Random rnd, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = Math.round((2 * rnd.nextDouble() - 1) * 1e4) / 1e4;
    return x;
  }

  /** Runs every check at x; returns the first mismatch, or null. */
  private static String checkAt(Subject s, double[] x, double fx, Random rnd, Tally t) {
    int n = s.dim;
    double[] v = gaussian(rnd, n);
    double[] w = gaussian(rnd, n);

    // value of the JVP and of fValueAndGrad
    double[] jv = s.jvp(x, v);
    t.checks++;
    if (!close(fx, jv[0], 1e-12)) return "jvp.value: expected " + fx + " but got " + jv[0];
    double[] g = s.grad(x);
    double[] vg = s.valueAndGrad(x);
    t.checks++;
    if (!close(fx, vg[0], 1e-12)) return "valueAndGrad.value: expected " + fx + " but got " + vg[0];
    for (int i = 0; i < n; i++) {
      if (!close(g[i], vg[i + 1], 1e-10)) {
        return "valueAndGrad.grad: component " + i + " expected " + g[i] + " (fGrad) but got "
            + vg[i + 1];
      }
    }

    // gradient against central differences, component by component
    for (int i = 0; i < n; i++) {
      double a = partial(s, x, i, 1e-4);
      double b = partial(s, x, i, 1e-6);
      if (!close(a, b, KINK_TOL, fx)) {
        t.skipped++;
        continue;
      }
      t.checks++;
      if (!close(b, g[i], FD_TOL, fx)) {
        return "grad: component " + i + " expected " + b + " (central differences) but got " + g[i]
            + "; gradient " + Arrays.toString(g);
      }
    }

    // JVP against a directional difference
    double da = directional(s, x, v, 1e-4);
    double db = directional(s, x, v, 1e-6);
    if (close(da, db, KINK_TOL, fx)) {
      t.checks++;
      if (!close(db, jv[1], FD_TOL, fx)) {
        return "jvp: expected " + db + " (central differences along v = " + Arrays.toString(v)
            + ") but got " + jv[1];
      }
    } else {
      t.skipped++;
    }

    // the vector JVP: each direction's tangent is the one-tangent JVP's along it
    double[][] lanes = {v, w, gaussian(rnd, n)};
    double[] jn = s.jvpN(x, lanes);
    t.checks++;
    if (!close(fx, jn[0], 1e-12)) return "jvpN.value: expected " + fx + " but got " + jn[0];
    for (int j = 0; j < lanes.length; j++) {
      double one = j == 0 ? jv[1] : s.jvp(x, lanes[j])[1];
      t.checks++;
      if (!close(one, jn[j + 1], 1e-10, Math.abs(fx))) {
        return "jvpN: direction " + j + " expected " + one + " (fJvp along "
            + Arrays.toString(lanes[j]) + ") but got " + jn[j + 1];
      }
    }

    // VJP: dot-product test against the JVP, and vjp(1) = grad
    double u = rnd.nextGaussian();
    double[] r = s.vjp(x, u);
    double left = u * jv[1];
    double right = dot(v, r);
    t.checks++;
    if (!close(left, right, 1e-8, absDot(v, r))) {
      return "vjp: dot-product test <jvp(v), u> = " + left + " but <v, vjp(u)> = " + right
          + " (u = " + u + ", vjp = " + Arrays.toString(r) + ")";
    }
    double[] r1 = s.vjp(x, 1);
    for (int i = 0; i < n; i++) {
      if (!close(g[i], r1[i], 1e-10)) {
        return "vjp: vjp(1) component " + i + " is " + r1[i] + " but fGrad gives " + g[i];
      }
    }

    // HVP against differences of the gradient along v, and symmetry
    double[] hv = s.hvp(x, v);
    double[] ha = gradDirectional(s, x, v, 1e-4);
    double[] hb = gradDirectional(s, x, v, 1e-6);
    if (allClose(ha, hb, KINK_TOL * 10, norm(g))) {
      t.checks++;
      for (int i = 0; i < n; i++) {
        if (!close(hb[i], hv[i], FD_TOL * 10, norm(g))) {
          return "hvp: component " + i + " expected " + hb[i] + " (differences of fGrad along v = "
              + Arrays.toString(v) + ") but got " + hv[i] + "; hvp " + Arrays.toString(hv);
        }
      }
      double[] hw = s.hvp(x, w);
      double l = dot(hv, w);
      double rr = dot(v, hw);
      t.checks++;
      if (!close(l, rr, 1e-8, absDot(hv, w) + absDot(v, hw))) {
        return "hvp.symmetry: <H v, w> = " + l + " but <v, H w> = " + rr;
      }
    } else {
      t.skipped++;
    }
    return null;
  }

  /** Checks a float subject against its double twin; returns null when all agree. */
  static Tally compareFloat(Subject f, Subject d, long seed) {
    Tally t = new Tally();
    Random rnd = new Random(seed);
    int done = 0;
    for (int attempt = 0; attempt < 2 * POINTS && done < POINTS && t.failure == null; attempt++) {
      double[] x = point(rnd, d.dim);
      double[] v = gaussian(rnd, d.dim);
      try {
        double fd = d.value(x);
        if (!Double.isFinite(fd) || Math.abs(fd) > WILD) {
          t.skipped++;
          continue;
        }
        double ff;
        try {
          ff = f.value(x);
        } catch (Subject.PrimalFailed e) {
          t.skipped++;
          continue;
        }
        // a branch taken differently in float, or a kink near: the derivatives may differ
        if (!close(fd, ff, 1e-4) || !smoothAround(d, x, rnd, fd)) {
          t.skipped++;
          continue;
        }
        String m = compareAt(f, d, x, v, t);
        if (m != null) {
          t.failure = new Failure(Failure.Kind.WRONG_DERIVATIVE, Variant.FLOAT, f.name + "."
              + key(m), m + " at x = " + Arrays.toString(x));
        }
        done++;
      } catch (Subject.DerivativeFailed e) {
        t.failure = new Failure(Failure.Kind.RUNTIME_EXCEPTION, Variant.FLOAT,
            f.name + "." + e.method,
            InMemoryCompiler.stackTrace(e.getCause()).lines().limit(12)
                .reduce((a, b) -> a + "\n" + b).orElse("") + "\nat x = " + Arrays.toString(x));
      } catch (Values.NullDerivative e) {
        t.failure = new Failure(Failure.Kind.WRONG_DERIVATIVE, Variant.FLOAT, f.name + ".null",
            e.getMessage() + " at x = " + Arrays.toString(x));
      } catch (Subject.PrimalFailed e) {
        t.skipped++;
      }
    }
    return t;
  }

  private static boolean smoothAround(Subject d, double[] x, Random rnd, double fx) {
    for (int k = 0; k < 2; k++) {
      double[] dir = gaussian(rnd, d.dim);
      if (!close(directional(d, x, dir, 1e-2), directional(d, x, dir, 1e-4), 1e-2, fx)) {
        return false;
      }
    }
    return true;
  }

  private static String compareAt(Subject f, Subject d, double[] x, double[] v, Tally t) {
    double[] gd = d.grad(x);
    double[] gf = f.grad(x);
    t.checks++;
    double scale = norm(gd);
    if (!sameOrBothNaN(gd, gf, FLOAT_TOL, scale)) {
      return "grad: expected " + Arrays.toString(gd) + " (double variant) but got "
          + Arrays.toString(gf);
    }
    double[] jd = d.jvp(x, v);
    double[] jf = f.jvp(x, v);
    t.checks++;
    if (!sameOrBothNaN(new double[] {jd[1]}, new double[] {jf[1]}, FLOAT_TOL, scale)) {
      return "jvp: expected " + jd[1] + " (double variant) but got " + jf[1];
    }
    double[] vf = f.vjp(x, 0.5);
    t.checks++;
    for (int i = 0; i < gd.length; i++) {
      if (!sameOrBothNaN(new double[] {0.5 * gd[i]}, new double[] {vf[i]}, FLOAT_TOL, scale)) {
        return "vjp: component " + i + " expected " + 0.5 * gd[i] + " (double variant) but got "
            + vf[i];
      }
    }
    double[] vgf = f.valueAndGrad(x);
    t.checks++;
    for (int i = 0; i < gd.length; i++) {
      if (!sameOrBothNaN(new double[] {gd[i]}, new double[] {vgf[i + 1]}, FLOAT_TOL, scale)) {
        return "valueAndGrad.grad: component " + i + " expected " + gd[i]
            + " (double variant) but got " + vgf[i + 1];
      }
    }
    double[] hd = d.hvp(x, v);
    double[] hf = f.hvp(x, v);
    t.checks++;
    if (!sameOrBothNaN(hd, hf, FLOAT_TOL * 10, norm(hd) + scale)) {
      return "hvp: expected " + Arrays.toString(hd) + " (double variant) but got "
          + Arrays.toString(hf);
    }
    return null;
  }

  // ---- differences and norms ---------------------------------------------------------------

  private static double partial(Subject s, double[] x, int i, double step) {
    double h = step * Math.max(1, Math.abs(x[i]));
    double[] p = x.clone();
    p[i] = x[i] + h;
    double up = s.value(p);
    p[i] = x[i] - h;
    double down = s.value(p);
    return (up - down) / (2 * h);
  }

  private static double directional(Subject s, double[] x, double[] v, double step) {
    double h = step / Math.max(1e-300, norm(v));
    return (s.value(axpy(h, v, x)) - s.value(axpy(-h, v, x))) / (2 * h);
  }

  private static double[] gradDirectional(Subject s, double[] x, double[] v, double step) {
    double h = step / Math.max(1e-300, norm(v));
    double[] up = s.grad(axpy(h, v, x));
    double[] down = s.grad(axpy(-h, v, x));
    double[] out = new double[up.length];
    for (int i = 0; i < out.length; i++) out[i] = (up[i] - down[i]) / (2 * h);
    return out;
  }

  static double[] gaussian(Random rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian();
    return v;
  }

  private static double[] axpy(double a, double[] x, double[] y) {
    double[] out = y.clone();
    for (int i = 0; i < out.length; i++) out[i] += a * x[i];
    return out;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  private static double absDot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]);
    return s;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  /** |a - b| within tol relative to the largest of 1, |a|, |b| and {@code scale}. */
  static boolean close(double a, double b, double tol, double scale) {
    if (a == b) return true;
    if (!Double.isFinite(a) || !Double.isFinite(b)) return false;
    if (!Double.isFinite(scale)) scale = 0;
    double denom = Math.max(1, Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(scale) * 1e-2)));
    return Math.abs(a - b) <= tol * denom;
  }

  static boolean close(double a, double b, double tol) {
    return close(a, b, tol, 0);
  }

  private static boolean allClose(double[] a, double[] b, double tol, double scale) {
    for (int i = 0; i < a.length; i++) {
      if (!close(a[i], b[i], tol, scale)) return false;
    }
    return true;
  }

  /** For float against double: NaN in both agrees (the double variant is checked on its own). */
  private static boolean sameOrBothNaN(double[] a, double[] b, double tol, double scale) {
    for (int i = 0; i < a.length; i++) {
      if (!(Double.isNaN(a[i]) && Double.isNaN(b[i])) && !close(a[i], b[i], tol, scale)) {
        return false;
      }
    }
    return true;
  }
}
