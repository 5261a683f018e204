package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GradBench's {@code ba} (ADBench's bundle adjustment): {@code n} cameras of 11 parameters
 * (Rodrigues rotation, centre, focal length, principal point, two radial distortion
 * coefficients), {@code m} points and {@code p} observations, each with a weight. The objective
 * is every observation's weighted reprojection error and every weight's error {@code 1 - w^2};
 * the derivative is the sparse Jacobian, a 2 x 15 block per observation (its camera, its point,
 * its weight: two reverse passes, one per row) and one number per weight, laid out as the C++
 * reference lays it out (compressed rows). As GradBench does, the input is one camera, point,
 * weight and feature replicated, but every block is computed.
 */
public final class Ba implements Eval {
  static final int CAM = 11;

  /** The weighted reprojection error of point {@code x} seen by camera {@code cam}. */
  @Differentiable
  public static double[] reprojError(double[] cam, double[] x, double w,
      @NoDerivative double feat0, @NoDerivative double feat1) {
    double x0 = x[0] - cam[3];
    double x1 = x[1] - cam[4];
    double x2 = x[2] - cam[5];
    double r0 = cam[0];
    double r1 = cam[1];
    double r2 = cam[2];
    double sqtheta = r0 * r0 + r1 * r1 + r2 * r2;
    double p0;
    double p1;
    double p2;
    if (sqtheta != 0) { // Rodrigues' formula
      double theta = Math.sqrt(sqtheta);
      double c = Math.cos(theta);
      double s = Math.sin(theta);
      double inv = 1 / theta;
      double w0 = r0 * inv;
      double w1 = r1 * inv;
      double w2 = r2 * inv;
      double t = (w0 * x0 + w1 * x1 + w2 * x2) * (1 - c);
      p0 = x0 * c + (w1 * x2 - w2 * x1) * s + w0 * t;
      p1 = x1 * c + (w2 * x0 - w0 * x2) * s + w1 * t;
      p2 = x2 * c + (w0 * x1 - w1 * x0) * s + w2 * t;
    } else { // its first order at a zero rotation
      p0 = x0 + (r1 * x2 - r2 * x1);
      p1 = x1 + (r2 * x0 - r0 * x2);
      p2 = x2 + (r0 * x1 - r1 * x0);
    }
    double u = p0 / p2;
    double v = p1 / p2;
    double rsq = u * u + v * v;
    double distortion = 1 + cam[9] * rsq + cam[10] * rsq * rsq;
    u = u * distortion * cam[6] + cam[7];
    v = v * distortion * cam[6] + cam[8];
    return new double[] {w * (u - feat0), w * (v - feat1)};
  }

  @Differentiable
  public static double weightError(double w) {
    return 1 - w * w;
  }

  /** The problem as the C++ reference builds it from the eval's one replicated observation. */
  record Problem(int n, int m, int p, double[] cams, double[] xs, double[] ws, int[] obs,
      double[] feats) {
    static Problem of(Map<String, Object> input) {
      int n = Json.integer(input.get("n"));
      int m = Json.integer(input.get("m"));
      int p = Json.integer(input.get("p"));
      double[] cam = Json.doubles(input.get("cam"));
      double[] x = Json.doubles(input.get("x"));
      double w = ((Number) input.get("w")).doubleValue();
      double[] feat = Json.doubles(input.get("feat"));
      double[] cams = new double[CAM * n];
      for (int i = 0; i < n; i++) System.arraycopy(cam, 0, cams, CAM * i, CAM);
      double[] xs = new double[3 * m];
      for (int i = 0; i < m; i++) System.arraycopy(x, 0, xs, 3 * i, 3);
      double[] ws = new double[p];
      java.util.Arrays.fill(ws, w);
      int[] obs = new int[2 * p];
      double[] feats = new double[2 * p];
      for (int i = 0; i < p; i++) {
        obs[2 * i] = i % n;
        obs[2 * i + 1] = i % m;
        feats[2 * i] = feat[0];
        feats[2 * i + 1] = feat[1];
      }
      return new Problem(n, m, p, cams, xs, ws, obs, feats);
    }
  }

