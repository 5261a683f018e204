package dev.adjoint.tests.processor;

import static dev.adjoint.tests.processor.Snippets.generated;
import static dev.adjoint.tests.processor.Snippets.method;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What the emitter does with arrays a generated method allocates and hands to nothing (the
 * values are those of the rest of the suite: every generated method goes through it): gmm's
 * triangular product, reversed, keeps {@code xcBar[i]} and {@code xc[i]} in locals across the
 * inner loop and drops {@code qxBar[j]}'s zero-and-add-back; an array handed to a call keeps
 * its element traffic as it is.
 */
class ArraySlotsCodeTest {
  private static final String TRIANGLE = """
      final class Triangle {
        @Differentiable
        static double f(double[] x, double[] l, int d) {
          double[] xc = new double[d];
          double[] qx = new double[d];
          double s = 0;
          for (int k = 0; k < 3; k++) {
            for (int i = 0; i < d; i++) xc[i] = x[i] * (k + 1);
            for (int i = 0; i < d; i++) qx[i] = xc[i];
            int li = 0;
            for (int i = 0; i < d; i++) {
              for (int j = i + 1; j < d; j++) {
                qx[j] += l[li] * xc[i];
                li++;
              }
            }
            for (int i = 0; i < d; i++) s += qx[i] * qx[i];
          }
          return s;
        }
      }
      """;

  @Test
  void aReverseLoopSumsIntoALocalAndReadsAFixedElementOnce() throws IOException {
    String vjp = method(generated("Triangle", TRIANGLE), "fVjp(");
    assertTrue(vjp.matches("(?s).*if \\((trips\\d*) > 0\\) \\{\\s+(// \\S+\\s+)?"
        + "double xcElement\\d* = xc\\[i\\d*\\];\\s+double xcBarSum\\d* = xcBar\\[i\\d*\\];.*"
        + "xcBarSum\\d* \\+= .*xcBar\\[i\\d*\\] = xcBarSum\\d*;.*"), vjp);
    assertFalse(vjp.matches("(?s).*qxBar\\[j\\d*\\] = 0\\.0;.*"), vjp);
  }

  @Test
  void anArrayHandedToACallIsLeftAlone() throws IOException {
    String vjp = method(generated("Handed", """
        final class Handed {
          @Differentiable
          static double g(double[] v) {
            return v[0] * v[1];
          }

          @Differentiable
          static double f(double[] x) {
            double[] v = new double[2];
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              v[0] = x[i];
              for (int j = 0; j < x.length; j++) v[1] += x[j] * x[0];
              s += g(v);
            }
            return s;
          }
        }
        """), "fVjp(");
    assertFalse(vjp.contains("vBarSum"), vjp);
    assertTrue(vjp.contains("vBar[1] = 0.0;"), vjp); // the round trip stays
  }
}
