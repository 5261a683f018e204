package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.DeadCode;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loops that select one of their candidates: a running maximum or minimum,
 * {@code for (i ...) { e = ...; a = Math.max(a, e); }}, where nothing but the counter and
 * {@code a} lives from one iteration to the next. Only the candidate that is selected last
 * receives {@code a}'s adjoint (or none does, and it passes to {@code a}'s value before the
 * loop). So the forward sweep runs the loop as it is and notes which iteration that was, with
 * nothing on the tape per iteration; the reverse sweep sets the counter to that iteration, runs
 * its candidate's forward code again and reverses it once. {@code max} and {@code min} give
 * the candidate the adjoint on the same comparisons as their rules ({@code a >= e} keeps
 * {@code a}), so the result is that of reversing every iteration.
 *
 * <p>The candidate's code may hold loops and branches (k-means' distance to a centroid), but no
 * stores, no calls other than {@code Math}'s, and no variable the rest of the method mentions.
 */
final class SelectionLoops {
  /**
   * @param value the selected variable {@code a}
   * @param candidate the candidate's atom {@code e}
   * @param candidateCode the statements computing it, in the loop body before the selection
   * @param elementWins the condition, on the old {@code a}, under which the candidate is taken
   * @param line the selection's source line
   */
  record Selection(Var value, Expr candidate, List<Stmt> candidateCode, Expr elementWins,
      int line) {}

  private SelectionLoops() {}

  /** The selection {@code loop} makes, or null when it is not such a loop. */
  static Selection of(Stmt.Loop loop, CountedLoops.Counted counted, List<Stmt> function) {
    if (counted == null || !loop.update().isEmpty()) return null;
    List<Stmt> body = loop.body();
    // the counter's step ends the body: i = i + step, or t = i + step; i = t
    int end = body.size() - 1;
    if (end < 1 || Stmts.written(body.get(end)) != counted.counter()) return null;
    Expr step = ((Stmt.Assign) body.get(end)).value();
    if (step instanceof Expr.Ref && Stmts.written(body.get(end - 1)) == Exprs.varOf(step)) end--;
    // just before it, a = max(a, e), or t = max(a, e); a = t
    int selectAt;
    Var value;
    Expr.Call call;
    Stmt.Assign last = end >= 1 && body.get(end - 1) instanceof Stmt.Assign
        ? (Stmt.Assign) body.get(end - 1) : null;
    if (last == null) return null;
    if (last.value() instanceof Expr.Call) {
      selectAt = end - 1;
      value = last.target();
      call = (Expr.Call) last.value();
    } else if (end >= 2 && last.value() instanceof Expr.Ref
        && body.get(end - 2) instanceof Stmt.Assign
        && ((Stmt.Assign) body.get(end - 2)).target() == ((Expr.Ref) last.value()).var()
        && ((Stmt.Assign) body.get(end - 2)).value() instanceof Expr.Call) {
      selectAt = end - 2;
      value = last.target();
      call = (Expr.Call) ((Stmt.Assign) body.get(end - 2)).value();
      Var t = ((Expr.Ref) last.value()).var();
      if (!t.isSynthetic() || Stmts.readCounts(function).getOrDefault(t, 0) != 1) return null;
    } else {
      return null;
    }
    if (!value.type().isFloating() || value.type().isTensor()) return null;
    boolean max = isMathCall(call, "max");
    if (!max && !isMathCall(call, "min") || call.args().size() != 2) return null;
    Expr first = call.args().get(0);
    Expr second = call.args().get(1);
    boolean valueFirst = Exprs.varOf(first) == value;
    Expr candidate = valueFirst ? second : first;
    if (valueFirst == (Exprs.varOf(second) == value)) return null; // a in exactly one place
    if (!(candidate instanceof Expr.Ref || candidate instanceof Expr.Const)) return null;
    List<Stmt> code = body.subList(0, selectAt);
    if (!isPureCandidateCode(code, loop, value, counted.counter(), function)) return null;
    for (Stmt s : loop.head()) {
      Var w = Stmts.written(s);
      if (w == null || w.type().isFloating() || !(s instanceof Stmt.Assign)) return null;
    }
    // the candidate is taken when the rule of max(a, e) (or min) gives e the tangent
    Expr a = Expr.ref(value);
    Expr.BinOp keep = max ? Expr.BinOp.GE : Expr.BinOp.LE;
    Expr wins = valueFirst
        ? new Expr.Unary(Expr.UnOp.NOT, new Expr.Binary(keep, a, candidate, IrType.BOOLEAN),
            IrType.BOOLEAN)
        : new Expr.Binary(keep, candidate, a, IrType.BOOLEAN);
    return new Selection(value, candidate, List.copyOf(code), wins, body.get(selectAt).line());
  }

  private static boolean isMathCall(Expr.Call c, String name) {
    return Exprs.isCallTo(c, "java.lang.Math", name) || Exprs.isCallTo(c, "java.lang.StrictMath",
        name);
  }

  /**
   * Whether the candidate's code can run again in the reverse sweep: it stores nothing, calls
   * only {@code Math}, reads nothing it computed in an earlier iteration, and assigns nothing
   * that the rest of the method (the selected value included) mentions.
   */
  private static boolean isPureCandidateCode(List<Stmt> code, Stmt.Loop loop, Var value,
      Var counter, List<Stmt> function) {
    boolean[] ok = {true};
    Set<Var> assigned = new HashSet<>();
    Stmts.forEachDeep(code, s -> {
      if (!(s instanceof Stmt.Assign || s instanceof Stmt.If || s instanceof Stmt.Loop)) {
        ok[0] = false;
      }
      for (Expr e : Stmts.exprs(s)) ok[0] &= callsOnlyMath(e);
      if (s instanceof Stmt.Assign) assigned.add(((Stmt.Assign) s).target());
      if (Stmts.mentioned(s).contains(value)) ok[0] = false;
    });
    if (!ok[0] || assigned.contains(counter)) return false;
    for (Var v : DeadCode.liveBefore(code)) {
      if (assigned.contains(v)) return false; // carried from the iteration before
    }
    // what the candidate assigns is the loop's own: nothing outside the loop body mentions it
    Set<Var> outside = new HashSet<>();
    mentionedOutside(function, loop, outside);
    Stmts.forEachDeep(loop.head(), x -> outside.addAll(Stmts.mentioned(x)));
    for (Var v : assigned) {
      if (outside.contains(v) || v.type().isArray() || v.type().isRecord()
          || v.type().isTensor()) {
        return false;
      }
    }
    return true;
  }

  private static boolean callsOnlyMath(Expr e) {
    if (e instanceof Expr.Pop) return false;
    if (e instanceof Expr.Call) {
      String owner = ((Expr.Call) e).method().owner().toString();
      if (!owner.equals("java.lang.Math") && !owner.equals("java.lang.StrictMath")) return false;
    }
    boolean[] ok = {true};
    Exprs.mapChildren(e, c -> {
      ok[0] &= callsOnlyMath(c);
      return c;
    });
    return ok[0];
  }

  /** Adds the variables {@code stmts} mention outside {@code loop}'s body. */
  private static void mentionedOutside(List<Stmt> stmts, Stmt.Loop loop, Set<Var> out) {
    for (Stmt s : stmts) {
      if (s == loop) {
        continue;
      }
      out.addAll(Stmts.mentioned(s));
      for (List<Stmt> b : Stmts.blocks(s)) mentionedOutside(b, loop, out);
    }
  }
}
