package dev.adjoint.tests.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Runs many generated programs and minimizes what fails. Used by the JUnit tests (fixed seeds,
 * small programs) and by {@link FuzzMain} for long runs.
 */
final class Fuzz {
  /** What a run is: how many programs of each kind, from which seed, and how. */
  record Config(int scalar, int tensor, long seed, int batch, double floatShare,
      ScalarGenerator.Size size, int minimizePerSignature, long minimizeMillis, Path out,
      int threads) {}

  /** One failing program: its seed, the program, the failure, and its minimized form. */
  record Found(String id, long seed, Program program, Failure failure, Program minimized,
      Failure minimizedFailure) {}

  private final Config config;
  /** One runner (compiler and checking thread) per worker thread. */
  private final ThreadLocal<ProgramRunner> runners = ThreadLocal.withInitial(() ->
      new ProgramRunner(new InMemoryCompiler(List.of("-Aadjoint.jarForwardOrder=1")), false,
          30_000));
  private final List<ProgramRunner> allRunners = new java.util.concurrent.CopyOnWriteArrayList<>();
  final Map<Failure.Kind, Integer> byKind = new EnumMap<>(Failure.Kind.class);
  final List<Found> found = new ArrayList<>();
  private final Map<String, Integer> minimizedBySignature = new HashMap<>();
  int programs;
  int checks;
  int skipped;
  int failedPrograms;

  Fuzz(Config config) {
    this.config = config;
  }

  /** This thread's runner. */
  ProgramRunner runner() {
    ProgramRunner r = runners.get();
    if (!allRunners.contains(r)) allRunners.add(r);
    return r;
  }

  /** Seconds spent compiling, over all threads. */
  double compileSeconds() {
    double s = 0;
    for (ProgramRunner r : allRunners) s += r.compileNanos / 1e9;
    return s;
  }

  /** The seed of the i-th scalar program of a run. */
  static long scalarSeed(long base, int i) {
    return base * 1_000_003L + i;
  }

  static long tensorSeed(long base, int i) {
    return base * 1_000_033L + 500_000 + i;
  }

  /** Generates and checks every program of the run; {@code progress} gets one line per batch. */
  void run(java.util.function.Consumer<String> progress) {
    long t0 = System.nanoTime();
    List<java.util.concurrent.Callable<List<ProgramRunner.Result>>> tasks = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    Map<Program, Long> seeds = new java.util.concurrent.ConcurrentHashMap<>();
    Map<Program, Boolean> floats = new java.util.concurrent.ConcurrentHashMap<>();
    for (int start = 0; start < config.scalar(); start += config.batch()) {
      int from = start;
      int to = Math.min(config.scalar(), start + config.batch());
      labels.add("scalar " + to + "/" + config.scalar());
      tasks.add(() -> {
        List<Program> batch = new ArrayList<>();
        Random share = new Random(config.seed() * 31 + from);
        for (int i = from; i < to; i++) {
          long seed = scalarSeed(config.seed(), i);
          Program p = ScalarGenerator.generate(seed, "S" + i, config.size());
          batch.add(p);
          seeds.put(p, seed);
          floats.put(p, share.nextDouble() < config.floatShare());
        }
        return runner().run(batch, floats::get);
      });
    }
    for (int start = 0; start < config.tensor(); start += config.batch()) {
      int from = start;
      int to = Math.min(config.tensor(), start + config.batch());
      labels.add("tensor " + to + "/" + config.tensor());
      tasks.add(() -> {
        List<Program> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
          long seed = tensorSeed(config.seed(), i);
          Program p = TensorGenerator.generate(seed, "T" + i);
          batch.add(p);
          seeds.put(p, seed);
          floats.put(p, false);
        }
        return runner().run(batch, q -> false);
      });
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(config.threads());
    try {
      List<java.util.concurrent.Future<List<ProgramRunner.Result>>> futures = new ArrayList<>();
      for (var t : tasks) futures.add(pool.submit(t));
      for (int i = 0; i < futures.size(); i++) {
        List<ProgramRunner.Result> results;
        try {
          results = futures.get(i).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
        record(results, seeds);
        progress.accept(summary(labels.get(i), t0));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void record(List<ProgramRunner.Result> results, Map<Program, Long> seeds) {
    for (ProgramRunner.Result r : results) {
      programs++;
      checks += r.checks();
      skipped += r.skipped();
      if (!r.failures().isEmpty()) failedPrograms++;
      for (Failure f : r.failures()) {
        byKind.merge(f.kind(), 1, Integer::sum);
        String sig = f.signature();
        int done = minimizedBySignature.getOrDefault(sig, 0);
        Program min = null;
        Failure minFailure = null;
        if (done < config.minimizePerSignature()) {
          minimizedBySignature.put(sig, done + 1);
          min = minimize(r.program(), f);
          minFailure = failureOf(min, f);
        }
        String id = r.program().name() + "-" + f.kind().name().toLowerCase() + "-"
            + f.variant().name().toLowerCase();
        Found x = new Found(id, seeds.get(r.program()), r.program(), f, min, minFailure);
        found.add(x);
        if (config.out() != null) write(x);
      }
    }
  }

  /** One program of the run ({@code S<i>} or {@code T<i>}), checked, failures minimized. */
  List<Found> runOne(String id) {
    int i = Integer.parseInt(id.substring(1));
    boolean tensor = id.startsWith("T");
    long seed = tensor ? tensorSeed(config.seed(), i) : scalarSeed(config.seed(), i);
    Program p = tensor ? TensorGenerator.generate(seed, id)
        : ScalarGenerator.generate(seed, id, config.size());
    Map<Program, Long> seeds = new HashMap<>();
    seeds.put(p, seed);
    record(runner().run(List.of(p), q -> !tensor && config.floatShare() > 0), seeds);
    return found;
  }

  /** The failure of a program with the same signature as {@code like}, or null. */
  Failure failureOf(Program p, Failure like) {
    switch (like.kind()) {
      case UNCOMPILABLE, REFUSED, CRASH, INVALID_PROGRAM -> {
        if (!like.where().equals("javac") && !like.where().equals("processor")) break;
        Failure f = runner().compileOnly(p, like.variant());
        return f != null && f.signature().equals(like.signature()) ? f : null;
      }
      default -> { }
    }
    boolean floats = like.variant() == Variant.FLOAT;
    for (ProgramRunner.Result r : runner().run(List.of(p), q -> floats)) {
      for (Failure f : r.failures()) {
        if (f.signature().equals(like.signature())) return f;
      }
    }
    return null;
  }

  Program minimize(Program p, Failure f) {
    if (config.minimizeMillis() <= 0) return null;
    Predicate<Program> same = q -> failureOf(q, f) != null;
    return new Minimizer(same, 400, config.minimizeMillis()).minimize(p);
  }

  private void write(Found x) {
    try {
      Files.createDirectories(config.out());
      Files.writeString(config.out().resolve(x.id() + ".txt"), Reproducers.describe(x));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  String summary(String what, long t0) {
    StringBuilder kinds = new StringBuilder();
    for (Map.Entry<Failure.Kind, Integer> e : byKind.entrySet()) {
      kinds.append(' ').append(e.getKey().name().toLowerCase()).append('=').append(e.getValue());
    }
    return String.format("%s: %d programs, %d checks (%d skipped near kinks), %d failing,%s"
        + " (%.0f s)", what, programs, checks, skipped, failedPrograms,
        kinds.length() == 0 ? " no failures" : kinds.toString(),
        (System.nanoTime() - t0) / 1e9);
  }
}
