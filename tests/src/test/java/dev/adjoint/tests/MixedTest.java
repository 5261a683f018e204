package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;

import dev.adjoint.tests.corpus.Mixed;
import dev.adjoint.tests.corpus.MixedDerivatives;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MixedTest {
  @Test
  void recordsArraysLoopsAndExitsTogether() {
    for (int n : new int[] {1, 4, 7}) {
      Case.of("simulate n=" + n, p -> Mixed.simulate(Arrays.copyOf(p, 3), p[3], n))
          .grad(p -> {
            var g = MixedDerivatives.simulateGrad(Arrays.copyOf(p, 3), p[3], n);
            return v(g.start()[0], g.start()[1], g.start()[2], g.speed());
          })
          .jvp((p, t) -> v(MixedDerivatives.simulateJvp(Arrays.copyOf(p, 3), p[3], n,
              Arrays.copyOf(t, 3), t[3]).tangent()))
          .vjp((p, u) -> {
            var g = MixedDerivatives.simulateVjp(Arrays.copyOf(p, 3), p[3], n, u[0]);
            return v(g.start()[0], g.start()[1], g.start()[2], g.speed());
          })
          .hvp((p, t) -> {
            var g = MixedDerivatives.simulateHvp(Arrays.copyOf(p, 3), p[3], n,
                Arrays.copyOf(t, 3), t[3]);
            return v(g.start()[0], g.start()[1], g.start()[2], g.speed());
          })
          .check(v(0.3, -0.7, 1.1, 2.0), v(2.5, 3.0, -2.0, 1.5));
    }
  }

  @Test
  void recursionOverAnArray() {
    for (int depth : new int[] {0, 3, 6}) {
      Case.of("tree " + depth, w -> Mixed.tree(w, depth))
          .grad(w -> MixedDerivatives.treeGrad(w, depth))
          .jvp((w, t) -> v(MixedDerivatives.treeJvp(w, depth, t).tangent()))
          .vjp((w, u) -> MixedDerivatives.treeVjp(w, depth, u[0]))
          .hvp((w, t) -> MixedDerivatives.treeHvp(w, depth, t))
          .check(v(0.4, -0.9, 1.3));
    }
  }
}
