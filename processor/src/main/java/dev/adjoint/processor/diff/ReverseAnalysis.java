package dev.adjoint.processor.diff;

import dev.adjoint.processor.check.Activity;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Target;
import dev.adjoint.processor.ir.Var;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the reverse sweep needs from the forward sweep. A variable is saved (pushed before each
 * assignment, popped after its reversal) only when it is both overwritten (assigned twice, or in
 * a loop) and read by some derivative; an array's elements are saved only when the whole array
 * is read by a derivative (passed to a differentiated call). A loop or branch is recorded only
 * when something inside it has to be reversed.
 */
final class ReverseAnalysis {
  private final Activity activity;
  /** Calls whose reverse reads the callee's residuals, not their arguments. */
  private final java.util.function.Predicate<Stmt> keepsResiduals;
  private final Set<Var> params;
  private final Map<Var, Integer> assignments = new HashMap<>();
  private final Set<Var> assignedInLoop = new HashSet<>();
  private final Set<Var> readByDerivative = new HashSet<>();
  private final Map<Stmt, Set<Var>> reverseReads = new IdentityHashMap<>();
  private Stmt scanning;
  private final Set<Var> wholeArrayRead = new HashSet<>();
  private final List<Stmt.Store> stores = new java.util.ArrayList<>();
  private final Map<Var, Set<Var>> aliases = new HashMap<>();
  private final Map<Stmt, Boolean> reversible = new IdentityHashMap<>();
  private final Map<Var, Integer> reads = new HashMap<>();
  private final Map<Var, List<Stmt>> definedIn = new HashMap<>();
  private final Map<Var, List<Stmt>> readIn = new HashMap<>();
  private final Recomputation recomputation;
  private final Map<Var, Expr.Binary> increments = new HashMap<>();
  private final Set<Stmt> firstDefinitions = java.util.Collections.newSetFromMap(
      new IdentityHashMap<>());
  private final CountedLoops counted;

  ReverseAnalysis(Function f, Activity activity,
      java.util.function.Predicate<Stmt> keepsResiduals) {
    this.activity = activity;
    this.keepsResiduals = keepsResiduals;
    this.params = new HashSet<>(f.params());
    this.counted = new CountedLoops(f);
    scan(f.body(), false);
    readBySelections(f.body());
    Set<Var> seen = new HashSet<>(params);
    for (Stmt s : f.body()) {
      if (s instanceof Stmt.Assign && !seen.contains(((Stmt.Assign) s).target())) {
        Stmt.Assign a = (Stmt.Assign) s;
        Exprs.visitRefs(a.value(), seen::add);
        if (seen.add(a.target())) firstDefinitions.add(s);
      } else {
        seenBy(s, seen);
      }
    }
    closeAliases();
    Set<Var> restored = RestoredArrays.choose(f.body(), assignments, readByDerivative,
        wholeArrayRead);
    wholeArrayRead.addAll(restored);
    // Restoring an element the forward sweep overwrote reads the index it was written at.
    for (Stmt.Store st : stores) {
      if (wholeArrayRead.contains(st.array())) {
        scanning = st;
        read(st.index());
      }
    }
    recomputation = new Recomputation(f.body(), assignments, reads, reverseReads, restored);
    readByDerivative.addAll(recomputation.operands());
    hoist(f.body(), new HashSet<>());
  }

  /**
   * A selection loop's reversal runs its candidate's code again (see {@link SelectionLoops}):
   * what that code reads from outside it (an enclosing loop's counter, say) the reverse sweep
   * reads there, so it must hold its value then.
   */
  private void readBySelections(List<Stmt> body) {
    Stmts.forEachDeep(body, s -> {
      if (!(s instanceof Stmt.Loop)) return;
      CountedLoops.Counted c = counted.counted(s);
      SelectionLoops.Selection sel = SelectionLoops.of((Stmt.Loop) s, c, body);
      if (sel == null) return;
      selections.put(s, sel);
      Set<Var> own = new HashSet<>();
      own.add(c.counter());
      Set<Var> read = new HashSet<>();
      Stmts.forEachDeep(sel.candidateCode(), x -> {
        Var w = Stmts.written(x);
        if (w != null && x instanceof Stmt.Assign) own.add(w);
        for (Expr e : Stmts.exprs(x)) Exprs.visitRefs(e, read::add);
      });
      read.removeAll(own);
      readByDerivative.addAll(read);
      reverseReads.computeIfAbsent(s, k -> new HashSet<>()).addAll(read);
    });
  }

