package dev.adjoint.tests.processor;

import static dev.adjoint.tests.processor.Snippets.generated;
import static dev.adjoint.tests.processor.Snippets.method;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What reverse mode writes for selection loops, a running max or min (the values are checked
 * against central differences by the corpus matrix, {@code corpus/Selections.java}, and against
 * the reversal of every iteration by {@code SelectionTest}): the forward sweep notes the
 * iteration that set the value last and records nothing per iteration; the reverse sweep
 * reverses that iteration alone. And where it does not apply.
 */
class SelectionCodeTest {
  @Test
  void aRunningMaximumRecordsOnlyTheWinningIteration() throws IOException {
    String vjp = method(generated("Lse", """
        final class Lse {
          @Differentiable
          static double lse(double[] x) {
            double a = x[0];
            for (int i = 1; i < x.length; i++) a = Math.max(a, x[i]);
            double s = 0;
            for (int i = 0; i < x.length; i++) s += Math.exp(x[i] - a);
            return Math.log(s) + a;
          }
        }
        """), "lseVjp(");
    assertFalse(vjp.contains("tape.push(a)"), vjp);
    assertTrue(vjp.contains("if (!(a >= t"), vjp); // max's rule: a >= e keeps a
    assertTrue(vjp.matches("(?s).*aWon = true;\\s+aAt = i;.*"), vjp);
    assertTrue(vjp.matches("(?s).*if \\(aWon\\) \\{\\s+i = aAt;.*xBar\\[i\\] \\+= t\\d*Bar;.*"),
        vjp);
    assertTrue(vjp.contains("whether and in which iteration 'a' last took a new value (int, line "
        + "7): once"), vjp);
  }

  @Test
  void insideAnotherLoopTheChoiceGoesOnTheTapeOncePerRun() throws IOException {
    String vjp = method(generated("Nested", """
        final class Nested {
          @Differentiable
          static double f(double[] x, double[] y) {
            double total = 0;
            for (int i = 0; i < y.length; i++) {
              double m = 100;
              for (int j = 0; j < x.length; j++) m = Math.min((x[j] - y[i]) * (x[j] - y[i]), m);
              total += m;
            }
            return total;
          }
        }
        """), "fVjp(");
    // min(e, m) with m second: e is taken when e <= m, as min's rule gives it the tangent
    assertTrue(vjp.contains("if (t") && vjp.contains(" <= m) {"), vjp);
    assertTrue(vjp.matches("(?s).*tape\\.push\\(mWon\\);\\s+tape\\.push\\(mAt\\);.*"), vjp);
    assertTrue(vjp.matches("(?s).*mAt = tape\\.popInt\\(\\);\\s+mWon = tape\\.popBoolean\\(\\);.*"),
        vjp);
    assertTrue(vjp.contains("whether and in which iteration 'm' last took a new value (int, line 9)"
        + ": once per iteration of the loop at line 7"), vjp);
  }

  @Test
  void aLoopCarryingAnythingElseIsReversedIterationByIteration() throws IOException {
    String vjp = method(generated("Carried", """
        final class Carried {
          @Differentiable
          static double f(double[] x) {
            double a = x[0];
            double s = 0;
            for (int i = 1; i < x.length; i++) {
              s += x[i] * a;
              a = Math.max(a, x[i]);
            }
            return a + s;
          }
        }
        """), "fVjp(");
    assertFalse(vjp.contains("aWon"), vjp);
    assertTrue(vjp.contains("tape.push(a);"), vjp);
  }
}
