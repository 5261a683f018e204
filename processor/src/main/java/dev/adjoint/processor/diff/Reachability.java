package dev.adjoint.processor.diff;

import dev.adjoint.processor.check.Activity;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which definitions always pass something to the result. A definition is <em>reached</em> when,
 * on every run of it, a later statement reads its value on the way to the result before the
 * variable is written again: the return, a store into a differentiated array, or a reached
 * definition. The reverse sweep relies on it where a partial may be infinite at a finite value
 * ({@code sqrt'(0)}, a division by zero): a value that did not reach the result on this run (it
 * was computed before a branch that returned something else) must give no term, as PyTorch
 * gives none, not 0 times infinity. Definitions not proven reached get a flag at run time (see
 * {@link Reverse}).
 *
 * <p>Computed as a greatest fixed point: every definition starts reached, and one whose proof
 * needs a definition that is not is dropped, until nothing changes. Loops terminate, so a
 * definition whose value is read by the next iteration and, at the last one, after the loop, is
 * reached.
 */
final class Reachability {
  private enum Scan { FOUND, FAIL, NONE }

  private final Activity activity;
  private final Map<List<Stmt>, Stmt> parentOf = new IdentityHashMap<>();
  private final Map<Stmt, List<Stmt>> blockOf = new IdentityHashMap<>();
  private final Map<List<Stmt>, List<Stmt>> enclosing = new IdentityHashMap<>();
  private final Set<Stmt> reached = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  Reachability(List<Stmt> body, Activity activity) {
    this.activity = activity;
    index(body, null, null);
    List<Stmt> defs = new ArrayList<>();
    Stmts.forEachDeep(body, s -> {
      if (s instanceof Stmt.Assign && activity.isActive(((Stmt.Assign) s).target())) defs.add(s);
    });
    reached.addAll(defs);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Stmt d : defs) {
        if (reached.contains(d) && !proven((Stmt.Assign) d)) {
          reached.remove(d);
          changed = true;
        }
      }
    }
  }

  /** Whether {@code def} always passes something to the result (see the class comment). */
  boolean isReached(Stmt.Assign def) {
    return reached.contains(def);
  }

  private void index(List<Stmt> block, Stmt parent, List<Stmt> parentBlock) {
    parentOf.put(block, parent);
    enclosing.put(block, parentBlock);
    for (Stmt s : block) {
      blockOf.put(s, block);
      for (List<Stmt> b : Stmts.blocks(s)) index(b, s, block);
    }
  }

  private boolean proven(Stmt.Assign def) {
    List<Stmt> block = blockOf.get(def);
    Var v = def.target();
    Scan r = scan(block, indexOf(block, def) + 1, v, def);
    if (r == Scan.NONE) r = after(block, v, def);
    return r == Scan.FOUND;
  }

  /** Scans {@code block} from {@code from}: a reached reader of v, a write of v, or neither. */
  private Scan scan(List<Stmt> block, int from, Var v, Stmt def) {
    for (int i = from; i < block.size(); i++) {
      Stmt s = block.get(i);
      if (s == def) return Scan.FAIL; // around the loop: written again
      if (readsOnTheWay(s, v)) return Scan.FOUND;
      if (Stmts.written(s) == v) return Scan.FAIL;
      for (List<Stmt> b : Stmts.blocks(s)) {
        if (writes(b, v)) return Scan.FAIL; // written on some path
      }
    }
    return Scan.NONE;
  }

  /** Where control goes when {@code block} ends without deciding. */
  private Scan after(List<Stmt> block, Var v, Stmt def) {
    Stmt parent = parentOf.get(block);
    if (parent == null) return Scan.FAIL; // the end of the function
    List<Stmt> outer = enclosing.get(block);
    if (parent instanceof Stmt.If) return continueAfter(parent, outer, v, def);
    if (!(parent instanceof Stmt.Loop)) return Scan.FAIL;
    Stmt.Loop loop = (Stmt.Loop) parent;
    if (block == loop.body()) {
      Scan head = scan(loop.head(), 0, v, def);
      if (head != Scan.NONE) return head;
    }
    // After the head: either the body runs (and then the head again), or the loop ends.
    Scan again = scan(loop.body(), 0, v, def);
    if (again == Scan.NONE) again = scan(loop.head(), 0, v, def);
    if (again != Scan.FOUND) return Scan.FAIL;
    return continueAfter(loop, outer, v, def);
  }

  private Scan continueAfter(Stmt s, List<Stmt> outer, Var v, Stmt def) {
    Scan r = scan(outer, indexOf(outer, s) + 1, v, def);
    return r == Scan.NONE ? after(outer, v, def) : r;
  }

  /** A statement at this level that reads v and passes its derivative on towards the result. */
  private boolean readsOnTheWay(Stmt s, Var v) {
    boolean[] reads = {false};
    for (Expr e : Stmts.exprs(s)) Exprs.visitRefs(e, x -> reads[0] |= x == v);
    if (!reads[0]) return false;
    if (s instanceof Stmt.Return) return true;
    if (s instanceof Stmt.Store) {
      Stmt.Store st = (Stmt.Store) s;
      return activity.isActive(st.array()) && Exprs.varOf(st.value()) == v;
    }
    return s instanceof Stmt.Assign && activity.isActive(((Stmt.Assign) s).target())
        && reached.contains(s);
  }

  /** Statements are records (equal when alike): find this one. */
  private static int indexOf(List<Stmt> block, Stmt s) {
    for (int i = 0; i < block.size(); i++) {
      if (block.get(i) == s) return i;
    }
    throw new IllegalStateException("not in its block: " + s);
  }

  private static boolean writes(List<Stmt> block, Var v) {
    boolean[] found = {false};
    Stmts.forEachDeep(block, s -> found[0] |= Stmts.written(s) == v);
    return found[0];
  }

  /**
   * The active definitions of {@code body} that read {@code v} (for flag propagation), in
   * program order, so that the flags they lead to are declared in the same order every build.
   */
  static List<Stmt.Assign> readers(List<Stmt> body, Var v, Activity activity) {
    List<Stmt.Assign> out = new java.util.ArrayList<>();
    Stmts.forEachDeep(body, s -> {
      if (!(s instanceof Stmt.Assign) || !activity.isActive(((Stmt.Assign) s).target())) return;
      boolean[] reads = {false};
      Exprs.visitRefs(((Stmt.Assign) s).value(), x -> reads[0] |= x == v);
      if (reads[0]) out.add((Stmt.Assign) s);
    });
    return out;
  }
}