  private final Map<Stmt, SelectionLoops.Selection> selections = new IdentityHashMap<>();

  /** The selection {@code loop} makes (see {@link SelectionLoops}), or null. */
  SelectionLoops.Selection selection(Stmt loop) {
    return selections.get(loop);
  }

  /** Loops around which a variable is saved once instead of at each assignment inside. */
  private final Map<Stmt, List<Var>> savedAround = new IdentityHashMap<>();

  /**
   * A variable overwritten in a loop whose reversal never reads it (a running sum that only
   * the code after the loop reads, {@code s += exp(x[i]); return log(s)}) needs its values
   * inside the loop by nobody: it is saved once before the loop, for the code before it, and
   * restored once after the loop's reversal. The outermost such loop is chosen.
   */
  private void hoist(List<Stmt> stmts, Set<Var> done) {
    for (int at = 0; at < stmts.size(); at++) {
      Stmt s = stmts.get(at);
      if (s instanceof Stmt.Loop) {
        Set<Var> inLoop = new java.util.LinkedHashSet<>();
        Stmts.forEachDeep(List.of(s), x -> {
          if (x instanceof Stmt.Assign) inLoop.add(((Stmt.Assign) x).target());
        });
        Set<Var> read = new HashSet<>();
        Stmts.forEachDeep(List.of(s), x -> read.addAll(reverseReads.getOrDefault(x, Set.of())));
        List<Var> here = new java.util.ArrayList<>();
        for (Var v : inLoop) {
          if (!done.contains(v) && isSaved(v) && !read.contains(v) && inverseFree(v)) {
            here.add(v);
          }
        }
        if (!here.isEmpty()) {
          savedAround.put(s, here);
          constants(stmts, at, here);
        }
        Set<Var> inner = new HashSet<>(done);
        inner.addAll(here);
        hoist(((Stmt.Loop) s).head(), inner);
        hoist(((Stmt.Loop) s).body(), inner);
      } else {
        for (List<Stmt> b : Stmts.blocks(s)) hoist(b, done);
      }
    }
  }

  /**
   * Values saved around the loop at {@code stmts[at]} that the assignments just before it set
   * to a constant (nothing else between): they need no saving, the loop's reversal sets that
   * constant again ({@code dist = 0.0} before the loop summing into {@code dist}).
   */
  private void constants(List<Stmt> stmts, int at, List<Var> saved) {
    Map<Var, Expr> known = new HashMap<>();
    Set<Var> seen = new HashSet<>();
    for (int j = at - 1; j >= 0 && stmts.get(j) instanceof Stmt.Assign; j--) {
      Stmt.Assign a = (Stmt.Assign) stmts.get(j);
      if (seen.add(a.target()) && a.value() instanceof Expr.Const && saved.contains(a.target())) {
        known.put(a.target(), a.value());
      }
    }
    if (!known.isEmpty()) constantBefore.put(stmts.get(at), known);
  }

  private final Map<Stmt, Map<Var, Expr>> constantBefore = new IdentityHashMap<>();

  /**
   * The constant {@code v}, saved around {@code loop}, held on entry to it (see
   * {@link #savedAround}); null when it must be saved.
   */
  Expr constantBefore(Stmt loop, Var v) {
    return constantBefore.getOrDefault(loop, Map.of()).get(v);
  }

  /** Counters undone by arithmetic (see {@link #inverse}) are left to that. */
  private boolean inverseFree(Var v) {
    return !v.type().isIntegral() || !increments.values().stream()
        .anyMatch(b -> Exprs.varOf(b.left()) == v);
  }

