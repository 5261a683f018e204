package dev.adjoint.tests.fuzz;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every corpus function in float and double at orders 1 to 3 ({@link CorpusMatrix}); a failure
 * not listed in {@link KnownFailures#MATRIX} fails the build.
 */
class CorpusMatrixTest {
  @Test
  void everyCorpusFunctionInFloatAndDoubleAtOrdersOneToThree() throws Exception {
    CorpusMatrix m = new CorpusMatrix(Path.of("src/test/java/dev/adjoint/tests/corpus"),
        FuzzTest.THREADS);
    m.run();
    Map<Variant, int[]> counts = new EnumMap<>(Variant.class);
    List<String> unexpected = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (CorpusMatrix.Entry e : m.entries) {
      int[] c = counts.computeIfAbsent(e.variant(), v -> new int[3]);
      if (e.failure() != null) {
        c[1]++;
        seen.add(e.key());
        if (!KnownFailures.MATRIX.containsKey(e.key())) {
          unexpected.add(e.key() + " (" + e.check() + "): " + e.failure());
        }
      } else if (e.note() != null && e.note().startsWith("skipped")) {
        c[2]++;
      } else {
        c[0]++;
      }
    }
    for (String k : new TreeSet<>(KnownFailures.MATRIX.keySet())) {
      if (!seen.contains(k)) {
        System.out.println("corpus matrix: " + k + " no longer fails: remove it from KnownFailures");
      }
    }
    for (Map.Entry<Variant, int[]> e : counts.entrySet()) {
      System.out.printf("corpus matrix, %s: %d checked, %d failing, %d skipped%n",
          e.getKey().name().toLowerCase(), e.getValue()[0], e.getValue()[1], e.getValue()[2]);
    }
    if (!unexpected.isEmpty()) {
      throw new AssertionError(unexpected.size() + " new failure(s) in the corpus matrix:\n"
          + String.join("\n", unexpected));
    }
  }
}
