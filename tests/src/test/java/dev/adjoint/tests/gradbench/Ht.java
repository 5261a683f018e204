package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GradBench's {@code ht} (ADBench's hand tracking): a hand model of {@code nb} bones skins its
 * {@code nv} vertices (linear blend skinning of each bone's posed transform, 26 pose parameters
 * {@code theta}: global rotation and translation, then finger joint angles); the objective is
 * the distance of each observed point to its corresponding vertex ("simple") or to a point of
 * its corresponding triangle at barycentric coordinates {@code us} ("complicated"). The
 * derivative is the Jacobian of those residuals in theta (and in each point's own {@code us},
 * two columns): one forward pass per column, since there are far more residuals than inputs.
 * Matrices are row-major {@code double[]}; written as the C++ reference computes it.
 */
public final class Ht implements Eval {
  /** The hand model: per bone 4 x 4 matrices, per vertex a position and bone weights. */
  record HandModel(int[] parents, double[] baseRelatives, double[] inverseBaseAbsolutes,
      double[] basePositions, double[] weights, int[] triangles, boolean mirrored) {}

  /** The 3 x 3 rotation of Euler angles (x, z, y order as ADBench): Rz Ry Rx, row-major. */
  @Differentiable
  public static double[] eulerRotation(double tx, double tz, double ty) {
    double cx = Math.cos(tx);
    double sx = Math.sin(tx);
    double cy = Math.cos(ty);
    double sy = Math.sin(ty);
    double cz = Math.cos(tz);
    double sz = Math.sin(tz);
    double[] rx = {1, 0, 0, 0, cx, -sx, 0, sx, cx};
    double[] ry = {cy, 0, sy, 0, 1, 0, -sy, 0, cy};
    double[] rz = {cz, -sz, 0, sz, cz, 0, 0, 0, 1};
    return matmul(matmul(rz, ry, 3), rx, 3);
  }

