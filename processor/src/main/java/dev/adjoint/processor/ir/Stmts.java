package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The parts of a statement, so that the analyses walk statements one way: the blocks nested in
 * it, the expressions it evaluates itself, and the variable it writes.
 */
public final class Stmts {
  private Stmts() {}

  /** The blocks nested in {@code s} (then/else, head/body/update, a repeat's body). */
  public static List<List<Stmt>> blocks(Stmt s) {
    if (s instanceof Stmt.If) return List.of(((Stmt.If) s).then(), ((Stmt.If) s).otherwise());
    if (s instanceof Stmt.Loop) {
      Stmt.Loop l = (Stmt.Loop) s;
      return List.of(l.head(), l.body(), l.update());
    }
    if (s instanceof Stmt.Repeat) return List.of(((Stmt.Repeat) s).body());
    return List.of();
  }

  /** The expressions {@code s} evaluates itself (not those of nested blocks). */
  public static List<Expr> exprs(Stmt s) {
    if (s instanceof Stmt.Assign) return List.of(((Stmt.Assign) s).value());
    if (s instanceof Stmt.Store) {
      return List.of(((Stmt.Store) s).index(), ((Stmt.Store) s).value());
    }
    if (s instanceof Stmt.Eval) return List.of(((Stmt.Eval) s).expr());
    if (s instanceof Stmt.Push) return List.of(((Stmt.Push) s).value());
    if (s instanceof Stmt.If) return List.of(((Stmt.If) s).cond());
    if (s instanceof Stmt.Loop) return List.of(((Stmt.Loop) s).cond());
    if (s instanceof Stmt.Repeat) return List.of(((Stmt.Repeat) s).times());
    if (s instanceof Stmt.Return) return List.of(((Stmt.Return) s).value());
    if (s instanceof Stmt.Throw) return List.of(((Stmt.Throw) s).value());
    return List.of();
  }

  /**
   * The variable {@code s} itself writes (an assignment's target, the array a store writes
   * into, a tape pushed to), or null.
   */
  public static Var written(Stmt s) {
    if (s instanceof Stmt.Assign) return ((Stmt.Assign) s).target();
    if (s instanceof Stmt.Store) return ((Stmt.Store) s).array();
    if (s instanceof Stmt.Push) return ((Stmt.Push) s).tape();
    return null;
  }

  /** Every statement of {@code stmts}, nested ones included, in order. */
  public static void forEachDeep(List<Stmt> stmts, Consumer<Stmt> visitor) {
    for (Stmt s : stmts) {
      visitor.accept(s);
      for (List<Stmt> b : blocks(s)) forEachDeep(b, visitor);
    }
  }

  /** Every variable {@code s} reads or writes itself (not in nested blocks). */
  public static List<Var> mentioned(Stmt s) {
    List<Var> out = new ArrayList<>();
    Var w = written(s);
    if (w != null) out.add(w);
    if (s instanceof Stmt.Repeat) out.add(((Stmt.Repeat) s).counter());
    for (Expr e : exprs(s)) Exprs.visitRefs(e, out::add);
    return out;
  }
}
