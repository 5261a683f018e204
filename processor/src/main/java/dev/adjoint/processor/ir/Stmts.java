package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

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

  /**
   * {@code s} with each block nested in it replaced by {@code f(block)}; other statements as
   * they are.
   */
  public static Stmt withBlocks(Stmt s, UnaryOperator<List<Stmt>> f) {
    if (s instanceof Stmt.If) {
      Stmt.If i = (Stmt.If) s;
      return new Stmt.If(i.cond(), f.apply(i.then()), f.apply(i.otherwise()), i.line());
    }
    if (s instanceof Stmt.Loop) {
      Stmt.Loop l = (Stmt.Loop) s;
      return new Stmt.Loop(f.apply(l.head()), l.cond(), f.apply(l.body()), f.apply(l.update()),
          l.label(), l.line());
    }
    if (s instanceof Stmt.Repeat) {
      Stmt.Repeat r = (Stmt.Repeat) s;
      return new Stmt.Repeat(r.counter(), r.times(), f.apply(r.body()), r.line());
    }
    return s;
  }

  /**
   * {@code s} with each expression it evaluates itself (those of {@link #exprs}) replaced by
   * {@code f(expression)}; nested blocks as they are.
   */
  public static Stmt withExprs(Stmt s, UnaryOperator<Expr> f) {
    if (s instanceof Stmt.Assign) {
      Stmt.Assign a = (Stmt.Assign) s;
      return new Stmt.Assign(a.target(), f.apply(a.value()), a.line());
    }
    if (s instanceof Stmt.Store) {
      Stmt.Store st = (Stmt.Store) s;
      Expr index = f.apply(st.index());
      return new Stmt.Store(st.array(), index, f.apply(st.value()), st.line());
    }
    if (s instanceof Stmt.Eval) return new Stmt.Eval(f.apply(((Stmt.Eval) s).expr()), s.line());
    if (s instanceof Stmt.Push) {
      Stmt.Push p = (Stmt.Push) s;
      return new Stmt.Push(p.tape(), f.apply(p.value()), p.slot(), p.line());
    }
    if (s instanceof Stmt.If) {
      Stmt.If i = (Stmt.If) s;
      return new Stmt.If(f.apply(i.cond()), i.then(), i.otherwise(), i.line());
    }
    if (s instanceof Stmt.Loop) {
      Stmt.Loop l = (Stmt.Loop) s;
      return new Stmt.Loop(l.head(), f.apply(l.cond()), l.body(), l.update(), l.label(),
          l.line());
    }
    if (s instanceof Stmt.Repeat) {
      Stmt.Repeat r = (Stmt.Repeat) s;
      return new Stmt.Repeat(r.counter(), f.apply(r.times()), r.body(), r.line());
    }
    if (s instanceof Stmt.Return) return new Stmt.Return(f.apply(((Stmt.Return) s).value()), s.line());
    if (s instanceof Stmt.Throw) return new Stmt.Throw(f.apply(((Stmt.Throw) s).value()), s.line());
    return s;
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

  /** How often each variable is read in {@code stmts}, nested blocks included. */
  public static java.util.Map<Var, Integer> readCounts(List<Stmt> stmts) {
    java.util.Map<Var, Integer> n = new java.util.HashMap<>();
    forEachDeep(stmts, s -> {
      for (Expr e : exprs(s)) Exprs.visitRefs(e, v -> n.merge(v, 1, Integer::sum));
    });
    return n;
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