  /** The variables saved once around {@code loop} (see {@link #hoist}). */
  List<Var> savedAround(Stmt loop) {
    return savedAround.getOrDefault(loop, List.of());
  }

  Recomputation recomputation() {
    return recomputation;
  }

  boolean isOverwritten(Var v) {
    int n = assignments.getOrDefault(v, 0);
    return n >= 2 || assignedInLoop.contains(v) || params.contains(v) && n >= 1;
  }

  /**
   * True when the adjoint of {@code v} receives exactly one contribution per definition: v is
   * defined once and read once, in the same block. Its adjoint is then assigned, not summed.
   */
  boolean hasSingleContribution(Var v) {
    return reads.getOrDefault(v, 0) == 1 && assignments.getOrDefault(v, 0) == 1
        && !params.contains(v) && definedIn.get(v) != null && definedIn.get(v) == readIn.get(v)
        && v.type().isFloating();
  }

  boolean isSaved(Var v) {
    return isOverwritten(v) && (readByDerivative.contains(v) || wholeArrayRead.contains(v))
        && !recomputation.isRecomputed(v);
  }

  boolean savesElements(Var array) {
    return wholeArrayRead.contains(array);
  }

  /**
   * For {@code i = t} where {@code t = i + c} (or {@code i - c}) with an integer constant c:
   * the expression that restores i's previous value ({@code i - c}), so that nothing need be
   * recorded. Null for any other statement.
   */
  Expr inverse(Stmt.Assign a) {
    Var v = a.target();
    Var t = Exprs.varOf(a.value());
    if (!(v.type().kind() == IrType.Kind.INT || v.type().kind() == IrType.Kind.LONG) || t == null
        || !t.isSynthetic() || assignments.getOrDefault(t, 0) != 1) {
      return null;
    }
    Expr.Binary step = increments.get(t);
    if (step == null || Exprs.varOf(step.left()) != v) return null;
    Expr.BinOp undo = step.op() == Expr.BinOp.ADD ? Expr.BinOp.SUB : Expr.BinOp.ADD;
    return new Expr.Binary(undo, Expr.ref(v), step.right(), step.type());
  }

  /** The loop's computed trip count and counter (see {@link CountedLoops}), or null. */
  CountedLoops.Counted counted(Stmt loop) {
    return counted.counted(loop);
  }

  /**
   * The variables whose adjoints carry everything that flows into the reversal of {@code loop},
   * when the reversal can be skipped while they are all zero; null when it cannot. An adjoint
   * enters a loop's reversal only through the variables the loop assigns (the reversal of an
   * assignment reads its target's adjoint), and of those only through the ones read after the
   * loop or carried from one iteration to the next; the others' adjoints are zero there. The
   * reversal may be skipped when those are numbers (no arrays, records or tensors assigned or
   * stored into), when the only values it restores are counters of counted loops (which nothing
   * outside their loop reads) and values restored once outside it ({@code restoredOutside}), and
   * when it pops nothing (the caller checks the generated code).
   */
  List<Var> incomingAdjoints(Stmt loop, java.util.function.Predicate<Var> restoredOutside) {
    Set<Var> counters = new HashSet<>();
    List<Stmt.Assign> assigns = new java.util.ArrayList<>();
    boolean[] blocked = {false};
    Stmts.forEachDeep(List.of(loop), s -> {
      if (counted(s) != null) counters.add(counted(s).counter());
      if (s instanceof Stmt.Assign) assigns.add((Stmt.Assign) s);
      if (s instanceof Stmt.Store && activity.isActive(((Stmt.Store) s).array())) blocked[0] = true;
    });
    if (blocked[0]) return null;
    Set<Var> assigned = new java.util.LinkedHashSet<>();
    for (Stmt.Assign a : assigns) {
      Var v = a.target();
      if (activity.isActive(v) && !(v.type().isFloating() && v.type().isPrimitive())) return null;
      if (isSaved(v) && !counters.contains(v) && !restoredOutside.test(v)) return null;
      if (activity.isActive(v)) assigned.add(v);
    }
    Map<Var, Integer> inLoop = Stmts.readCounts(List.of(loop));
    Set<Var> exposed = new HashSet<>();
    Stmt.Loop l = (Stmt.Loop) loop;
    Set<Var> defined = new HashSet<>();
    exposedReads(l.head(), defined, exposed);
    exposedReads(l.body(), defined, exposed);
    List<Var> incoming = new java.util.ArrayList<>();
    for (Var v : assigned) {
      boolean readAfter = reads.getOrDefault(v, 0) > inLoop.getOrDefault(v, 0);
      if (!readAfter && !exposed.contains(v)) continue;
      if (hasSingleContribution(v)) return null; // its adjoint is a local of the loop body
      incoming.add(v);
    }
    return incoming;
  }

