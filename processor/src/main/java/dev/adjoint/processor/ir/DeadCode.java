package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes assignments whose value is never read afterwards (backward liveness over the
 * structured statements, to a fixed point around loops). A gradient does not need the
 * function's value, and values the reverse sweep recomputes need not be kept from the forward
 * sweep, so {@code fGrad}'s forward sweep shrinks to what is really used. Calls, tape operations
 * and array writes always stay.
 */
public final class DeadCode {
  private DeadCode() {}

  public static Function remove(Function f) {
    return f.withBody(remove(f.body()), f.names());
  }

  /** {@code stmts} without the assignments whose values are never read. */
  public static List<Stmt> remove(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    block(reachable(stmts), new HashSet<>(), out);
    return out;
  }

  /** The variables whose values {@code stmts} read before writing them (live on entry). */
  public static Set<Var> liveBefore(List<Stmt> stmts) {
    return block(reachable(stmts), new HashSet<>(), null);
  }

  /**
   * The statements that can run: what derivative code appends after a {@code throw} (the
   * branch taken, a tangent) never does, and javac refuses it as unreachable.
   */
  private static List<Stmt> reachable(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      out.add(Stmts.withBlocks(s, DeadCode::reachable));
      if (s instanceof Stmt.Throw || s instanceof Stmt.Return) break;
    }
    return out;
  }

  private static void refs(Expr e, Set<Var> live) {
    Exprs.visitRefs(e, live::add);
  }

  /**
   * Live variables before {@code stmts}, given those live after; the statements kept are
   * appended to {@code out} when it is not null.
   */
  private static Set<Var> block(List<Stmt> stmts, Set<Var> liveOut, List<Stmt> out) {
    Set<Var> live = new HashSet<>(liveOut);
    List<Stmt> kept = new ArrayList<>();
    for (int i = stmts.size() - 1; i >= 0; i--) {
      Stmt s = stmts.get(i);
      if (s instanceof Stmt.Assign) {
        Stmt.Assign a = (Stmt.Assign) s;
        if (live.contains(a.target()) || Exprs.hasEffects(a.value())) {
          live.remove(a.target());
          refs(a.value(), live);
          kept.add(s);
        }
      } else if (s instanceof Stmt.Store) {
        Stmt.Store st = (Stmt.Store) s;
        live.add(st.array());
        refs(st.index(), live);
        refs(st.value(), live);
        kept.add(s);
      } else if (s instanceof Stmt.Eval) {
        refs(((Stmt.Eval) s).expr(), live);
        kept.add(s);
      } else if (s instanceof Stmt.Push) {
        live.add(((Stmt.Push) s).tape());
        refs(((Stmt.Push) s).value(), live);
        kept.add(s);
      } else if (s instanceof Stmt.If) {
        Stmt.If c = (Stmt.If) s;
        List<Stmt> then = out == null ? null : new ArrayList<>();
        List<Stmt> otherwise = out == null ? null : new ArrayList<>();
        Set<Var> in = block(c.then(), live, then);
        in.addAll(block(c.otherwise(), live, otherwise));
        refs(c.cond(), in);
        live = in;
        if (out != null) kept.add(new Stmt.If(c.cond(), then, otherwise, c.line()));
      } else if (s instanceof Stmt.Loop) {
        Stmt.Loop l = (Stmt.Loop) s;
        Set<Var> entry = new HashSet<>();
        Set<Var> afterTest;
        while (true) {
          afterTest = new HashSet<>(live);
          afterTest.addAll(block(l.body(), entry, null));
          refs(l.cond(), afterTest);
          Set<Var> next = block(l.head(), afterTest, null);
          if (next.equals(entry)) break;
          entry = next;
        }
        if (out != null) {
          List<Stmt> head = new ArrayList<>();
          List<Stmt> body = new ArrayList<>();
          block(l.head(), afterTest, head);
          block(l.body(), entry, body);
          kept.add(new Stmt.Loop(head, l.cond(), body, l.update(), l.label(), l.line()));
        }
        live = entry;
      } else if (s instanceof Stmt.Repeat) {
        Stmt.Repeat r = (Stmt.Repeat) s;
        Set<Var> entry = new HashSet<>(live);
        while (true) {
          Set<Var> next = new HashSet<>(live);
          next.addAll(block(r.body(), entry, null));
          if (next.equals(entry)) break;
          entry = next;
        }
        if (out != null) {
          List<Stmt> body = new ArrayList<>();
          block(r.body(), entry, body);
          kept.add(new Stmt.Repeat(r.counter(), r.times(), body, r.line()));
        }
        live = new HashSet<>(entry);
        live.remove(r.counter()); // the loop sets it
        refs(r.times(), live);
      } else if (s instanceof Stmt.Return || s instanceof Stmt.Throw) {
        live = new HashSet<>();
        refs(Stmts.exprs(s).get(0), live);
        kept.add(s);
      } else {
        kept.add(s);
      }
    }
    if (out != null) {
      Collections.reverse(kept);
      out.addAll(kept);
    }
    return live;
  }
}
