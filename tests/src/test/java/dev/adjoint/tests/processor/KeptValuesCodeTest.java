package dev.adjoint.tests.processor;

import static dev.adjoint.tests.processor.Snippets.generated;
import static dev.adjoint.tests.processor.Snippets.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Which values of a loop body the reverse sweep keeps and which it computes again (the values are
 * checked against finite differences by the corpus matrix and the fuzz tests): arithmetic and
 * loads are recomputed, transcendental functions kept, since a push and a pop cost less than
 * another {@code exp}. A value overwritten outside loops is overwritten at most once per call: a
 * local keeps it, and code without loops opens no tape.
 */
class KeptValuesCodeTest {
  @Test
  void expIsKeptAndTheArithmeticAroundItRecomputed() throws IOException {
    String vjp = method(generated("Lse", """
        final class Lse {
          @Differentiable
          static double f(double[] x, double a) {
            double s = 0;
            for (int i = 0; i < x.length; i++) s += Math.exp(x[i] - a) * Math.abs(x[i]);
            return Math.log(s);
          }
        }
        """), "fVjp(");
    assertTrue(vjp.contains("'exp(...)' before it is overwritten (double, line 7)"), vjp);
    assertTrue(vjp.contains("'x[i] - a' (double, line 7)"), vjp); // recomputed
    assertTrue(vjp.contains("'abs(...)' (double, line 7)"), vjp); // cheap: recomputed
    String reverse = vjp.substring(vjp.indexOf("// reverse sweep"));
    assertFalse(reverse.contains("Math.exp("), "exp runs once per element: " + reverse);
    assertEquals(1, vjp.split("Math\\.exp\\(", -1).length - 1, vjp);
  }

  @Test
  void aValueOverwrittenOutsideLoopsStaysInALocal() throws IOException {
    String vjp = method(generated("Reproject", """
        final class Reproject {
          @Differentiable
          static double f(double x, double y, double c) {
            double u = x / y;
            if (c > 0) {
              u = u * Math.sin(c) + x;
            } else {
              u = u * c;
            }
            u = u * u + c;
            return u * y;
          }
        }
        """), "fVjp(");
    assertFalse(vjp.contains("Tape"), vjp);
    assertTrue(vjp.matches("(?s).*double (uBefore\\d*) = u;.*u = \\1;.*"), vjp);
  }

  @Test
  void aValueOverwrittenInALoopStillGoesOnTheTape() throws IOException {
    String vjp = method(generated("Overwritten", """
        final class Overwritten {
          @Differentiable
          static double f(double[] x) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              double u = x[i] * x[i];
              u = Math.sin(u) * s;
              s += u;
            }
            return s;
          }
        }
        """), "fVjp(");
    assertTrue(vjp.contains("Tape.open()"), vjp);
    assertFalse(vjp.contains("Before"), vjp);
  }
}
