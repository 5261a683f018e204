package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GradBench's {@code gmm}: the negative log-likelihood of a Gaussian mixture of {@code k}
 * components in {@code d} dimensions over {@code n} points, with a Wishart prior, the inverse
 * covariances parametrized by a log-diagonal {@code q} and a strictly lower triangle {@code l}
 * (ADBench's formulation), and its gradient in {@code alpha}, {@code mu}, {@code q}, {@code l}.
 * Written as the C++ reference writes it.
 */
public final class Gmm implements Eval {
  @Differentiable
  public static double logsumexp(double[] v) {
    double mx = v[0];
    for (int i = 1; i < v.length; i++) {
      mx = Math.max(mx, v[i]);
    }
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += Math.exp(v[i] - mx);
    }
    return Math.log(s) + mx;
  }

  /**
   * The objective; {@code priorConstant} is the part of the prior that depends on no
   * parameter ({@code k} times its log normalizer, see {@link #priorConstant}).
   */
  @Differentiable
  public static double objective(double[] alpha, double[] mu, double[] q, double[] l,
      @NoDerivative double[] x, int d, int k, int n, double gamma, int m,
      double priorConstant) {
    int lsz = d * (d - 1) / 2;
    double[] qdiags = new double[d * k];
    for (int i = 0; i < d * k; i++) {
      qdiags[i] = Math.exp(q[i]);
    }
    double[] sumQs = new double[k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < d; j++) {
        sumQs[i] += q[i * d + j];
      }
    }
    double[] xc = new double[d];
    double[] qx = new double[d];
    double[] mainTerm = new double[k];
    double slse = 0;
    for (int ix = 0; ix < n; ix++) {
      for (int ik = 0; ik < k; ik++) {
        for (int id = 0; id < d; id++) {
          xc[id] = x[ix * d + id] - mu[ik * d + id];
        }
        for (int id = 0; id < d; id++) {
          qx[id] = qdiags[ik * d + id] * xc[id];
        }
        int li = 0;
        for (int i = 0; i < d; i++) {
          for (int j = i + 1; j < d; j++) {
            qx[j] += l[ik * lsz + li] * xc[i];
            li++;
          }
        }
        double sq = 0;
        for (int id = 0; id < d; id++) {
          sq += qx[id] * qx[id];
        }
        mainTerm[ik] = alpha[ik] + sumQs[ik] - 0.5 * sq;
      }
      slse += logsumexp(mainTerm);
    }
    double err = -n * d * 0.5 * Math.log(2 * Math.PI) + slse - n * logsumexp(alpha);
    double prior = 0;
    for (int ik = 0; ik < k; ik++) {
      double frobenius = 0;
      for (int j = 0; j < d; j++) {
        frobenius += qdiags[ik * d + j] * qdiags[ik * d + j];
      }
      for (int j = 0; j < lsz; j++) {
        frobenius += l[ik * lsz + j] * l[ik * lsz + j];
      }
      prior += 0.5 * gamma * gamma * frobenius - m * sumQs[ik];
    }
    return err - prior + priorConstant;
  }

  /** {@code k} times the Wishart prior's log normalizer, as ADBench defines it. */
  static double priorConstant(int d, int k, double gamma, int m) {
    int n = d + m + 1;
    double logGammaDistrib = 0.25 * d * (d - 1) * Math.log(Math.PI);
    for (int j = 1; j <= d; j++) logGammaDistrib += logGamma(0.5 * n + 0.5 * (1 - j));
    return k * (n * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logGammaDistrib);
  }

  /** ln Γ(z) for z > 0, Lanczos (g = 7, nine terms): relative error near 1e-15. */
  static double logGamma(double z) {
    if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
    double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
        9.9843695780195716e-6, 1.5056327351493116e-7};
    z -= 1;
    double a = c[0];
    double t = z + 7.5;
    for (int i = 1; i < 9; i++) a += c[i] / (z + i);
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    Map<String, Object> input = Json.object(message);
    int d = Json.integer(input.get("d"));
    int k = Json.integer(input.get("k"));
    int n = Json.integer(input.get("n"));
    int[] dims = new int[2];
    double[] alpha = Json.doubles(input.get("alpha"));
    double[] mu = Json.rows(input.get("mu"), dims);
    double[] q = Json.rows(input.get("q"), dims);
    double[] l = Json.rows(input.get("l"), dims);
    double[] x = Json.rows(input.get("x"), dims);
    double gamma = ((Number) input.get("gamma")).doubleValue();
    int m = Json.integer(input.get("m"));
    double c = priorConstant(d, k, gamma, m);
    switch (function) {
      case "objective":
        return () -> objective(alpha, mu, q, l, x, d, k, n, gamma, m, c);
      case "jacobian":
        return () -> {
          GmmDerivatives.ObjectiveGrad g =
              GmmDerivatives.objectiveGrad(alpha, mu, q, l, x, d, k, n, gamma, m, c);
          int lsz = d * (d - 1) / 2;
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("alpha", g.alpha());
          out.put("mu", Json.asRows(g.mu(), k, d));
          out.put("q", Json.asRows(g.q(), k, d));
          out.put("l", Json.asRows(g.l(), k, lsz));
          return out;
        };
      default:
        return null;
    }
  }
}
