package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Stmt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What a reverse-mode method keeps from its forward sweep for its reverse sweep, and what it
 * recomputes instead, as JAX's {@code print_saved_residuals} tells: per value, the source line,
 * the type, and how often it is kept per call. It heads the generated method as a comment and,
 * with {@code -Aadjoint.report=saved}, goes to a report file.
 */
final class SavedReport {
  /** The first line of the comment that heads every generated reverse-mode method. */
  static final String TITLE = "Kept for the reverse sweep";

  private final List<String> kept = new ArrayList<>();
  private final List<String> recomputed = new ArrayList<>();
  private final Deque<Integer> loops = new ArrayDeque<>();

  private boolean muted;

  /**
   * While muted, nothing is reported kept: what code the reverse sweep runs again pushes, it
   * pops at once.
   */
  void mute(boolean on) {
    muted = on;
  }

  void enterLoop(int line) {
    loops.push(line);
  }

  void leaveLoop() {
    loops.pop();
  }

  void kept(String what, IrType type, int line) {
    if (muted) return;
    kept.add(what + " (" + simple(type) + ", line " + line + "): " + howOften());
  }

  void recomputed(String what, IrType type, int line) {
    recomputed.add(what + " (" + simple(type) + ", line " + line + ")");
  }

  private String howOften() {
    if (loops.isEmpty()) return "once";
    List<Integer> lines = new ArrayList<>(loops);
    java.util.Collections.reverse(lines);
    if (lines.size() == 1) return "once per iteration of the loop at line " + lines.get(0);
    StringBuilder b = new StringBuilder("once per iteration of the loops at lines ");
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) b.append(i == lines.size() - 1 ? " and " : ", ");
      b.append(lines.get(i));
    }
    return b.toString();
  }

  private static String simple(IrType t) {
    return t.typeName().toString().replaceAll("([a-z0-9_]+\\.)+", "");
  }

  /** The comment lines for the head of the method. */
  List<Stmt> comments(String file, int line) {
    List<Stmt> out = new ArrayList<>();
    out.add(new Stmt.Comment(TITLE + " (" + file + "):" + (kept.isEmpty()
        ? " nothing on the tape; the values it reads stay in locals" : ""), 0));
    for (String k : kept) out.add(new Stmt.Comment("  " + k, 0));
    if (!recomputed.isEmpty()) {
      out.add(new Stmt.Comment("Recomputed in the reverse sweep instead of kept:", 0));
      for (String r : recomputed) out.add(new Stmt.Comment("  " + r, 0));
    }
    return out;
  }
}
