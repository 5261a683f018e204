package dev.adjoint.tests.processor;

import static dev.adjoint.tests.processor.Snippets.generated;
import static dev.adjoint.tests.processor.Snippets.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What reverse mode writes for loops (the values are checked against finite differences by the
 * corpus matrix, {@code corpus/LoopReversal.java}, and against closed forms by
 * {@code LoopReversalTest}): counted loops record neither their trip count nor their counter,
 * and a loop's reversal is skipped while the adjoints flowing into it are zero.
 */
class LoopReversalCodeTest {
  private static final String KMEANS = """
      final class Kmeans {
        @Differentiable
        static double cost(@NoDerivative double[] p, double[] c, int n, int k, int d) {
          double cost = 0;
          for (int i = 0; i < n; i++) {
            double closest = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
              double dist = 0;
              for (int l = 0; l < d; l++) {
                double t = p[i * d + l] - c[j * d + l];
                dist += t * t;
              }
              closest = Math.min(closest, dist);
            }
            cost += closest;
          }
          return cost;
        }
      }
      """;

  @Test
  void aLoopNestRecordsNoIntegers() throws IOException {
    String vjp = method(generated("Kmeans", KMEANS), "costVjp(");
    assertFalse(vjp.contains("trips += 1"), vjp);
    // one integer per point: the closest centroid (a selection loop, see SelectionCodeTest)
    assertEquals(1, vjp.split("popInt", -1).length - 1, vjp);
    assertTrue(vjp.matches("(?s).*int (trips\\d*) = Loops\\.below\\(0, d, 1\\);\\s+l = \\1;.*"),
        vjp);
    assertTrue(vjp.contains("the trip count of the loop and its counter 'l', from the loop's "
        + "bounds (int, line 11)"), vjp);
  }

  @Test
  void theInnerReversalRunsOnlyWhereAnAdjointReachesIt() throws IOException {
    String source = generated("Kmeans", KMEANS);
    String vjp = method(source, "costVjp(");
    assertTrue(vjp.matches("(?s).*if \\(Loops\\.nonZero\\(distBar\\)\\) \\{\\s+for \\(int k\\d* "
        + "= 0; k\\d* < trips\\d*; k\\d*\\+\\+\\) \\{.*"), vjp);
    // forward over reverse: the tangent of the adjoint may be nonzero where the adjoint is zero
    String hvp = method(source, "Dual<double[]> costVjpJvp(");
    assertTrue(hvp.contains("if (Loops.nonZero(distBar) | Loops.nonZero(distBarDot)) {"), hvp);
    // vector mode (the Hessian's basis directions) runs the reversal always
    String lanes = method(source, "DualN<double[], double[][]> costVjpJvpN(");
    assertFalse(lanes.contains("nonZero"), lanes);
  }

  @Test
  void aTriangularNestIsCountedAndACounterReadAfterIsRecorded() throws IOException {
    String vjp = method(generated("Triangle", """
        final class Triangle {
          @Differentiable
          static double f(double[] x) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              for (int j = 0; j < i; j++) s += x[i] * x[j] * Math.exp(-s);
            }
            int m;
            for (m = 0; m < x.length && s < 5; m++) s *= 1 + x[m];
            return s + m * x[0];
          }
        }
        """), "fVjp(");
    // j < i: the trip count from the outer counter, which the reversal sets per iteration
    assertTrue(vjp.matches("(?s).*int trips\\d* = Loops\\.below\\(0, i, 1\\);.*"), vjp);
    assertTrue(vjp.contains("Loops.below(0, x.length, 1)"), vjp); // i < x.length
    assertTrue(vjp.contains("the loop and its counter 'j'"), vjp);
    assertFalse(vjp.contains("the loop and its counter 'm'"), vjp); // m is read after its loop
    assertTrue(vjp.contains("trips += 1;"), vjp); // m's loop counts its trips
  }

  @Test
  void anArrayReadMoreOftenThanWrittenIsRestoredNotRecordedPerLoad() throws IOException {
    String vjp = method(generated("Centred", """
        final class Centred {
          @Differentiable
          static double f(double[] x, double[] mu, int d) {
            double[] xc = new double[d];
            double total = 0;
            for (int k = 0; k < mu.length / d; k++) {
              for (int i = 0; i < d; i++) xc[i] = x[i] - mu[k * d + i];
              for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) total += xc[i] * xc[j];
              }
            }
            return total;
          }
        }
        """), "fVjp(");
    assertTrue(vjp.contains("the element of 'xc' it overwrites (double, line 9)"), vjp);
    assertFalse(vjp.matches("(?s).*'xc\\[[a-z0-9]+\\]' before it is overwritten.*"), vjp);
    assertTrue(vjp.contains("Recomputed in the reverse sweep instead of kept:"), vjp);
    assertTrue(vjp.contains("'xc[j]' (double, line 11)"), vjp);
    assertFalse(vjp.contains("popInt"), "the triangular nest records no integers: " + vjp);
  }
}
