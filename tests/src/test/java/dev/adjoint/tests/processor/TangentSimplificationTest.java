package dev.adjoint.tests.processor;

import static dev.adjoint.tests.processor.Snippets.generated;
import static dev.adjoint.tests.processor.Snippets.method;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What forward mode's simplification writes (the values are checked against finite differences
 * by the corpus matrix, {@code corpus/Algebra.java}): related products added into one term,
 * common factors taken out, sums rescaled out of their loops only where nothing in the loop
 * reads them.
 */
class TangentSimplificationTest {
  @Test
  void aSumOfSquaresIsDoubledAfterItsLoop() throws IOException {
    String jvp = method(generated("Chain", """
        final class Chain {
          @Differentiable
          static double f(double[] x) {
            double sum = 0;
            for (int i = 0; i + 1 < x.length; i++) {
              double a = 1 - x[i];
              double b = x[i + 1] - x[i] * x[i];
              sum += a * a + 100 * b * b;
            }
            return sum;
          }
        }
        """), "fJvp(");
    assertTrue(jvp.contains("// sumDot holds the tangent divided by 2.0"), jvp);
    assertTrue(jvp.contains("return new Dual<>(sum, 2.0 * sumDot);"), jvp);
    // a * a and b * (100 * b) each give one term; aDot = -xDot[i] is read as that
    assertTrue(jvp.matches("(?s).*sumDot \\+= t\\d+ \\* bDot - a \\* t\\d+Dot;.*"), jvp);
    assertFalse(jvp.contains("aDot"), jvp);
  }

  @Test
  void aSumReadInsideItsLoopKeepsItsScale() throws IOException {
    String jvp = method(generated("Reads", """
        final class Reads {
          @Differentiable
          static double f(double[] x) {
            double s = 0;
            double t = 0;
            for (int i = 0; i < x.length; i++) {
              s += x[i] * x[i];
              t += s * x[i];
            }
            return t + s;
          }
        }
        """), "fJvp(");
    assertFalse(jvp.contains("holds the tangent divided by"), jvp);
  }

  @Test
  void aSumWhoseBranchesShareTheFactorIsRescaled() throws IOException {
    // x x gives 2 x xDot and 3 x x gives 2 (3 x) xDot: 2 in both branches
    String jvp = method(generated("Both", """
        final class Both {
          @Differentiable
          static double f(double[] x) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              if (x[i] > 0) s += x[i] * x[i]; else s += 3 * x[i] * x[i];
            }
            return s;
          }
        }
        """), "fJvp(");
    assertTrue(jvp.contains("return new Dual<>(s, 2.0 * sDot);"), jvp);
  }

  @Test
  void differentConstantsAreNotTakenOut() throws IOException {
    String jvp = method(generated("Mixed", """
        final class Mixed {
          @Differentiable
          static double f(double[] x) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              if (x[i] > 0) s += x[i] * x[i]; else s += 3 * x[i];
            }
            return s;
          }
        }
        """), "fJvp(");
    assertFalse(jvp.contains("holds the tangent divided by"), jvp);
  }

  @Test
  void termsAlongOneTangentShareTheirCoefficient() throws IOException {
    String jvp = method(generated("Shared", """
        final class Shared {
          @Differentiable
          static double f(double x, double y) {
            double p = x * y;
            return p * x - 3 * x;
          }
        }
        """), "fJvp(");
    // p x: (y xDot + x yDot) x + p xDot, then -3 xDot: p + x y... along xDot, one product each
    assertTrue(jvp.contains("return new Dual<>("), jvp);
    long multiplications = jvp.substring(jvp.indexOf("return")).chars().filter(c -> c == '*')
        .count();
    assertTrue(multiplications <= 5, jvp);
  }

  @Test
  void aCubeIsThreeSquaresTimesTheTangent() throws IOException {
    String jvp = method(generated("Cube", """
        final class Cube {
          @Differentiable
          static double f(double x, double y) {
            return x * x * x + x * y * x;
          }
        }
        """), "fJvp(");
    // s = x x: (2 x xDot) x + s xDot is 3 s xDot; p = x y: (y xDot + x yDot) x + p xDot is
    // 2 p xDot + x x yDot; the two along xDot then share it
    assertTrue(jvp.matches("(?s).*\\(3\\.0 \\* t\\d* \\+ 2\\.0 \\* t\\d*\\) \\* xDot.*"), jvp);
  }

  @Test
  void integerFactorsNeverMultiplyAsIntegers() throws IOException {
    String jvp = method(generated("Ints", """
        final class Ints {
          @Differentiable
          static double f(double x, int n) {
            int m = 50000 + n;
            return x * m * m;
          }
        }
        """), "fJvp(");
    // the tangent is xDot * m * m (left to right in double), never m * m * xDot
    assertTrue(jvp.contains("xDot * m * m"), jvp);
  }
}
