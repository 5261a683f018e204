package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loops whose trip count the reverse sweep can compute instead of reading it from the tape:
 * {@code for (int l = from; l < bound; l += step)} where {@code from} and {@code bound} are
 * constants, variables the method never assigns or counters of enclosing counted loops
 * (triangular nests), the counter is stepped once per iteration
 * (at the top level of the body, so no branch skips it) and assigned nowhere else, and nothing
 * outside the loop reads the counter. Then the loop runs exactly
 * {@link dev.adjoint.ad.Loops} times, the counter leaves it at {@code from + trips * step}, and
 * neither the trip count nor the counter's value before {@code l = from} needs recording: the
 * reversal sets both again. In a loop nest this removes every integer the tape held per
 * iteration of the outer loops.
 */
final class CountedLoops {
  /** A counted loop: its counter, the assignment before it, and how its trip count follows. */
  record Counted(Var counter, Stmt.Assign init, Expr from, Expr.BinOp test, Expr bound,
      long step) {}

  private final Map<Stmt, Counted> loops = new IdentityHashMap<>();
  private final Set<Stmt> inits = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Var, Integer> assignments = new HashMap<>();
  private final Map<Var, Integer> reads;
  private final Set<Var> params;
  /** What each temporary holds (used only for those assigned once). */
  private final Map<Var, Expr> onlyDefinition = new HashMap<>();

