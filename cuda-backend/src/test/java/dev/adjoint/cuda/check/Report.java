package dev.adjoint.cuda.check;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Results of the parity checks, summarized per group in one table, failures listed after. */
public final class Report {
  /** One check: passed, or why not; the largest error relative to its tolerance. */
  public record Row(String group, String name, String dtype, boolean ok, double ratio,
      String detail) {}

  private final List<Row> rows = new ArrayList<>();

  synchronized void add(Row r) {
    rows.add(r);
  }

  public synchronized List<Row> failures() {
    List<Row> f = new ArrayList<>();
    for (Row r : rows) if (!r.ok()) f.add(r);
    return f;
  }

  public synchronized int size() {
    return rows.size();
  }

  public synchronized void print(PrintStream out) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    Map<String, Double> worst = new LinkedHashMap<>();
    Map<String, String> worstName = new LinkedHashMap<>();
    for (Row r : rows) {
      int[] c = counts.computeIfAbsent(r.group(), k -> new int[2]);
      c[r.ok() ? 0 : 1]++;
      if (r.ok() && !Double.isNaN(r.ratio()) && r.ratio() >= worst.getOrDefault(r.group(), 0.0)) {
        worst.put(r.group(), r.ratio());
        worstName.put(r.group(), r.name() + " (" + r.dtype() + ")");
      }
    }
    out.printf("%-14s %7s %7s %22s  %s%n", "checks", "passed", "failed", "worst error/tolerance",
        "in");
    int pass = 0;
    int fail = 0;
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      out.printf("%-14s %7d %7d %22.3f  %s%n", e.getKey(), e.getValue()[0], e.getValue()[1],
          worst.getOrDefault(e.getKey(), 0.0), worstName.getOrDefault(e.getKey(), ""));
      pass += e.getValue()[0];
      fail += e.getValue()[1];
    }
    out.printf("%-14s %7d %7d%n", "all", pass, fail);
    for (Row r : failures()) {
      out.printf("FAILED %s / %s (%s): %s%n", r.group(), r.name(), r.dtype(), r.detail());
    }
  }
}
