package dev.adjoint.tests.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Positions in a program and edits at them, for the minimizer. Statements of blocks and
 * expressions are numbered in pre-order over every method body (records' methods first); an
 * edit rebuilds the program with one position changed.
 */
final class Rewrite {
  private Rewrite() {}

  // ---- statements --------------------------------------------------------------------------

  static int statements(Program p) {
    int[] n = {0};
    mapBodies(p, b -> countStmts(b, n));
    return n[0];
  }

  static Stmt statementAt(Program p, int k) {
    Stmt[] found = {null};
    int[] n = {0};
    mapBodies(p, b -> findStmt(b, k, n, found));
    return found[0];
  }

  /** Removes the statements at the given positions (with what they contain). */
  static Program removeStatements(Program p, Set<Integer> ks) {
    int[] n = {0};
    return mapBodies(p, b -> editStmts(b, n, (k, s) -> ks.contains(k) ? List.of() : null));
  }

  /** Replaces the statement at k by a list of statements. */
  static Program replaceStatement(Program p, int k, List<Stmt> with) {
    int[] n = {0};
    return mapBodies(p, b -> editStmts(b, n, (i, s) -> i == k ? with : null));
  }

  private interface StmtEdit {
    /** Null: keep (and visit the children); otherwise the replacement. */
    List<Stmt> apply(int index, Stmt s);
  }

  private static Stmt.Block countStmts(Stmt.Block b, int[] n) {
    for (Stmt s : b.stmts()) {
      n[0]++;
      for (Stmt.Block c : children(s)) countStmts(c, n);
    }
    return b;
  }

  private static Stmt.Block findStmt(Stmt.Block b, int k, int[] n, Stmt[] found) {
    for (Stmt s : b.stmts()) {
      if (n[0]++ == k) found[0] = s;
      for (Stmt.Block c : children(s)) findStmt(c, k, n, found);
    }
    return b;
  }

  private static Stmt.Block editStmts(Stmt.Block b, int[] n, StmtEdit edit) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      int index = n[0]++;
      List<Stmt> r = edit.apply(index, s);
      if (r != null) {
        // skip the numbers of what the replaced statement contained
        for (Stmt.Block c : children(s)) countStmts(c, n);
        out.addAll(r);
      } else {
        out.add(mapChildren(s, c -> editStmts(c, n, edit)));
      }
    }
    return new Stmt.Block(out);
  }

  /** The blocks directly inside a statement, in order. */
  static List<Stmt.Block> children(Stmt s) {
    List<Stmt.Block> out = new ArrayList<>();
    if (s instanceof Stmt.Block b) out.add(b);
    if (s instanceof Stmt.If i) {
      out.add(i.then());
      if (i.otherwise() != null) out.add(i.otherwise());
    }
    if (s instanceof Stmt.For f) out.add(f.body());
    if (s instanceof Stmt.ForEach f) out.add(f.body());
    if (s instanceof Stmt.While w) out.add(w.body());
    if (s instanceof Stmt.DoWhile d) out.add(d.body());
    if (s instanceof Stmt.Switch sw) {
      out.addAll(sw.cases());
      if (sw.otherwise() != null) out.add(sw.otherwise());
    }
    return out;
  }

  /** Rebuilds a statement with its blocks mapped (in the order of {@link #children}). */
  static Stmt mapChildren(Stmt s, Function<Stmt.Block, Stmt.Block> f) {
    if (s instanceof Stmt.Block b) return f.apply(b);
    if (s instanceof Stmt.If i) {
      Stmt.Block t = f.apply(i.then());
      return new Stmt.If(i.test(), t, i.otherwise() == null ? null : f.apply(i.otherwise()));
    }
    if (s instanceof Stmt.For x) return new Stmt.For(x.label(), x.init(), x.test(), x.update(),
        f.apply(x.body()));
    if (s instanceof Stmt.ForEach x) return new Stmt.ForEach(x.label(), x.elem(), x.name(),
        x.array(), f.apply(x.body()));
    if (s instanceof Stmt.While w) return new Stmt.While(w.label(), w.test(), f.apply(w.body()));
    if (s instanceof Stmt.DoWhile d) return new Stmt.DoWhile(d.label(), f.apply(d.body()),
        d.test());
    if (s instanceof Stmt.Switch sw) {
      List<Stmt.Block> cases = new ArrayList<>();
      for (Stmt.Block c : sw.cases()) cases.add(f.apply(c));
      return new Stmt.Switch(sw.selector(), cases,
          sw.otherwise() == null ? null : f.apply(sw.otherwise()));
    }
    return s;
  }

  private static Program mapBodies(Program p, Function<Stmt.Block, Stmt.Block> f) {
    List<Program.RecordDecl> records = new ArrayList<>();
    for (Program.RecordDecl r : p.records()) {
      List<Program.Method> ms = new ArrayList<>();
      for (Program.Method m : r.methods()) ms.add(withBody(m, f.apply(m.body())));
      records.add(new Program.RecordDecl(r.name(), r.components(), ms));
    }
    List<Program.Method> methods = new ArrayList<>();
    for (Program.Method m : p.methods()) methods.add(withBody(m, f.apply(m.body())));
    return new Program(p.name(), records, methods, p.entry(), p.checked(), p.args());
  }

  private static Program.Method withBody(Program.Method m, Stmt.Block body) {
    return new Program.Method(m.name(), m.result(), m.params(), body, m.differentiable());
  }

  // ---- expressions -------------------------------------------------------------------------

  static int expressions(Program p) {
    int[] n = {0};
    mapExprs(p, e -> {
      n[0]++;
      return null;
    });
    return n[0];
  }

  static Expr expressionAt(Program p, int k) {
    Expr[] found = {null};
    int[] n = {0};
    mapExprs(p, e -> {
      if (n[0]++ == k) found[0] = e;
      return null;
    });
    return found[0];
  }

  static Program replaceExpression(Program p, int k, Expr with) {
    int[] n = {0};
    return mapExprs(p, e -> n[0]++ == k ? with : null);
  }

  /**
   * Maps every expression in pre-order: {@code f} returns a replacement (whose parts are not
   * visited) or null to keep the node and visit its parts.
   */
  private static Program mapExprs(Program p, Function<Expr, Expr> f) {
    return mapBodies(p, b -> exprsInBlock(b, f));
  }

  private static Stmt.Block exprsInBlock(Stmt.Block b, Function<Expr, Expr> f) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) out.add(exprsInStmt(s, f));
    return new Stmt.Block(out);
  }

  private static Stmt exprsInStmt(Stmt s, Function<Expr, Expr> f) {
    if (s == null) return null;
    if (s instanceof Stmt.Decl d) {
      return new Stmt.Decl(d.type(), d.name(), d.init() == null ? null : expr(d.init(), f));
    }
    if (s instanceof Stmt.Assign a) {
      Expr t = expr(a.target(), f);
      return new Stmt.Assign(t, a.op(), expr(a.value(), f));
    }
    if (s instanceof Stmt.Eval e) return new Stmt.Eval(expr(e.expr(), f));
    if (s instanceof Stmt.Return r) return new Stmt.Return(expr(r.value(), f));
    if (s instanceof Stmt.If i) {
      Expr t = expr(i.test(), f);
      Stmt.Block th = exprsInBlock(i.then(), f);
      return new Stmt.If(t, th, i.otherwise() == null ? null : exprsInBlock(i.otherwise(), f));
    }
    if (s instanceof Stmt.For x) {
      Stmt init = exprsInStmt(x.init(), f);
      Expr test = expr(x.test(), f);
      Stmt update = exprsInStmt(x.update(), f);
      return new Stmt.For(x.label(), init, test, update, exprsInBlock(x.body(), f));
    }
    if (s instanceof Stmt.ForEach x) {
      Expr arr = expr(x.array(), f);
      return new Stmt.ForEach(x.label(), x.elem(), x.name(), arr, exprsInBlock(x.body(), f));
    }
    if (s instanceof Stmt.While w) {
      Expr t = expr(w.test(), f);
      return new Stmt.While(w.label(), t, exprsInBlock(w.body(), f));
    }
    if (s instanceof Stmt.DoWhile d) {
      Stmt.Block body = exprsInBlock(d.body(), f);
      return new Stmt.DoWhile(d.label(), body, expr(d.test(), f));
    }
    if (s instanceof Stmt.Switch sw) {
      Expr sel = expr(sw.selector(), f);
      List<Stmt.Block> cases = new ArrayList<>();
      for (Stmt.Block c : sw.cases()) cases.add(exprsInBlock(c, f));
      return new Stmt.Switch(sel, cases,
          sw.otherwise() == null ? null : exprsInBlock(sw.otherwise(), f));
    }
    if (s instanceof Stmt.Block b) return exprsInBlock(b, f);
    return s;
  }

  private static Expr expr(Expr e, Function<Expr, Expr> f) {
    Expr r = f.apply(e);
    if (r != null) return r;
    List<Expr> parts = parts(e);
    if (parts.isEmpty()) return e;
    List<Expr> mapped = new ArrayList<>();
    for (Expr x : parts) mapped.add(expr(x, f));
    return withParts(e, mapped);
  }

  /** The sub-expressions of an expression, in order. */
  static List<Expr> parts(Expr e) {
    if (e instanceof Expr.Binary b) return List.of(b.left(), b.right());
    if (e instanceof Expr.Unary u) return List.of(u.operand());
    if (e instanceof Expr.MathFn m) return m.args();
    if (e instanceof Expr.Call c) return c.args();
    if (e instanceof Expr.Invoke i) {
      List<Expr> all = new ArrayList<>();
      all.add(i.target());
      all.addAll(i.args());
      return all;
    }
    if (e instanceof Expr.Access a) return List.of(a.target());
    if (e instanceof Expr.Index i) return List.of(i.array(), i.index());
    if (e instanceof Expr.Length l) return List.of(l.array());
    if (e instanceof Expr.Cast c) return List.of(c.operand());
    if (e instanceof Expr.Cond c) return List.of(c.test(), c.then(), c.otherwise());
    if (e instanceof Expr.NewRecord n) return n.args();
    if (e instanceof Expr.NewArray n) return List.of(n.size());
    if (e instanceof Expr.ArrayLit a) return a.elements();
    return List.of();
  }

  static Expr withParts(Expr e, List<Expr> p) {
    if (e instanceof Expr.Binary b) return new Expr.Binary(b.op(), p.get(0), p.get(1));
    if (e instanceof Expr.Unary u) return new Expr.Unary(u.op(), p.get(0));
    if (e instanceof Expr.MathFn m) return new Expr.MathFn(m.fn(), p);
    if (e instanceof Expr.Call c) return new Expr.Call(c.owner(), c.name(), p);
    if (e instanceof Expr.Invoke i) return new Expr.Invoke(p.get(0), i.name(), p.subList(1, p.size()));
    if (e instanceof Expr.Access a) return new Expr.Access(p.get(0), a.name());
    if (e instanceof Expr.Index i) return new Expr.Index(p.get(0), p.get(1));
    if (e instanceof Expr.Length) return new Expr.Length(p.get(0));
    if (e instanceof Expr.Cast c) return new Expr.Cast(c.type(), p.get(0));
    if (e instanceof Expr.Cond) return new Expr.Cond(p.get(0), p.get(1), p.get(2));
    if (e instanceof Expr.NewRecord n) return new Expr.NewRecord(n.owner(), n.type(), p);
    if (e instanceof Expr.NewArray n) return new Expr.NewArray(n.arrayType(), p.get(0));
    if (e instanceof Expr.ArrayLit a) return new Expr.ArrayLit(a.arrayType(), p);
    return e;
  }

  // ---- names -------------------------------------------------------------------------------

  /** Whether any code of the program calls (or names) {@code name}. */
  static boolean mentions(Program p, String name) {
    boolean[] found = {false};
    mapExprs(p, e -> {
      if (e instanceof Expr.Call c && (c.name().equals(name) || c.name().startsWith(name + "Grad")
          || c.name().startsWith(name + "Jvp"))) {
        found[0] = true;
      }
      if (e instanceof Expr.NewRecord n && n.type().equals(name)) found[0] = true;
      return null;
    });
    for (Program.Method m : p.methods()) {
      for (Program.Param par : m.params()) {
        if (par.type().kind() == Type.Kind.RECORD && par.type().name().equals(name)) found[0] = true;
      }
      if (m.result().kind() == Type.Kind.RECORD && m.result().name().equals(name)) found[0] = true;
    }
    for (Program.RecordDecl r : p.records()) {
      for (Program.Param c : r.components()) {
        if (c.type().kind() == Type.Kind.RECORD && c.type().name().equals(name)) found[0] = true;
      }
    }
    return found[0];
  }
}