  /**
   * Adds to {@code exposed} the variables {@code stmts} may read before assigning them in the
   * same iteration; only assignments at the top level count as assigning.
   */
  private static void exposedReads(List<Stmt> stmts, Set<Var> defined, Set<Var> exposed) {
    for (Stmt s : stmts) {
      Stmts.forEachDeep(List.of(s), x -> {
        for (Expr e : Stmts.exprs(x)) {
          Exprs.visitRefs(e, v -> {
            if (!defined.contains(v)) exposed.add(v);
          });
        }
      });
      if (s instanceof Stmt.Assign) defined.add(((Stmt.Assign) s).target());
    }
  }

  /**
   * Whether {@code a} starts the counter of a counted loop: the value it overwrites is read by
   * nobody (the counter is read only inside its loop, whose reversal sets it), so it is neither
   * recorded nor restored.
   */
  boolean isCounterInit(Stmt.Assign a) {
    return counted.isInit(a);
  }

  /**
   * Whether {@code a} is the first assignment of its variable, at the top level before any read:
   * the value it overwrites is never read, so it need not be recorded or restored.
   */
  boolean isFirstDefinition(Stmt.Assign a) {
    return firstDefinitions.contains(a);
  }

  private static void seenBy(Stmt s, Set<Var> seen) {
    Stmts.forEachDeep(List.of(s), x -> seen.addAll(Stmts.mentioned(x)));
  }


  /** Whether reversing this statement does anything. */
  boolean needsReverse(Stmt s) {
    Boolean known = reversible.get(s);
    if (known != null) return known;
    boolean r;
    if (s instanceof Stmt.Assign) {
      Var v = ((Stmt.Assign) s).target();
      r = activity.isActive(v) || isSaved(v);
    } else if (s instanceof Stmt.Store) {
      Var a = ((Stmt.Store) s).array();
      r = activity.isActive(a) || savesElements(a);
    } else if (s instanceof Stmt.If) {
      r = any(((Stmt.If) s).then()) || any(((Stmt.If) s).otherwise());
    } else if (s instanceof Stmt.Loop) {
      r = any(((Stmt.Loop) s).head()) || any(((Stmt.Loop) s).body());
    } else {
      r = false;
    }
    reversible.put(s, r);
    return r;
  }

