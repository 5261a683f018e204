package dev.adjoint.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.tests.corpus.SelectionTwinsDerivatives;
import dev.adjoint.tests.corpus.SelectionsDerivatives;
import org.junit.jupiter.api.Test;

/**
 * Selection loops (a running max or min reversed only at the iteration that set it last)
 * against the reversal of every iteration ({@code SelectionTwins}, the same functions with the
 * selection in a branch), bit for bit: on ties the same candidate must receive the adjoint, as
 * the rules of max and min decide. Central differences in float and double at orders one to
 * three are the corpus matrix's ({@code corpus/Selections.java}).
 */
class SelectionTest {
  private static final double[] V = {0.3, -1.1, 0.7, 0.25, -0.4};

  @Test
  void tiesGoWhereTheRulesOfMaxSendThem() {
    for (double[] x : new double[][] {{2, 5, 5, 1, 5}, {5, 5, 5, 5, 5}, {-0.0, 0.0, -1, 0.0, -0.0},
        {1, 2, 3, 4, 5}, {5, 4, 3, 2, 1}, {1, Double.NaN, 2, 0, 1}}) {
      assertArrayEquals(SelectionTwinsDerivatives.logSumExpGrad(x),
          SelectionsDerivatives.logSumExpGrad(x), 0.0);
      assertArrayEquals(SelectionTwinsDerivatives.logSumExpHvp(x, V),
          SelectionsDerivatives.logSumExpHvp(x, V), 0.0);
    }
  }

  @Test
  void aMinimumInsideALoopMatchesItsEveryIterationReversal() {
    double[][] xs = {{1, 0, 3, 0}, {0.5, 9, -0.5, 9, 0.5}, {4, 1, 4, 2, 4, 3}};
    double[][] ys = {{2}, {0, 0.25, -3}, {4, 1e-3}};
    for (int c = 0; c < xs.length; c++) {
      double[] x = xs[c];
      double[] y = ys[c];
      SelectionsDerivatives.NestedMinGrad g = SelectionsDerivatives.nestedMinGrad(x, y);
      SelectionTwinsDerivatives.NestedMinGrad h = SelectionTwinsDerivatives.nestedMinGrad(x, y);
      assertArrayEquals(h.x(), g.x(), 0.0);
      assertArrayEquals(h.y(), g.y(), 0.0);
    }
  }

  @Test
  void anInitialValueNeverReplacedTakesTheWholeAdjoint() {
    // low = -10 - x0^2 stays below every cos; high = 3 x1 (its loop never runs)
    double[] x = {0.7, -1.3, 2.0};
    double low = -10 - x[0] * x[0];
    double high = 3 * x[1];
    double[] g = SelectionsDerivatives.neverSelectedGrad(x, 4);
    assertEquals(-2 * x[0] * (high + 1), g[0], 1e-12);
    assertEquals(3 * low, g[1], 1e-12);
    assertEquals(0.0, g[2], 0.0);
  }
}
