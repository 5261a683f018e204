package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Var;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Local arrays that the reverse sweep restores element by element (each store pushes the
 * element it overwrites, its reversal puts it back), so that the values loaded from them need
 * not be recorded: at the reversal of a load's last use the array holds what it held at the
 * load, and {@link Recomputation} loads it again. Chosen where that is cheaper: when the loads
 * whose values the reverse sweep reads outnumber the stores, each weighted by the depth of its
 * loop nest (GradBench's gmm stores {@code d} centred coordinates per point and component and
 * reads them {@code d(d-1)/2} times in the triangular product).
 *
 * <p>Only arrays whose every write is a store the reverse sweep sees: assigned once, never an
 * alias of another array, never an argument of a call (which might write it) or of a statement
 * the reverse sweep does not reverse.
 */
final class RestoredArrays {
  /** How much one more level of loop nesting weighs: a guess at a typical trip count. */
  private static final long NEST = 16;

  private RestoredArrays() {}

  static Set<Var> choose(List<Stmt> body, Map<Var, Integer> assignments, Set<Var> readInReverse,
      Set<Var> excluded) {
    Map<Var, Long> loads = new HashMap<>();
    Map<Var, Long> stores = new HashMap<>();
    Set<Var> unfit = new HashSet<>(excluded);
    walk(body, 1, assignments, readInReverse, loads, stores, unfit);
    Set<Var> out = new HashSet<>();
    for (Map.Entry<Var, Long> e : stores.entrySet()) {
      Var a = e.getKey();
      if (!unfit.contains(a) && assignments.getOrDefault(a, 0) == 1
          && a.type().element() != null && a.type().element().isPrimitive()
          && loads.getOrDefault(a, 0L) > e.getValue()) {
        out.add(a);
      }
    }
    return out;
  }

  private static void walk(List<Stmt> stmts, long weight, Map<Var, Integer> assignments,
      Set<Var> readInReverse, Map<Var, Long> loads, Map<Var, Long> stores, Set<Var> unfit) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Store) {
        stores.merge(((Stmt.Store) s).array(), weight, Long::sum);
      } else if (s instanceof Stmt.Assign) {
        Stmt.Assign a = (Stmt.Assign) s;
        if (a.target().type().isArray()) {
          // an alias (b = a) or an array from an expression: neither is followed here
          Exprs.visitRefs(a.value(), v -> {
            if (v.type().isArray()) unfit.add(v);
          });
          if (!(a.value() instanceof Expr.NewArray)) unfit.add(a.target());
        }
        if (a.value() instanceof Expr.ArrayLoad && a.target().type().isPrimitive()
            && assignments.getOrDefault(a.target(), 0) == 1
            && readInReverse.contains(a.target())) {
          Var arr = Exprs.varOf(((Expr.ArrayLoad) a.value()).array());
          if (arr != null) loads.merge(arr, weight, Long::sum);
        }
      }
      for (Expr e : Stmts.exprs(s)) calls(e, unfit);
      if (s instanceof Stmt.Eval || s instanceof Stmt.Return || s instanceof Stmt.Throw) {
        for (Expr e : Stmts.exprs(s)) {
          Exprs.visitRefs(e, v -> {
            if (v.type().isArray()) unfit.add(v);
          });
        }
      }
      long inner = s instanceof Stmt.Loop ? weight * NEST : weight;
      for (List<Stmt> b : Stmts.blocks(s)) {
        walk(b, inner, assignments, readInReverse, loads, stores, unfit);
      }
    }
  }

  /** Arrays passed to a call anywhere in {@code e}. */
  private static void calls(Expr e, Set<Var> unfit) {
    if (e instanceof Expr.Call) {
      for (Expr arg : ((Expr.Call) e).args()) {
        Exprs.visitRefs(arg, v -> {
          if (v.type().isArray()) unfit.add(v);
        });
      }
    }
    Exprs.mapChildren(e, c -> {
      calls(c, unfit);
      return c;
    });
  }
}