  CountedLoops(Function f) {
    params = new HashSet<>(f.params());
    Stmts.forEachDeep(f.body(), s -> {
      if (s instanceof Stmt.Assign) {
        Stmt.Assign a = (Stmt.Assign) s;
        assignments.merge(a.target(), 1, Integer::sum);
        if (a.target().isSynthetic()) onlyDefinition.put(a.target(), a.value());
      }
    });
    reads = Stmts.readCounts(f.body());
    Map<Stmt, Counted> candidates = new IdentityHashMap<>();
    find(f.body(), candidates, new ArrayList<>());
    Map<Var, List<Stmt>> byCounter = new java.util.LinkedHashMap<>();
    for (Map.Entry<Stmt, Counted> e : candidates.entrySet()) {
      byCounter.computeIfAbsent(e.getValue().counter(), k -> new ArrayList<>()).add(e.getKey());
    }
    for (Map.Entry<Var, List<Stmt>> e : byCounter.entrySet()) {
      Var v = e.getKey();
      List<Stmt> of = e.getValue();
      // every assignment of the counter is some loop's start or step, every read in a loop
      if (params.contains(v) || assignments.getOrDefault(v, 0) != 2 * of.size()) continue;
      int inLoops = 0;
      for (Stmt loop : of) inLoops += Stmts.readCounts(List.of(loop)).getOrDefault(v, 0);
      if (inLoops != reads.getOrDefault(v, 0)) continue;
      for (Stmt loop : of) loops.put(loop, candidates.get(loop));
    }
    // a loop bounded by an enclosing loop's counter is counted only if that loop is
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Stmt loop : new ArrayList<>(loops.keySet())) {
        for (Stmt outer : dependsOn.getOrDefault(loop, Set.of())) {
          if (!loops.containsKey(outer) && loops.remove(loop) != null) changed = true;
        }
      }
    }
    for (Counted c : loops.values()) inits.add(c.init());
  }

  /** For each candidate, the enclosing loops whose counters its bounds read. */
  private final Map<Stmt, Set<Stmt>> dependsOn = new IdentityHashMap<>();
  /** While a candidate is examined: the enclosing candidates whose counters it may read. */
  private List<Map.Entry<Stmt, Counted>> enclosing = List.of();
  private Set<Stmt> reading;

  /** The loop's trip count and counter, when they can be computed; else null. */
  Counted counted(Stmt loop) {
    return loops.get(loop);
  }

  /** Whether {@code a} starts a counted loop's counter (nothing need restore what it overwrote). */
  boolean isInit(Stmt.Assign a) {
    return inits.contains(a);
  }

  /**
   * {@code outer}: the enclosing candidates whose counter holds, at every statement of their
   * body, its value for the iteration (their step is the body's last statement), so that a loop
   * inside may be bounded by it ({@code for (int j = i + 1; j < d; j++)}): the reverse sweep
   * sets that counter for each iteration it reverses before it reverses the body.
   */
  private void find(List<Stmt> stmts, Map<Stmt, Counted> found,
      List<Map.Entry<Stmt, Counted>> outer) {
    for (int at = 0; at < stmts.size(); at++) {
      Stmt s = stmts.get(at);
      Counted c = null;
      if (s instanceof Stmt.Loop && at > 0 && stmts.get(at - 1) instanceof Stmt.Assign) {
        enclosing = outer;
        reading = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        c = candidate((Stmt.Assign) stmts.get(at - 1), (Stmt.Loop) s);
        if (c != null) {
          found.put(s, c);
          if (!reading.isEmpty()) dependsOn.put(s, reading);
        }
      }
      List<Map.Entry<Stmt, Counted>> inner = outer;
      if (c != null && stepIsLast(c, (Stmt.Loop) s)) {
        inner = new ArrayList<>(outer);
        inner.add(Map.entry(s, c));
      }
      for (List<Stmt> b : Stmts.blocks(s)) find(b, found, inner);
    }
  }

  private static boolean stepIsLast(Counted c, Stmt.Loop loop) {
    List<Stmt> body = loop.body();
    return !body.isEmpty() && body.get(body.size() - 1) instanceof Stmt.Assign
        && ((Stmt.Assign) body.get(body.size() - 1)).target() == c.counter();
  }

  /** {@code init; loop} as a counted loop, or null. */
  private Counted candidate(Stmt.Assign init, Stmt.Loop loop) {
    Var v = init.target();
    IrType.Kind kind = v.type().kind();
    Expr from = resolve(init.value());
    if (kind != IrType.Kind.INT && kind != IrType.Kind.LONG || from == null) return null;
    // the test: the head only computes temporaries (the comparison, a length)
    Map<Var, Expr> temps = new HashMap<>();
    for (Stmt h : loop.head()) {
      if (!(h instanceof Stmt.Assign) || !((Stmt.Assign) h).target().isSynthetic()) return null;
      Stmt.Assign a = (Stmt.Assign) h;
      if (assignments.getOrDefault(a.target(), 0) != 1) return null;
      temps.put(a.target(), substitute(a.value(), temps));
    }
    Expr cond = substitute(loop.cond(), temps);
    if (!(cond instanceof Expr.Binary)) return null;
    Expr.Binary b = (Expr.Binary) cond;
    Expr.BinOp test = b.op();
    Expr bound;
    if (Exprs.varOf(b.left()) == v && !(b.left() instanceof Expr.Cast)) {
      bound = b.right();
    } else if (Exprs.varOf(b.right()) == v && !(b.right() instanceof Expr.Cast)) {
      bound = b.left();
      test = flipped(test);
    } else {
      return null;
    }
    bound = resolve(bound);
    if (test == null || bound == null) return null;
    // the step: once per iteration, at the top level of the body
    Long step = null;
    int stepsFound = 0;
    Map<Var, Expr> bodyTemps = new HashMap<>();
    for (Stmt s : loop.body()) {
      if (s instanceof Stmt.Assign && ((Stmt.Assign) s).target() != v
          && ((Stmt.Assign) s).target().isSynthetic()) {
        bodyTemps.put(((Stmt.Assign) s).target(), ((Stmt.Assign) s).value());
      } else if (s instanceof Stmt.Assign && ((Stmt.Assign) s).target() == v) {
        step = stepOf(v, substitute(((Stmt.Assign) s).value(), bodyTemps));
        stepsFound++;
      }
    }
    int[] deep = {0};
    Stmts.forEachDeep(List.of(loop), s -> {
      if (s instanceof Stmt.Assign && ((Stmt.Assign) s).target() == v) deep[0]++;
    });
    if (stepsFound != 1 || deep[0] != 1 || step == null || step == 0) return null;
    boolean up = test == Expr.BinOp.LT || test == Expr.BinOp.LE;
    if (up != (step > 0)) return null;
    return new Counted(v, init, from, test, bound, step);
  }

  /** The constant c of {@code v + c} or {@code v - c}, or null. */
  private static Long stepOf(Var v, Expr value) {
    if (!(value instanceof Expr.Binary)) return null;
    Expr.Binary b = (Expr.Binary) value;
    if (Exprs.varOf(b.left()) != v || !(b.left() instanceof Expr.Ref)
        || !(b.right() instanceof Expr.Const) || !b.type().equals(v.type())) {
      return null;
    }
    long c = ((Number) ((Expr.Const) b.right()).value()).longValue();
    if (b.op() == Expr.BinOp.ADD) return c;
    if (b.op() == Expr.BinOp.SUB) return -c;
    return null;
  }

  private static Expr.BinOp flipped(Expr.BinOp op) {
    switch (op) {
      case LT: return Expr.BinOp.GT;
      case LE: return Expr.BinOp.GE;
      case GT: return Expr.BinOp.LT;
      case GE: return Expr.BinOp.LE;
      default: return null;
    }
  }

  private static Expr substitute(Expr e, Map<Var, Expr> temps) {
    if (e instanceof Expr.Ref && temps.containsKey(((Expr.Ref) e).var())) {
      return temps.get(((Expr.Ref) e).var());
    }
    return Exprs.mapChildren(e, c -> substitute(c, temps));
  }

  /**
   * {@code e} in terms of constants and variables the method never assigns (temporaries
   * assigned once replaced by what they hold), when it has the same value wherever the method
   * evaluates it: those, array lengths of them, and integer arithmetic on them. Null otherwise.
   */
  private Expr resolve(Expr e) {
    return resolve(e, 0);
  }

  private Expr resolve(Expr e, int depth) {
    if (depth > 16) return null; // a temporary defined in terms of itself, say
    if (e instanceof Expr.Const) return e.type().isIntegral() ? e : null;
    if (e instanceof Expr.Ref) {
      Var v = ((Expr.Ref) e).var();
      if (!v.type().isIntegral()) return null;
      if (assignments.getOrDefault(v, 0) == 0) return e;
      for (Map.Entry<Stmt, Counted> o : enclosing) {
        if (o.getValue().counter() == v) {
          reading.add(o.getKey());
          return e;
        }
      }
      Expr def = assignments.get(v) == 1 ? onlyDefinition.get(v) : null;
      return def == null ? null : resolve(def, depth + 1);
    }
    if (e instanceof Expr.ArrayLength) {
      Expr a = ((Expr.ArrayLength) e).array();
      return a instanceof Expr.Ref && assignments.getOrDefault(((Expr.Ref) a).var(), 0) == 0
          ? e : null;
    }
    if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      boolean arithmetic = b.op() == Expr.BinOp.ADD || b.op() == Expr.BinOp.SUB
          || b.op() == Expr.BinOp.MUL;
      Expr l = resolve(b.left(), depth + 1);
      Expr r = resolve(b.right(), depth + 1);
      return arithmetic && b.type().isIntegral() && l != null && r != null
          ? new Expr.Binary(b.op(), l, r, b.type()) : null;
    }
    if (e instanceof Expr.Cast && ((Expr.Cast) e).type().isIntegral()) {
      Expr o = resolve(((Expr.Cast) e).operand(), depth + 1);
      return o == null ? null : new Expr.Cast(((Expr.Cast) e).type(), o);
    }
    return null;
  }
}
