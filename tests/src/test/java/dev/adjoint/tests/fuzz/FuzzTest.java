package dev.adjoint.tests.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Generated programs with fixed seeds: every derivative of every program must match its
 * independent check, every generated class must compile, and the processor must neither crash
 * nor refuse a construct the generator takes to be supported, except for the failures listed in
 * {@link KnownFailures}. Long runs: {@link FuzzMain}.
 */
class FuzzTest {
  static final int SCALAR_PROGRAMS = Integer.getInteger("fuzz.test.scalar", 120);
  static final int TENSOR_PROGRAMS = Integer.getInteger("fuzz.test.tensor", 40);
  static final int THREADS = Integer.getInteger("fuzz.test.threads", 2);

  @Test
  void scalarPrograms() {
    Fuzz fuzz = new Fuzz(new Fuzz.Config(SCALAR_PROGRAMS, 0, 11, 10, 0.5,
        ScalarGenerator.Size.SMALL, 0, 0, null, THREADS));
    fuzz.run(line -> { });
    expectOnlyKnown(fuzz, KnownFailures.SCALAR, "scalar");
  }

  @Test
  void tensorPrograms() {
    Fuzz fuzz = new Fuzz(new Fuzz.Config(0, TENSOR_PROGRAMS, 12, 10, 0,
        ScalarGenerator.Size.SMALL, 0, 0, null, THREADS));
    fuzz.run(line -> { });
    expectOnlyKnown(fuzz, KnownFailures.TENSOR, "tensor");
  }

  static void expectOnlyKnown(Fuzz fuzz, Map<String, String> known, String what) {
    Set<String> seen = new TreeSet<>();
    List<String> unexpected = new ArrayList<>();
    for (Fuzz.Found f : fuzz.found) {
      seen.add(f.id());
      if (!known.containsKey(f.id())) unexpected.add(Reproducers.describe(f));
    }
    for (String k : new TreeSet<>(known.keySet())) {
      if (!seen.contains(k)) System.out.println("fuzz " + what + ": " + k + " no longer fails: remove it from KnownFailures");
    }
    System.out.println("fuzz " + what + ": " + fuzz.summary(what, 0).replaceAll(" \\(\\d+ s\\)$", ""));
    if (!unexpected.isEmpty()) {
      throw new AssertionError(unexpected.size() + " new failure(s) of generated " + what
          + " programs (add to KnownFailures only with a reproducer):\n\n"
          + String.join("\n\n", unexpected));
    }
  }
}