  static Map<String, Object> objective(Problem b) {
    double[] reproj = new double[2 * b.p];
    double[] cam = new double[CAM];
    double[] x = new double[3];
    for (int i = 0; i < b.p; i++) {
      System.arraycopy(b.cams, CAM * b.obs[2 * i], cam, 0, CAM);
      System.arraycopy(b.xs, 3 * b.obs[2 * i + 1], x, 0, 3);
      double[] e = reprojError(cam, x, b.ws[i], b.feats[2 * i], b.feats[2 * i + 1]);
      reproj[2 * i] = e[0];
      reproj[2 * i + 1] = e[1];
    }
    double[] wErr = new double[b.p];
    for (int i = 0; i < b.p; i++) wErr[i] = weightError(b.ws[i]);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("reproj_error", Map.of("elements", new double[] {reproj[0], reproj[1]},
        "repeated", b.p));
    out.put("w_err", Map.of("element", wErr[0], "repeated", b.p));
    return out;
  }

  /** The Jacobian in compressed rows: 15 numbers in each of 2p rows, then 1 in each of p. */
  static Map<String, Object> jacobian(Problem b) {
    int nnz = 30 * b.p + b.p;
    int[] rows = new int[3 * b.p + 1];
    int[] cols = new int[nnz];
    double[] vals = new double[nnz];
    double[] cam = new double[CAM];
    double[] x = new double[3];
    double[][] unit = {{1, 0}, {0, 1}};
    int k = 0;
    int r = 0;
    for (int i = 0; i < b.p; i++) {
      int camIdx = b.obs[2 * i];
      int ptIdx = b.obs[2 * i + 1];
      System.arraycopy(b.cams, CAM * camIdx, cam, 0, CAM);
      System.arraycopy(b.xs, 3 * ptIdx, x, 0, 3);
      for (int row = 0; row < 2; row++) {
        BaDerivatives.ReprojErrorGrad g = BaDerivatives.reprojErrorVjp(cam, x, b.ws[i],
            b.feats[2 * i], b.feats[2 * i + 1], unit[row]);
        for (int j = 0; j < CAM; j++) {
          cols[k] = CAM * camIdx + j;
          vals[k++] = g.cam()[j];
        }
        for (int j = 0; j < 3; j++) {
          cols[k] = CAM * b.n + 3 * ptIdx + j;
          vals[k++] = g.x()[j];
        }
        cols[k] = CAM * b.n + 3 * b.m + i;
        vals[k++] = g.w();
        rows[r + 1] = rows[r] + 15;
        r++;
      }
    }
    for (int i = 0; i < b.p; i++) {
      cols[k] = CAM * b.n + 3 * b.m + i;
      vals[k++] = BaDerivatives.weightErrorGrad(b.ws[i]);
      rows[r + 1] = rows[r] + 1;
      r++;
    }
    // GradBench's output: the first observation's 30 entries and the last weight's one
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", firstAndLast(rows));
    out.put("cols", firstAndLast(cols));
    out.put("vals", firstAndLast(vals));
    return out;
  }

  private static List<Number> firstAndLast(int[] a) {
    Integer[] out = new Integer[31];
    for (int i = 0; i < 30; i++) out[i] = a[i];
    out[30] = a[a.length - 1];
    return List.of(out);
  }

  private static List<Number> firstAndLast(double[] a) {
    Double[] out = new Double[31];
    for (int i = 0; i < 30; i++) out[i] = a[i];
    out[30] = a[a.length - 1];
    return List.of(out);
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    Problem b = Problem.of(Json.object(message));
    switch (function) {
      case "objective": return () -> objective(b);
      case "jacobian": return () -> jacobian(b);
      default: return null;
    }
  }
}