  private boolean any(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (needsReverse(s)) return true;
    }
    return false;
  }

  private void countReads(Expr e, List<Stmt> block) {
    Exprs.visitRefs(e, v -> {
      reads.merge(v, 1, Integer::sum);
      readIn.put(v, block);
    });
  }

  private void scan(List<Stmt> stmts, boolean inLoop) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Assign) {
        countReads(((Stmt.Assign) s).value(), stmts);
      } else if (s instanceof Stmt.Store) {
        countReads(((Stmt.Store) s).index(), stmts);
        countReads(((Stmt.Store) s).value(), stmts);
      } else if (s instanceof Stmt.Eval) {
        countReads(((Stmt.Eval) s).expr(), stmts);
      } else if (s instanceof Stmt.If) {
        countReads(((Stmt.If) s).cond(), stmts);
      } else if (s instanceof Stmt.Loop) {
        countReads(((Stmt.Loop) s).cond(), ((Stmt.Loop) s).head());
      } else if (s instanceof Stmt.Return || s instanceof Stmt.Throw) {
        countReads(Stmts.exprs(s).get(0), stmts);
      }
      if (s instanceof Stmt.Assign) {
        Stmt.Assign a = (Stmt.Assign) s;
        assignments.merge(a.target(), 1, Integer::sum);
        definedIn.put(a.target(), stmts);
        if (a.value() instanceof Expr.Binary) {
          Expr.Binary b = (Expr.Binary) a.value();
          boolean step = (b.op() == Expr.BinOp.ADD || b.op() == Expr.BinOp.SUB)
              && Exprs.varOf(b.left()) != null && b.right() instanceof Expr.Const
              && b.type().equals(Exprs.varOf(b.left()).type());
          if (step) increments.put(a.target(), b);
        }
        if (inLoop) assignedInLoop.add(a.target());
        if (a.target().type().isArray()) {
          Var src = Exprs.varOf(a.value());
          if (src != null) alias(a.target(), src);
        }
        scanning = s;
        if (activity.isActive(a.target())) derivativeReads(a.target(), a.value());
      } else if (s instanceof Stmt.Store) {
        Stmt.Store st = (Stmt.Store) s;
        stores.add(st);
        scanning = s;
        if (activity.isActive(st.array())) read(st.index());
      } else if (s instanceof Stmt.If) {
        scan(((Stmt.If) s).then(), inLoop);
        scan(((Stmt.If) s).otherwise(), inLoop);
      } else if (s instanceof Stmt.Loop) {
        CountedLoops.Counted c = counted.counted(s);
        if (c != null) {
          // the reversal computes the trip count from the bounds: an enclosing counter in them
          // must hold its value there
          scanning = s;
          Exprs.visitRefs(c.from(), this::need);
          Exprs.visitRefs(c.bound(), this::need);
        }
        scan(((Stmt.Loop) s).head(), true);
        scan(((Stmt.Loop) s).body(), true);
      } else if (s instanceof Stmt.Repeat) {
        scan(((Stmt.Repeat) s).body(), true);
      }
    }
  }

  /** Records the primal values the derivative of {@code v = e} reads. */
  private void derivativeReads(Var v, Expr e) {
    if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      boolean la = activity.isActive(b.left());
      boolean ra = activity.isActive(b.right());
      switch (b.op()) {
        case MUL:
          if (la) read(b.right());
          if (ra) read(b.left());
          break;
        case DIV:
          if (la || ra) read(b.right());
          if (ra) need(v);
          break;
        case REM:
          if (ra) {
            read(b.left());
            read(b.right());
            need(v);
          }
          break;
        default:
          break;
      }
    } else if (e instanceof Expr.Call) {
      Expr.Call c = (Expr.Call) e;
      boolean residuals = keepsResiduals.test(scanning);
      for (Expr arg : c.args()) {
        if (!residuals) read(arg); // residuals hold the values the callee's reverse reads
        Var a = Exprs.varOf(arg);
        // the callee's reverse may read its arrays' elements: they are restored to these
        if (a != null && a.type().isArray()) wholeArrayRead.add(a);
      }
      if (c.method().target() instanceof Target.Rules || v.type().isRecord()) {
        need(v);
      }
    } else if (e instanceof Expr.ArrayLoad) {
      read(((Expr.ArrayLoad) e).index());
    } else if (e instanceof Expr.NewRecord && v.type().isRecord()) {
      need(v);
    }
  }

  private void read(Expr atom) {
    Var v = Exprs.varOf(atom);
    if (v != null) need(v);
  }

  /** {@code v}'s value is read by the reversal of the statement being scanned. */
  private void need(Var v) {
    readByDerivative.add(v);
    reverseReads.computeIfAbsent(scanning, k -> new HashSet<>()).add(v);
  }

  private void alias(Var a, Var b) {
    aliases.computeIfAbsent(a, k -> new HashSet<>()).add(b);
    aliases.computeIfAbsent(b, k -> new HashSet<>()).add(a);
  }

  private void closeAliases() {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Var a : Set.copyOf(wholeArrayRead)) {
        for (Var b : aliases.getOrDefault(a, Set.of())) changed |= wholeArrayRead.add(b);
      }
    }
  }
}
