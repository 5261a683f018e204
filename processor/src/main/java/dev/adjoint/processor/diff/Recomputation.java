package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Target;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the values of a loop body that the reverse sweep can recompute instead of recording:
 * a scalar defined once per iteration by a pure operation and read only later in the same
 * iteration. Recording it would cost a push and a pop per iteration; recomputing costs the
 * operation, placed just before the reversal of its last use, when its operands provably hold
 * the values they had at its definition (they are not assigned in between, or are themselves
 * recomputed). Its operands become values the reverse sweep reads, so they are recorded if
 * overwritten.
 */
final class Recomputation {
  private final Map<Var, Integer> assignments;
  private final Map<Var, Integer> reads;
  private final Set<Var> local = new HashSet<>();
  private final Map<Stmt, List<Stmt.Assign>> before = new IdentityHashMap<>();
  private final Set<Var> operands = new HashSet<>();

  private final Map<Stmt, Set<Var>> reverseReads;

  /**
   * {@code reverseReads}: for each statement, the values its reversal reads. Only those values
   * are recomputed, just before the last statement whose reversal reads them. {@code restored}:
   * arrays the reverse sweep restores at each store (see {@link RestoredArrays}), which hold at
   * each point of it what they held there in the forward sweep, as a scalar restored does.
   */
  Recomputation(List<Stmt> body, Map<Var, Integer> assignments, Map<Var, Integer> reads,
      Map<Stmt, Set<Var>> reverseReads, Set<Var> restored) {
    this.assignments = assignments;
    this.reads = reads;
    this.reverseReads = reverseReads;
    this.restored = restored;
    List<Var[]> copies = new ArrayList<>();
    aliasCopies(body, copies);
    // An array written by no statement from here on holds, in the reverse sweep of what follows,
    // the values it holds now; one reassigned (an alias of two arrays) counts as written always.
    Set<Var> always = writtenArrays(body, copies);
    always.removeIf(v -> assignments.getOrDefault(v, 0) <= 1);
    List<Set<Var>> fromHere = new ArrayList<>();
    Set<Var> later = new HashSet<>(always);
    for (int t = body.size() - 1; t >= 0; t--) {
      later.addAll(writtenArrays(List.of(body.get(t)), copies));
      fromHere.add(0, new HashSet<>(later));
    }
    for (int t = 0; t < body.size(); t++) {
      writtenArrays = fromHere.get(t);
      visit(List.of(body.get(t)));
    }
  }

  /**
   * Arrays whose elements change in the top-level statement being visited or after it: the
   * reverse sweep does not restore them while it reverses that statement, so a value loaded
   * from one cannot be recomputed there.
   */
  private Set<Var> writtenArrays = Set.of();
  private final Set<Var> restored;

