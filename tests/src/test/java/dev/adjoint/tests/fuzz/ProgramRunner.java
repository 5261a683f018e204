package dev.adjoint.tests.fuzz;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Compiles a batch of programs (each in its double and float variants) in one javac invocation,
 * splitting the batch when it fails to find which program failed and how, then checks every
 * program that compiled with {@link DerivativeChecker}.
 */
final class ProgramRunner {
  /** One class to compile: a program in one variant. */
  record Unit(Program program, Variant variant) {
    String className() {
      return JavaPrinter.qualifiedName(program, variant);
    }

    /** Whether a file (a qualified class name) belongs to this unit. */
    boolean owns(String file) {
      String q = className();
      return file.equals(q) || file.equals(q + "Derivatives")
          || (file.startsWith(q + "_") && file.endsWith("Derivatives"));
    }
  }

  /** What became of one program. */
  record Result(Program program, List<Failure> failures, int checks, int skipped) {}

  private final InMemoryCompiler compiler;
  private final boolean floats;
  private final long timeoutMillis;
  private ExecutorService worker = newWorker();
  /** Compilations run, and the time they and the checks took, for the summary. */
  int compilations;
  long compileNanos;
  long checkNanos;
  long generatedLines;

  ProgramRunner(InMemoryCompiler compiler, boolean floats, long timeoutMillis) {
    this.compiler = compiler;
    this.floats = floats;
    this.timeoutMillis = timeoutMillis;
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-check");
      t.setDaemon(true);
      return t;
    });
  }

  List<Result> run(List<Program> programs) {
    return run(programs, p -> floats);
  }

  /** Checks programs; their float variants too where {@code withFloat} says so. */
  List<Result> run(List<Program> programs, java.util.function.Predicate<Program> withFloat) {
    List<Unit> units = new ArrayList<>();
    List<Unit> doubleUnits = new ArrayList<>();
    List<Unit> floatUnits = new ArrayList<>();
    for (Program p : programs) {
      Unit d = new Unit(p, Variant.DOUBLE);
      Unit f = withFloat.test(p) ? new Unit(p, Variant.FLOAT) : null;
      units.add(d);
      if (f != null) units.add(f);
      doubleUnits.add(d);
      floatUnits.add(f);
    }
    Map<Unit, Object> compiled = new IdentityHashMap<>();
    compile(units, compiled);
    List<Result> results = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < programs.size(); i++) {
      Unit fu = floatUnits.get(i);
      results.add(check(programs.get(i), compiled.get(doubleUnits.get(i)),
          fu == null ? null : compiled.get(fu)));
    }
    checkNanos += System.nanoTime() - t0;
    return results;
  }

  /** Compiles one variant of a program alone: its compile failure, or null when it compiles. */
  Failure compileOnly(Program p, Variant v) {
    Map<Unit, Object> out = new IdentityHashMap<>();
    Unit u = new Unit(p, v);
    compile(List.of(u), out);
    return out.get(u) instanceof Failure f ? f : null;
  }

  /** Fills {@code out} with a class loader or a {@link Failure} for every unit. */
  private void compile(List<Unit> units, Map<Unit, Object> out) {
    if (units.isEmpty()) return;
    Map<String, String> sources = new LinkedHashMap<>();
    for (Unit u : units) sources.put(u.className(), JavaPrinter.print(u.program(), u.variant()));
    compilations++;
    long t0 = System.nanoTime();
    InMemoryCompiler.Result r = compiler.compile(sources);
    compileNanos += System.nanoTime() - t0;
    for (Map.Entry<String, String> g : r.generated().entrySet()) {
      int lines = g.getValue().split("\n").length;
      generatedLines += lines;
      if (System.getProperty("fuzz.sizes") != null) System.out.println("  " + g.getKey() + " " + lines);
    }
    if (r.success()) {
      ClassLoader loader = r.loader();
      for (Unit u : units) out.put(u, loader);
      return;
    }
    if (units.size() == 1) {
      out.put(units.get(0), classify(units.get(0), r));
      return;
    }
    // units with an error of their own (a refusal, an error in their generated code)
    List<Unit> suspects = new ArrayList<>();
    List<Unit> rest = new ArrayList<>();
    if (r.crash() == null) {
      for (Unit u : units) {
        boolean suspect = false;
        for (InMemoryCompiler.Problem e : r.errors()) {
          if (u.owns(e.file()) && (e.message().contains("[Adjoint")
              || !e.file().equals(u.className()))) {
            suspect = true;
          }
        }
        (suspect ? suspects : rest).add(u);
      }
    }
    if (suspects.isEmpty()) {
      int half = units.size() / 2;
      compile(units.subList(0, half), out);
      compile(units.subList(half, units.size()), out);
      return;
    }
    for (Unit u : suspects) compile(List.of(u), out);
    compile(rest, out);
  }

  private static Failure classify(Unit u, InMemoryCompiler.Result r) {
    Variant v = u.variant();
    if (r.crash() != null) {
      return new Failure(Failure.Kind.CRASH, v, "javac",
          InMemoryCompiler.stackTrace(r.crash()).lines().limit(25)
              .reduce((a, b) -> a + "\n" + b).orElse(""));
    }
    StringBuilder adjoint = new StringBuilder();
    StringBuilder generated = new StringBuilder();
    StringBuilder own = new StringBuilder();
    boolean internal = false;
    for (InMemoryCompiler.Problem e : r.errors()) {
      if (e.message().contains("[AdjointInternal]")) internal = true;
      if (e.message().contains("[Adjoint")) {
        adjoint.append(e).append('\n');
      } else if (!e.file().equals(u.className()) && !e.file().equals("?")) {
        generated.append(e).append('\n');
        String src = r.generated().get(e.file());
        if (src != null && e.line() > 0) {
          String[] lines = src.split("\n", -1);
          if (e.line() <= lines.length) {
            generated.append("    > ").append(lines[(int) e.line() - 1].trim()).append('\n');
          }
        }
      } else {
        own.append(e).append('\n');
      }
    }
    if (internal) return new Failure(Failure.Kind.CRASH, v, "processor", adjoint.toString().trim());
    if (adjoint.length() > 0) {
      return new Failure(Failure.Kind.REFUSED, v, "processor", adjoint.toString().trim());
    }
    if (generated.length() > 0) {
      return new Failure(Failure.Kind.UNCOMPILABLE, v, "javac", limit(generated.toString()));
    }
    return new Failure(Failure.Kind.INVALID_PROGRAM, v, "javac", limit(own.toString()));
  }

  private static String limit(String s) {
    String[] lines = s.trim().split("\n");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(lines.length, 12); i++) b.append(lines[i]).append('\n');
    if (lines.length > 12) b.append("... ").append(lines.length - 12).append(" more lines\n");
    return b.toString().trim();
  }

  private Result check(Program p, Object doubles, Object floatsCompiled) {
    List<Failure> failures = new ArrayList<>();
    int[] counts = new int[2];
    if (doubles instanceof Failure f) failures.add(f);
    if (floatsCompiled instanceof Failure f) failures.add(f);
    if (doubles instanceof ClassLoader dl) {
      for (String m : p.checked()) {
        Failure f = timed(p, Variant.DOUBLE, m, () -> {
          Subject s = new Subject(dl, p, Variant.DOUBLE, m);
          DerivativeChecker.Tally t = DerivativeChecker.check(s, seed(p, m));
          counts[0] += t.checks;
          counts[1] += t.skipped;
          return t.failure;
        });
        if (f != null) failures.add(f);
      }
      if (floatsCompiled instanceof ClassLoader fl && failures.isEmpty()) {
        for (String m : p.checked()) {
          Failure f = timed(p, Variant.FLOAT, m, () -> {
            Subject d = new Subject(dl, p, Variant.DOUBLE, m);
            Subject s = new Subject(fl, p, Variant.FLOAT, m);
            DerivativeChecker.Tally t = DerivativeChecker.compareFloat(s, d, seed(p, m));
            counts[0] += t.checks;
            counts[1] += t.skipped;
            return t.failure;
          });
          if (f != null) failures.add(f);
        }
      }
    }
    return new Result(p, failures, counts[0], counts[1]);
  }

  private static long seed(Program p, String method) {
    return p.name().hashCode() * 31L + method.hashCode();
  }

  /** A check that may hang (a wrong loop in generated code): a TIMEOUT failure then. */
  private interface Check {
    Failure run() throws Exception;
  }

  private Failure timed(Program p, Variant v, String method, Check c) {
    Future<Failure> f = worker.submit(c::run);
    try {
      return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      worker.shutdownNow();
      worker = newWorker();
      return new Failure(Failure.Kind.TIMEOUT, v, method, "no result after " + timeoutMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failure(Failure.Kind.TIMEOUT, v, method, "interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ReflectiveOperationException) {
        return new Failure(Failure.Kind.CRASH, v, method,
            "a generated method is missing: " + cause.getMessage());
      }
      if (cause instanceof StackOverflowError || cause instanceof OutOfMemoryError) {
        return new Failure(Failure.Kind.RUNTIME_EXCEPTION, v, method, cause.toString());
      }
      return new Failure(Failure.Kind.RUNTIME_EXCEPTION, v, method,
          InMemoryCompiler.stackTrace(cause).lines().limit(12)
              .reduce((a, b) -> a + "\n" + b).orElse(""));
    }
  }
}