  /** The product of two n x n matrices. */
  @Differentiable
  public static double[] matmul(double[] a, double[] b, int n) {
    double[] c = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += a[i * n + k] * b[k * n + j];
        }
        c[i * n + j] = s;
      }
    }
    return c;
  }

  /** The residuals: 3 per correspondence; {@code us} is empty for the simple variant. */
  @Differentiable
  public static double[] objective(double[] theta, double[] us, @NoDerivative HandModel model,
      @NoDerivative int[] correspondences, @NoDerivative double[] points) {
    int nb = model.parents().length;
    int nv = model.basePositions().length / 4;
    // pose parameters, 3 per column: global rotation, scale (1), translation, then per bone
    double[] pose = new double[3 * (nb + 3)];
    for (int r = 0; r < 3; r++) {
      pose[r] = theta[r];
      pose[3 + r] = 1;
      pose[6 + r] = theta[3 + r];
    }
    int it = 6;
    int ip = 5;
    for (int finger = 0; finger < 5; finger++) {
      for (int joint = 2; joint <= 4; joint++) {
        pose[3 * ip] = theta[it];
        it++;
        if (joint == 2) {
          pose[3 * ip + 1] = theta[it];
          it++;
        }
        ip++;
      }
      ip++;
    }
    // each bone's transform: its base relative posed by its rotation, chained to the root,
    // then relative to the bone's base absolute
    double[] absolutes = new double[16 * nb];
    double[] transforms = new double[16 * nb];
    for (int b = 0; b < nb; b++) {
      int col = 3 * (b + 3);
      double[] rot = eulerRotation(pose[col], pose[col + 1], pose[col + 2]);
      double[] posed = new double[16];
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 3; c++) {
          double s = 0;
          for (int k = 0; k < 3; k++) {
            s += model.baseRelatives()[16 * b + 4 * r + k] * rot[3 * k + c];
          }
          posed[4 * r + c] = s;
        }
        posed[4 * r + 3] = model.baseRelatives()[16 * b + 4 * r + 3];
      }
      int parent = model.parents()[b];
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
          double s = 0;
          if (parent == -1) {
            s = posed[4 * r + c];
          } else {
            for (int k = 0; k < 4; k++) {
              s += absolutes[16 * parent + 4 * r + k] * posed[4 * k + c];
            }
          }
          absolutes[16 * b + 4 * r + c] = s;
        }
      }
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
          double s = 0;
          for (int k = 0; k < 4; k++) {
            s += absolutes[16 * b + 4 * r + k]
                * model.inverseBaseAbsolutes()[16 * b + 4 * k + c];
          }
          transforms[16 * b + 4 * r + c] = s;
        }
      }
    }
    // the global rotation (angle-axis), its columns scaled
    double[] global = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    double norm = Math.sqrt(theta[0] * theta[0] + theta[1] * theta[1] + theta[2] * theta[2]);
    if (norm >= 0.0001) {
      double x = theta[0] / norm;
      double y = theta[1] / norm;
      double z = theta[2] / norm;
      double s = Math.sin(norm);
      double c = Math.cos(norm);
      global = new double[] {
          x * x + (1 - x * x) * c, x * y * (1 - c) - z * s, x * z * (1 - c) + y * s,
          x * y * (1 - c) + z * s, y * y + (1 - y * y) * c, y * z * (1 - c) - x * s,
          x * z * (1 - c) - y * s, z * y * (1 - c) + x * s, z * z + (1 - z * z) * c};
    }
    // linear blend skinning, then the global transform
    double[] positions = new double[3 * nv];
    for (int v = 0; v < nv; v++) {
      double p0 = 0;
      double p1 = 0;
      double p2 = 0;
      for (int b = 0; b < nb; b++) {
        double w = model.weights()[v * nb + b];
        double[] q = new double[3];
        for (int i = 0; i < 3; i++) {
          double s = 0;
          for (int k = 0; k < 4; k++) {
            s += transforms[16 * b + 4 * i + k] * model.basePositions()[4 * v + k];
          }
          q[i] = s * w;
        }
        p0 += q[0];
        p1 += q[1];
        p2 += q[2];
      }
      if (model.mirrored()) {
        p0 = -p0;
      }
      for (int i = 0; i < 3; i++) {
        positions[3 * v + i] = global[3 * i] * pose[3] * p0 + global[3 * i + 1] * pose[4] * p1
            + global[3 * i + 2] * pose[5] * p2 + pose[6 + i];
      }
    }
    int n = correspondences.length;
    double[] err = new double[3 * n];
    for (int i = 0; i < n; i++) {
      int v = correspondences[i];
      for (int j = 0; j < 3; j++) {
        double hand;
        if (us.length == 0) {
          hand = positions[3 * v + j];
        } else {
          int[] t = model.triangles();
          double u0 = us[2 * i];
          double u1 = us[2 * i + 1];
          hand = u0 * positions[3 * t[3 * v] + j] + u1 * positions[3 * t[3 * v + 1] + j]
              + (1 - u0 - u1) * positions[3 * t[3 * v + 2] + j];
        }
        err[3 * i + j] = points[3 * i + j] - hand;
      }
    }
    return err;
  }

  /**
   * The Jacobian, one row per residual: for the complicated variant first the columns of each
   * point's {@code us} (each residual depends on its own point's pair only, so one forward pass
   * with every first coordinate's tangent 1 gives the whole column), then those of theta. One
   * JVP per column: faster here than one {@code objectiveJvpN} along all 28 (1.0 s against
   * 1.7 s over the eval's workloads, 2026-12-03), whose tangents of arrays are rows per
   * direction, so the skinning loop reads 28 rows where one JVP streams one array.
   */
  static double[][] jacobian(double[] theta, double[] us, HandModel model, int[] corr,
      double[] points) {
    int rows = 3 * corr.length;
    int extra = us.length == 0 ? 0 : 2;
    double[][] out = new double[rows][extra + theta.length];
    double[] zeroTheta = new double[theta.length];
    for (int c = 0; c < extra; c++) {
      double[] tu = new double[us.length];
      for (int i = c; i < us.length; i += 2) tu[i] = 1;
      double[] col = HtDerivatives.objectiveJvp(theta, us, model, corr, points, zeroTheta, tu)
          .tangent();
      for (int r = 0; r < rows; r++) out[r][c] = col[r];
    }
    double[] zeroUs = new double[us.length];
    for (int c = 0; c < theta.length; c++) {
      double[] tt = new double[theta.length];
      tt[c] = 1;
      double[] col = HtDerivatives.objectiveJvp(theta, us, model, corr, points, tt, zeroUs)
          .tangent();
      for (int r = 0; r < rows; r++) out[r][extra + c] = col[r];
    }
    return out;
  }

  private static int[] ints(Object v) {
    List<?> l = (List<?>) v;
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).intValue();
    return out;
  }

  /** A list of matrices (or of rows) flattened row by row. */
  private static double[] flat(Object v) {
    List<Double> out = new ArrayList<>();
    flatten(v, out);
    double[] a = new double[out.size()];
    for (int i = 0; i < a.length; i++) a[i] = out.get(i);
    return a;
  }

  private static void flatten(Object v, List<Double> out) {
    if (v instanceof List) {
      for (Object o : (List<?>) v) flatten(o, out);
    } else {
      out.add(((Number) v).doubleValue());
    }
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    Map<String, Object> input = Json.object(message);
    Map<String, Object> data = Json.object(input.get("data"));
    Map<String, Object> m = Json.object(data.get("model"));
    HandModel model = new HandModel(ints(m.get("parents")), flat(m.get("base_relatives")),
        flat(m.get("inverse_base_absolutes")), flat(m.get("base_positions")),
        flat(m.get("weights")), ints(flatList(m.get("triangles"))),
        Boolean.TRUE.equals(m.get("is_mirrored")));
    double[] theta = Json.doubles(input.get("theta"));
    Object u = input.get("us");
    double[] us = u == null ? new double[0] : flat(u);
    int[] corr = ints(data.get("correspondences"));
    double[] points = flat(data.get("points"));
    switch (function) {
      case "objective": return () -> objective(theta, us, model, corr, points);
      case "jacobian": return () -> List.of(jacobian(theta, us, model, corr, points));
      default: return null;
    }
  }

  private static List<Object> flatList(Object v) {
    List<Object> out = new ArrayList<>();
    for (Object row : (List<?>) v) out.addAll((List<?>) row);
    return out;
  }
}
