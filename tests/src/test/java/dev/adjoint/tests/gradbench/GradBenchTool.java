package dev.adjoint.tests.gradbench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Adjoint as a GradBench tool: reads the eval's messages (one JSON object per line) from
 * standard input and answers each on standard output, as GradBench's protocol specifies
 * ({@code start}, {@code define}, {@code evaluate}, {@code analysis}, {@code end}). Every
 * derivative comes from code the processor generated from the {@code @Differentiable} methods
 * of the eval classes. An {@code evaluate} runs its function at least {@code min_runs} times and
 * for at least {@code min_seconds}, and reports each run's time.
 */
public final class GradBenchTool {
  private GradBenchTool() {}

  static final Map<String, Eval> EVALS = Map.ofEntries(
      Map.entry("hello", new Hello()),
      Map.entry("lse", new Lse()),
      Map.entry("llsq", new Llsq()),
      Map.entry("kmeans", new Kmeans()),
      Map.entry("ode", new Ode()),
      Map.entry("det", new Det()),
      Map.entry("gmm", new Gmm()),
      Map.entry("saddle", new Saddle()),
      Map.entry("lstm", new Lstm()),
      Map.entry("ba", new Ba()),
      Map.entry("particle", new Particle()),
      Map.entry("ht", new Ht()));

  public static void main(String[] args) throws IOException {
    BufferedReader in = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 20);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      Map<String, Object> message = Json.object(Json.parse(line));
      Map<String, Object> response = answer(message);
      if (response == null) break; // end
      out.println(Json.write(response));
      out.flush();
    }
  }

  static Map<String, Object> answer(Map<String, Object> message) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", message.get("id"));
    switch (String.valueOf(message.get("kind"))) {
      case "start":
        r.put("tool", "adjoint");
        return r;
      case "define": {
        boolean known = EVALS.containsKey(String.valueOf(message.get("module")));
        r.put("success", known);
        if (!known) r.put("error", "adjoint does not implement " + message.get("module"));
        return r;
      }
      case "evaluate":
        evaluate(EVALS.get(String.valueOf(message.get("module"))),
            String.valueOf(message.get("function")), message.get("input"), r);
        return r;
      case "end":
        return null;
      default: // analysis, and kinds of later protocol versions
        return r;
    }
  }

  private static void evaluate(Eval eval, String function, Object input, Map<String, Object> r) {
    try {
      long p0 = System.nanoTime();
      Supplier<Object> work = eval == null ? null : eval.prepare(function, input);
      long prepare = System.nanoTime() - p0;
      if (work == null) {
        r.put("success", false);
        r.put("error", "unknown function " + function);
        return;
      }
      Map<String, Object> runs = input instanceof Map ? Json.object(input) : Map.of();
      int minRuns = runs.containsKey("min_runs") ? Json.integer(runs.get("min_runs")) : 1;
      double minSeconds = runs.containsKey("min_seconds")
          ? ((Number) runs.get("min_seconds")).doubleValue() : 0;
      List<Object> timings = new ArrayList<>();
      timings.add(timing("prepare", prepare));
      Object output = null;
      double elapsed = 0;
      for (int i = 0; i < minRuns || elapsed < minSeconds; i++) {
        long t0 = System.nanoTime();
        output = work.get();
        long ns = System.nanoTime() - t0;
        timings.add(timing("evaluate", ns));
        elapsed += ns / 1e9;
      }
      r.put("success", true);
      r.put("output", output);
      r.put("timings", timings);
    } catch (RuntimeException e) {
      r.put("success", false);
      r.put("error", e.toString());
    }
  }

  private static Map<String, Object> timing(String name, long ns) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", name);
    t.put("nanoseconds", ns);
    return t;
  }
}
