package dev.adjoint.tests.processor;

import static dev.adjoint.tests.processor.Snippets.generated;
import static dev.adjoint.tests.processor.Snippets.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What reverse mode writes for a call to another {@code @Differentiable} method (the values are
 * checked by {@code ResidualsTest} and the corpus matrix): the callee's split forward and
 * backward work on the caller's tape, a recursive method splits its calls to itself, and a call
 * whose value may not reach the result marks the tape so that its residuals can be dropped.
 */
class SplitCallsCodeTest {
  private static final String MINORS = """
      final class Minors {
        @Differentiable
        static double minor(double[] a, int ell, int row, int used) {
          if (row == ell - 1) {
            int c = 0;
            while ((used & (1 << c)) != 0) c++;
            return a[row * ell + c];
          }
          double det = 0;
          int sign = 1;
          for (int c = 0; c < ell; c++) {
            if ((used & (1 << c)) == 0) {
              double sub = minor(a, ell, row + 1, used | (1 << c));
              det += sign * a[row * ell + c] * sub;
              sign = -sign;
            }
          }
          return det;
        }

        @Differentiable
        static double det(double[] a, int ell) {
          return minor(a, ell, 0, 0);
        }
      }
      """;

  @Test
  void aRecursiveMethodSplitsItsCallsToItselfOntoOneTape() throws IOException {
    String source = generated("Minors", MINORS);
    String forward = method(source, "double minorVjpForward(");
    assertTrue(forward.contains("double minorVjpForward(double[] a, int ell, int row, int used, "
        + "Tape tape)"), forward);
    assertTrue(forward.contains("MinorsDerivatives.minorVjpForward(a, ell, "), forward);
    assertFalse(forward.contains("new Tape()"), forward);
    assertFalse(forward.contains("Tape.open()"), forward);
    String backward = method(source, "double[] minorVjpBackward(");
    assertTrue(backward.contains("double[] minorVjpBackward(Tape tape, double[] aBar, "
        + "double cotangent)"), backward);
    assertTrue(backward.contains("MinorsDerivatives.minorVjpBackward(tape, aBar, "), backward);
    assertFalse(backward.contains("minorVjp("), "no level recomputes the one below: " + backward);
    assertFalse(source.contains("record MinorResiduals"), source);
    // the caller that runs both sweeps owns the tape
    String det = method(source, "double[] detVjp(");
    assertTrue(det.contains("Tape tape = Tape.open();"), det);
    assertTrue(det.contains("MinorsDerivatives.minorVjpForward(a, ell, 0, 0, tape);"), det);
    assertTrue(det.contains("MinorsDerivatives.minorVjpBackward(tape, aBar, cotangent);"), det);
  }

  @Test
  void aCallThatMayNotReachTheResultMarksTheTape() throws IOException {
    String source = generated("Sometimes", """
        final class Sometimes {
          @Differentiable
          static double root(double a) {
            double r = a;
            for (int i = 0; i < 2; i++) r = Math.sqrt(r);
            return r;
          }

          @Differentiable
          static double f(double[] x) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              double r = root(x[i] * x[i]);
              if (x[i] != 0) {
                s += r * x[i];
              } else {
                s += x[i];
              }
            }
            return s;
          }
        }
        """);
    String vjp = method(source, "double[] fVjp(");
    // the marks the callee leaves open go above its residuals, and come back for its backward
    assertTrue(vjp.matches("(?s).*int (mark\\d*) = tape\\.mark\\(\\);\\s+t\\d+ = "
        + "SometimesDerivatives\\.rootVjpForward\\(t\\d+, tape\\);\\s+tape\\.endCall\\(\\1\\);.*"),
        vjp);
    assertTrue(vjp.matches("(?s).*if \\((t\\d+)Reached\\) \\{\\s+tape\\.reopen\\(\\);"
        + "\\s+double \\1Grad = "
        + "SometimesDerivatives\\.rootVjpBackward\\(tape, \\1Bar\\);[^}]*tape\\.dropMark\\(\\);"
        + "\\s+\\} else \\{[^}]*tape\\.rewindCall\\(\\);.*"), vjp);
    assertEquals(1, vjp.split("tape\\.mark\\(\\)", -1).length - 1, vjp);
  }
}
