package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ad.Dual;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GradBench's {@code kmeans}: the k-means cost of {@code k} centroids for {@code n} points in
 * {@code d} dimensions, and the Newton direction {@code J / diag(H)}. The Hessian is diagonal,
 * so its product with a vector of ones is its diagonal: the gradient and that Hessian-vector
 * product come from one forward-over-reverse pass ({@code costVjpJvp}).
 */
public final class Kmeans implements Eval {
  @Differentiable
  public static double cost(@NoDerivative double[] points, double[] centroids, int n, int k,
      int d) {
    double cost = 0;
    for (int i = 0; i < n; i++) {
      double closest = Double.POSITIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        double dist = 0;
        for (int l = 0; l < d; l++) {
          double t = points[i * d + l] - centroids[j * d + l];
          dist += t * t;
        }
        closest = Math.min(closest, dist);
      }
      cost += closest;
    }
    return cost;
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    Map<String, Object> input = Json.object(message);
    int[] pd = new int[2];
    int[] cd = new int[2];
    double[] points = Json.rows(input.get("points"), pd);
    double[] centroids = Json.rows(input.get("centroids"), cd);
    int n = pd[0];
    int d = pd[1];
    int k = cd[0];
    switch (function) {
      case "cost":
        return () -> cost(points, centroids, n, k, d);
      case "dir":
        return () -> {
          double[] ones = new double[centroids.length];
          Arrays.fill(ones, 1.0);
          // forward over reverse, as jax.jvp(jax.grad(cost), ...): the gradient and H times ones
          // from one pass
          Dual<double[]> both = KmeansDerivatives.costVjpJvp(points, centroids, n, k, d, 1.0, ones,
              0.0);
          double[] j = both.value();
          double[] h = both.tangent();
          double[] dir = new double[j.length];
          for (int i = 0; i < dir.length; i++) dir[i] = j[i] / h[i];
          return Json.asRows(dir, k, d);
        };
      default:
        return null;
    }
  }
}
