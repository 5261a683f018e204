package dev.adjoint.tests.bench;

import dev.adjoint.Differentiable;
import java.util.Random;

/**
 * The vector JVP ({@code fJvpN}) along K directions against K one-tangent JVPs ({@code fJvp}),
 * on a loop of {@code sin}, products and a branch over a 2,000-element array. Prints the
 * milliseconds per call of each and their ratio, after a warm-up. Not a unit test:
 * {@code mvn -q -pl tests exec:exec@jvpn-bench} after {@code mvn -q install -DskipTests}.
 */
public final class VectorJvpBenchmark {
  private VectorJvpBenchmark() {}

  @Differentiable
  static double waves(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > 0) {
        s += Math.sin(x[i]) * x[i];
      } else {
        s += x[i] * x[i] * x[i];
      }
    }
    return Math.log(1 + s * s);
  }

  public static void main(String[] args) {
    int n = 2000;
    int calls = 400;
    Random rnd = new Random(3);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = rnd.nextGaussian();
    System.out.println("   K   fJvpN ms   K x fJvp ms   primal ms   fJvpN / (K x fJvp)");
    double sink = 0;
    for (int k : new int[] {1, 2, 4, 8, 16, 32}) {
      double[][] d = new double[k][n];
      for (double[] row : d) for (int i = 0; i < n; i++) row[i] = rnd.nextGaussian();
      double vector = 0;
      double separate = 0;
      double primal = 0;
      for (int rep = 0; rep < 6; rep++) { // the last run counts: the first ones warm up
        long t0 = System.nanoTime();
        for (int c = 0; c < calls; c++) {
          sink += VectorJvpBenchmarkDerivatives.wavesJvpN(x, d).tangents()[k - 1];
        }
        long t1 = System.nanoTime();
        for (int c = 0; c < calls; c++) {
          for (int j = 0; j < k; j++) sink += VectorJvpBenchmarkDerivatives.wavesJvp(x, d[j]).tangent();
        }
        long t2 = System.nanoTime();
        for (int c = 0; c < calls; c++) sink += waves(x);
        long t3 = System.nanoTime();
        vector = (t1 - t0) / (calls * 1e6);
        separate = (t2 - t1) / (calls * 1e6);
        primal = (t3 - t2) / (calls * 1e6);
      }
      System.out.printf("%4d %10.4f %13.4f %11.4f %20.2f%n", k, vector, separate, primal,
          vector / separate);
    }
    if (sink == 42) System.out.println();
  }
}