  /** The arrays {@code stmts} write through, with every array copied to or from one. */
  private static Set<Var> writtenArrays(List<Stmt> stmts, List<Var[]> copies) {
    Set<Var> written = new HashSet<>();
    collect(stmts, written, new ArrayList<>());
    written.removeIf(v -> !v.type().isArray());
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Var[] c : copies) {
        if (written.contains(c[0]) != written.contains(c[1])) {
          written.add(c[0]);
          written.add(c[1]);
          changed = true;
        }
      }
    }
    return written;
  }

  private static void aliasCopies(List<Stmt> stmts, List<Var[]> out) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Assign && ((Stmt.Assign) s).target().type().isArray()) {
        Var src = Exprs.varOf(((Stmt.Assign) s).value());
        if (src != null) out.add(new Var[] {((Stmt.Assign) s).target(), src});
      } else if (s instanceof Stmt.If) {
        aliasCopies(((Stmt.If) s).then(), out);
        aliasCopies(((Stmt.If) s).otherwise(), out);
      } else if (s instanceof Stmt.Loop) {
        aliasCopies(((Stmt.Loop) s).head(), out);
        aliasCopies(((Stmt.Loop) s).body(), out);
      }
    }
  }

  /** Variables recomputed instead of recorded. */
  boolean isRecomputed(Var v) {
    return local.contains(v);
  }

  /**
   * Statements to run, in the reverse sweep, just before the reversal of {@code s}. Within one
   * reversed iteration, a value recomputed once stays right: callers skip repeats.
   */
  List<Stmt.Assign> before(Stmt s) {
    return before.getOrDefault(s, List.of());
  }

  /** The definitions the reverse sweep runs again. */
  java.util.Collection<Stmt.Assign> definitions() {
    java.util.Map<Var, Stmt.Assign> out = new LinkedHashMap<>();
    for (List<Stmt.Assign> list : before.values()) {
      for (Stmt.Assign a : list) out.putIfAbsent(a.target(), a);
    }
    // by line, then name: the map above is keyed by identity, so its order differs per build
    List<Stmt.Assign> sorted = new ArrayList<>(out.values());
    sorted.sort(java.util.Comparator.comparingInt(Stmt.Assign::line)
        .thenComparing(a -> a.target().name()));
    return sorted;
  }

  /** Values the recomputations read. */
  Set<Var> operands() {
    return operands;
  }

  private void visit(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Loop) {
        // Inner loops first: what their recomputations read is read by the reversal of the
        // inner loop, which the enclosing loop must then keep or recompute in turn.
        visit(((Stmt.Loop) s).head());
        visit(((Stmt.Loop) s).body());
        loopBody(((Stmt.Loop) s).body());
      } else if (s instanceof Stmt.If) {
        visit(((Stmt.If) s).then());
        visit(((Stmt.If) s).otherwise());
      }
    }
  }

  /**
   * Math functions that cost more to run again than a push and a pop: their values are kept
   * (PyTorch keeps exp's output for its backward the same way).
   */
  private static final Set<String> TRANSCENDENTAL = Set.of("exp", "expm1", "log", "log1p",
      "log10", "pow", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh",
      "tanh", "cbrt", "hypot");

  private static boolean pure(Expr e) {
    if (e instanceof Expr.Call) {
      Expr.Call c = (Expr.Call) e;
      String owner = c.method().owner().toString();
      return c.method().target() instanceof Target.Rules
          && (owner.equals("java.lang.Math") || owner.equals("java.lang.StrictMath"))
          && !TRANSCENDENTAL.contains(c.method().name());
    }
    return e instanceof Expr.Unary || e instanceof Expr.Binary || e instanceof Expr.Cast
        || e instanceof Expr.ArrayLoad || e instanceof Expr.ArrayLength || e instanceof Expr.Ref
        || e instanceof Expr.Const || e instanceof Expr.StaticField || e instanceof Expr.Get;
  }

  private void loopBody(List<Stmt> body) {
    int n = body.size();
    List<Set<Var>> assigned = new ArrayList<>();
    List<Set<Var>> read = new ArrayList<>();
    for (Stmt s : body) {
      Set<Var> a = new HashSet<>();
      Set<Var> r = new HashSet<>();
      effects(List.of(s), a, r);
      assigned.add(a);
      read.add(r);
    }
    List<Set<Var>> reversalReads = new ArrayList<>();
    for (Stmt s : body) {
      Set<Var> r = new HashSet<>();
      deepReverseReads(List.of(s), r);
      reversalReads.add(r);
    }
    Map<Var, Integer> def = new LinkedHashMap<>();
    Map<Var, Integer> lastUse = new HashMap<>();
    for (int k = 0; k < n; k++) {
      if (!(body.get(k) instanceof Stmt.Assign)) continue;
      Stmt.Assign a = (Stmt.Assign) body.get(k);
      Var v = a.target();
      if (!v.type().isPrimitive() || assignments.getOrDefault(v, 0) != 1 || !pure(a.value())
          || loadsWrittenArray(a.value())) {
        continue;
      }
      int readsHere = 0;
      int last = -1;
      boolean early = false;
      for (int j = 0; j < n; j++) {
        if (read.get(j).contains(v) && j <= k) early = true;
        if (reversalReads.get(j).contains(v)) last = j;
      }
      for (int j = k + 1; j < n; j++) readsHere += countReads(body.get(j), v);
      if (early || readsHere != reads.getOrDefault(v, 0)) continue;
      def.put(v, k);
      lastUse.put(v, last);
    }
    Set<Var> candidates = new LinkedHashSet<>(def.keySet());
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Var v : new ArrayList<>(candidates)) {
        if (!recomputable(v, lastUse.get(v), candidates, def, body, assigned)) {
          candidates.remove(v);
          changed = true;
        }
      }
    }
    local.addAll(candidates);
    for (Var v : candidates) {
      if (lastUse.get(v) < 0) continue; // no reversal reads it
      Stmt use = body.get(lastUse.get(v));
      List<Stmt.Assign> list = before.computeIfAbsent(use, u -> new ArrayList<>());
      Set<Var> chain = new LinkedHashSet<>();
      chain(v, candidates, def, body, chain);
      List<Var> ordered = new ArrayList<>(chain);
      ordered.sort((x, y) -> Integer.compare(def.get(x), def.get(y)));
      for (Var w : ordered) {
        Stmt.Assign a = (Stmt.Assign) body.get(def.get(w));
        boolean present = list.stream().anyMatch(s -> s.target() == w);
        if (!present) list.add(a);
        Exprs.visitRefs(a.value(), u -> {
          if (!candidates.contains(u)) {
            operands.add(u);
            reverseReads.computeIfAbsent(use, k -> new HashSet<>()).add(u);
          }
        });
      }
      list.sort((x, y) -> Integer.compare(def.get(x.target()), def.get(y.target())));
    }
  }

  private void deepReverseReads(List<Stmt> stmts, Set<Var> into) {
    for (Stmt s : stmts) {
      into.addAll(reverseReads.getOrDefault(s, Set.of()));
      if (s instanceof Stmt.If) {
        deepReverseReads(((Stmt.If) s).then(), into);
        deepReverseReads(((Stmt.If) s).otherwise(), into);
      } else if (s instanceof Stmt.Loop) {
        deepReverseReads(((Stmt.Loop) s).head(), into);
        deepReverseReads(((Stmt.Loop) s).body(), into);
      }
    }
  }

  private boolean loadsWrittenArray(Expr e) {
    boolean[] found = {false};
    Exprs.visitRefs(e, v -> found[0] |= writtenArrays.contains(v) && !restored.contains(v));
    return found[0];
  }

  private static void chain(Var v, Set<Var> candidates, Map<Var, Integer> def, List<Stmt> body,
      Set<Var> into) {
    if (!into.add(v)) return;
    Stmt.Assign a = (Stmt.Assign) body.get(def.get(v));
    Exprs.visitRefs(a.value(), u -> {
      if (candidates.contains(u)) chain(u, candidates, def, body, into);
    });
  }

  /** Whether v's definition, rerun just before the statement at {@code limit}, gives v. */
  private static boolean recomputable(Var v, int limit, Set<Var> candidates,
      Map<Var, Integer> def, List<Stmt> body, List<Set<Var>> assigned) {
    int k = def.get(v);
    Stmt.Assign a = (Stmt.Assign) body.get(k);
    boolean[] ok = {true};
    Exprs.visitRefs(a.value(), u -> {
      if (candidates.contains(u) && def.get(u) < k) {
        ok[0] &= recomputable(u, limit, candidates, def, body, assigned);
      } else {
        for (int j = k + 1; j <= limit; j++) {
          if (assigned.get(j).contains(u)) ok[0] = false;
        }
      }
    });
    return ok[0];
  }

  private static int countReads(Stmt s, Var v) {
    Set<Var> a = new HashSet<>();
    List<Var> r = new ArrayList<>();
    collect(List.of(s), a, r);
    int n = 0;
    for (Var x : r) {
      if (x == v) n++;
    }
    return n;
  }

  private static void effects(List<Stmt> stmts, Set<Var> assigned, Set<Var> read) {
    List<Var> r = new ArrayList<>();
    collect(stmts, assigned, r);
    read.addAll(r);
  }

  /** Variables (and arrays written through) assigned by, and variables read by, statements. */
  private static void collect(List<Stmt> stmts, Set<Var> assigned, List<Var> read) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Assign) {
        assigned.add(((Stmt.Assign) s).target());
        Exprs.visitRefs(((Stmt.Assign) s).value(), read::add);
      } else if (s instanceof Stmt.Store) {
        Stmt.Store st = (Stmt.Store) s;
        assigned.add(st.array());
        Exprs.visitRefs(st.index(), read::add);
        Exprs.visitRefs(st.value(), read::add);
      } else if (s instanceof Stmt.Eval) {
        Exprs.visitRefs(((Stmt.Eval) s).expr(), v -> {
          read.add(v);
          if (v.type().isArray()) assigned.add(v); // an opaque call may write it
        });
      } else if (s instanceof Stmt.If) {
        Exprs.visitRefs(((Stmt.If) s).cond(), read::add);
        collect(((Stmt.If) s).then(), assigned, read);
        collect(((Stmt.If) s).otherwise(), assigned, read);
      } else if (s instanceof Stmt.Loop) {
        Stmt.Loop l = (Stmt.Loop) s;
        collect(l.head(), assigned, read);
        Exprs.visitRefs(l.cond(), read::add);
        collect(l.body(), assigned, read);
      } else if (s instanceof Stmt.Return || s instanceof Stmt.Throw) {
        Exprs.visitRefs(dev.adjoint.processor.ir.Stmts.exprs(s).get(0), read::add);
      }
    }
  }
}
