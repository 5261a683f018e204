package dev.adjoint.tests.fuzz;

import java.nio.file.Path;

/**
 * Long fuzzing runs: {@code mvn -q -pl tests exec:exec@fuzz -Dfuzz.scalar=20000
 * -Dfuzz.tensor=5000 -Dfuzz.seed=1} (after {@code mvn -q install -DskipTests}). Prints a line
 * per batch and a summary; writes every failure, minimized, to {@code target/fuzz/}. Options
 * (system properties): {@code fuzz.threads}, {@code fuzz.floats} (share of scalar programs also
 * checked in float), {@code fuzz.size} (SMALL or NORMAL), {@code fuzz.minimize} (failures
 * minimized per distinct signature), {@code fuzz.minimizeSeconds}, {@code fuzz.batch},
 * {@code fuzz.out}; {@code fuzz.only=S12} (or {@code T3}) checks one program of the run and
 * prints its failures minimized; {@code fuzz.matrix=true} runs the corpus matrix instead.
 */
public final class FuzzMain {
  private FuzzMain() {}

  public static void main(String[] args) throws java.io.IOException {
    if (Boolean.getBoolean("fuzz.matrix")) {
      matrix();
      return;
    }
    Fuzz.Config config = new Fuzz.Config(
        Integer.getInteger("fuzz.scalar", 1000),
        Integer.getInteger("fuzz.tensor", 0),
        Long.getLong("fuzz.seed", 1),
        Integer.getInteger("fuzz.batch", 10),
        Double.parseDouble(System.getProperty("fuzz.floats", "0.5")),
        ScalarGenerator.Size.valueOf(System.getProperty("fuzz.size", "NORMAL")),
        Integer.getInteger("fuzz.minimize", 2),
        Long.getLong("fuzz.minimizeSeconds", 300) * 1000,
        Path.of(System.getProperty("fuzz.out", "target/fuzz")),
        Integer.getInteger("fuzz.threads", 1));
    Fuzz fuzz = new Fuzz(config);
    String only = System.getProperty("fuzz.only", "");
    if (!only.isEmpty()) {
      // one program, e.g. S12 or T3 of the run's seed: checked, its failures minimized and printed
      for (Fuzz.Found f : fuzz.runOne(only)) System.out.println(Reproducers.describe(f));
      return;
    }
    long t0 = System.nanoTime();
    fuzz.run(System.out::println);
    System.out.println("summary: " + fuzz.summary("seed " + config.seed(), t0)
        + ", reproducers in " + config.out());
  }

  /** {@code -Dfuzz.matrix=true}: the corpus matrix, one line per method, variant and order. */
  private static void matrix() throws java.io.IOException {
    CorpusMatrix m = new CorpusMatrix(Path.of(System.getProperty("fuzz.corpus",
        "src/test/java/dev/adjoint/tests/corpus")), Integer.getInteger("fuzz.threads", 1));
    m.run();
    int failing = 0;
    for (CorpusMatrix.Entry e : m.entries) {
      if (e.failure() != null) failing++;
      System.out.println(e.key() + " | " + e.check() + " | "
          + (e.failure() == null ? e.note() : e.failure().toString().replace("\n", "\n      ")));
    }
    System.out.println("summary: corpus matrix, " + m.entries.size() + " entries, " + failing
        + " failing");
  }
}
