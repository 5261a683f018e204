package dev.adjoint.tests.fuzz;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Shrinks a failing program while the same failure (its {@link Failure#signature()}) persists:
 * drops methods, records and wrappers nothing needs, removes statements (halves of a method
 * first, then single ones), replaces branches and loops by their bodies, and expressions by
 * their parts or a constant. Each candidate is compiled and checked anew, so an edit that makes
 * the program invalid, or changes the failure, is simply not taken.
 */
final class Minimizer {
  private final Predicate<Program> fails;
  private final int maxTries;
  private final long deadline;
  private int tries;

  /** {@code fails}: whether a candidate still fails the same way. */
  Minimizer(Predicate<Program> fails, int maxTries, long millis) {
    this.fails = fails;
    this.maxTries = maxTries;
    this.deadline = System.currentTimeMillis() + millis;
  }

  int tries() {
    return tries;
  }

  Program minimize(Program p) {
    boolean changed = true;
    while (changed && budgetLeft()) {
      changed = false;
      Program q = dropMethods(p);
      q = removeStatements(q);
      q = simplifyStatements(q);
      q = simplifyExpressions(q);
      q = dropMethods(q);
      if (!q.equals(p)) {
        changed = true;
        p = q;
      }
    }
    return p;
  }

  private boolean budgetLeft() {
    return tries < maxTries && System.currentTimeMillis() < deadline;
  }

  private boolean accept(Program candidate) {
    if (!budgetLeft() || !reachable(candidate)) return false;
    tries++;
    try {
      return fails.test(candidate);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Methods other than the entry, wrappers, records: dropped when the failure stays. */
  private Program dropMethods(Program p) {
    for (int i = p.methods().size() - 1; i >= 0 && budgetLeft(); i--) {
      Program.Method m = p.methods().get(i);
      if (m.name().equals(p.entry())) continue;
      List<Program.Method> rest = new ArrayList<>(p.methods());
      rest.remove(i);
      Program q = p.withMethods(rest);
      if (Rewrite.mentions(q, m.name())) continue;
      if (accept(q)) p = q;
    }
    for (int i = p.records().size() - 1; i >= 0 && budgetLeft(); i--) {
      Program.RecordDecl r = p.records().get(i);
      List<Program.RecordDecl> rest = new ArrayList<>(p.records());
      rest.remove(i);
      Program q = p.withRecords(rest);
      if (Rewrite.mentions(q, r.name())) continue;
      if (accept(q)) p = q;
    }
    // a record's method nothing calls
    for (int i = 0; i < p.records().size() && budgetLeft(); i++) {
      Program.RecordDecl r = p.records().get(i);
      if (r.methods().isEmpty()) continue;
      List<Program.RecordDecl> rs = new ArrayList<>(p.records());
      rs.set(i, new Program.RecordDecl(r.name(), r.components(), List.of()));
      Program q = p.withRecords(rs);
      if (accept(q)) p = q;
    }
    return p;
  }

  /** ddmin over statement positions: chunks of decreasing size, from the end. */
  private Program removeStatements(Program p) {
    int n = Rewrite.statements(p);
    for (int chunk = Math.max(1, n / 2); chunk >= 1 && budgetLeft(); chunk /= 2) {
      n = Rewrite.statements(p);
      for (int start = n - chunk; start >= 0 && budgetLeft(); start -= chunk) {
        Set<Integer> ks = new HashSet<>();
        for (int k = start; k < start + chunk && k < n; k++) {
          if (!(Rewrite.statementAt(p, k) instanceof Stmt.Return r && isFinal(p, k, r))) ks.add(k);
        }
        if (ks.isEmpty()) continue;
        Program q = Rewrite.removeStatements(p, ks);
        if (accept(q)) {
          p = q;
          n = Rewrite.statements(p);
        }
      }
      if (chunk == 1) break;
    }
    return p;
  }

  /**
   * Whether no statement follows a return, break or continue in its block: javac refuses
   * unreachable code, but only after the processor ran, so a refusal would hide it.
   */
  static boolean reachable(Program p) {
    for (Program.Method m : allMethods(p)) {
      if (!reachable(m.body())) return false;
    }
    return true;
  }

  private static boolean reachable(Stmt.Block b) {
    List<Stmt> ss = b.stmts();
    for (int i = 0; i < ss.size(); i++) {
      Stmt s = ss.get(i);
      boolean jumps = s instanceof Stmt.Return || s instanceof Stmt.Break
          || s instanceof Stmt.Continue;
      if (jumps && i < ss.size() - 1) return false;
      for (Stmt.Block c : Rewrite.children(s)) {
        if (!reachable(c)) return false;
      }
    }
    return true;
  }

  /** The last statement of a method body cannot go (every method ends in its return). */
  private static boolean isFinal(Program p, int k, Stmt.Return r) {
    for (Program.Method m : allMethods(p)) {
      List<Stmt> body = m.body().stmts();
      if (!body.isEmpty() && body.get(body.size() - 1) == r) return true;
    }
    return false;
  }

  private static List<Program.Method> allMethods(Program p) {
    List<Program.Method> all = new ArrayList<>();
    for (Program.RecordDecl r : p.records()) all.addAll(r.methods());
    all.addAll(p.methods());
    return all;
  }

  /** An if by one branch, a loop by one run of its body, a switch by one case, a block by its contents. */
  private Program simplifyStatements(Program p) {
    for (int k = Rewrite.statements(p) - 1; k >= 0 && budgetLeft(); k--) {
      Stmt s = Rewrite.statementAt(p, k);
      for (List<Stmt> replacement : replacements(s)) {
        Program q = Rewrite.replaceStatement(p, k, replacement);
        if (accept(q)) {
          p = q;
          break;
        }
      }
    }
    return p;
  }

  private static List<List<Stmt>> replacements(Stmt s) {
    List<List<Stmt>> out = new ArrayList<>();
    if (s instanceof Stmt.If i) {
      out.add(i.then().stmts());
      if (i.otherwise() != null) {
        out.add(i.otherwise().stmts());
        out.add(List.of(new Stmt.If(i.test(), i.then(), null)));
      }
    } else if (s instanceof Stmt.For f) {
      List<Stmt> once = new ArrayList<>();
      once.add(f.init());
      once.addAll(f.body().stmts());
      out.add(List.of(new Stmt.Block(once)));
      if (f.test() instanceof Expr.Binary b && b.right() instanceof Expr.Int n && n.value() > 1) {
        out.add(List.of(new Stmt.For(f.label(), f.init(),
            new Expr.Binary(b.op(), b.left(), new Expr.Int(n.value() - 1)), f.update(), f.body())));
      }
      if (f.label() != null) {
        out.add(List.of(new Stmt.For(null, f.init(), f.test(), f.update(), f.body())));
      }
    } else if (s instanceof Stmt.While w) {
      out.add(List.of(new Stmt.Block(w.body().stmts())));
    } else if (s instanceof Stmt.DoWhile d) {
      out.add(List.of(new Stmt.Block(d.body().stmts())));
      out.add(List.of(new Stmt.While(d.label(), d.test(), d.body())));
    } else if (s instanceof Stmt.ForEach f) {
      out.add(List.of(new Stmt.For(f.label(), new Stmt.Decl(Type.INT, "j_", new Expr.Int(0)),
          new Expr.Binary("<", new Expr.Name("j_"), new Expr.Length(f.array())),
          new Stmt.Eval(new Expr.PostStep("j_", "++")),
          new Stmt.Block(prepend(new Stmt.Decl(f.elem(), f.name(),
              new Expr.Index(f.array(), new Expr.Name("j_"))), f.body().stmts())))));
    } else if (s instanceof Stmt.Switch sw) {
      for (Stmt.Block c : sw.cases()) out.add(List.of(c));
      if (sw.otherwise() != null) out.add(List.of(sw.otherwise()));
    } else if (s instanceof Stmt.Block b) {
      out.add(b.stmts());
    } else if (s instanceof Stmt.Assign a && !a.op().equals("=")) {
      out.add(List.of(new Stmt.Assign(a.target(), "=", a.value())));
    }
    return out;
  }

  private static List<Stmt> prepend(Stmt first, List<Stmt> rest) {
    List<Stmt> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** Each expression by one of its parts, or by a constant. */
  private Program simplifyExpressions(Program p) {
    for (int k = Rewrite.expressions(p) - 1; k >= 0 && budgetLeft(); k--) {
      if (k >= Rewrite.expressions(p)) continue;
      Expr e = Rewrite.expressionAt(p, k);
      for (Expr candidate : simpler(e)) {
        Program q = Rewrite.replaceExpression(p, k, candidate);
        if (accept(q)) {
          p = q;
          break;
        }
      }
    }
    return p;
  }

  private static List<Expr> simpler(Expr e) {
    List<Expr> out = new ArrayList<>();
    if (e instanceof Expr.Name || e instanceof Expr.Int || e instanceof Expr.Str
        || e instanceof Expr.PostStep) {
      return out;
    }
    if (e instanceof Expr.Real r) {
      if (r.value() != 1 && r.value() != 0) out.add(new Expr.Real(1));
      return out;
    }
    if (e instanceof Expr.Binary b && (b.op().equals("&&") || b.op().equals("||"))) {
      out.add(b.left());
      out.add(b.right());
      return out;
    }
    for (Expr part : Rewrite.parts(e)) {
      // an array's length is no index: keep reproducers runnable
      if (!(part instanceof Expr.Int) && !(part instanceof Expr.Length)) out.add(part);
    }
    if (e instanceof Expr.MathFn || e instanceof Expr.Cond || e instanceof Expr.Call
        || e instanceof Expr.Invoke || (e instanceof Expr.Binary b && isArithmetic(b.op()))) {
      out.add(new Expr.Real(1));
    }
    return out;
  }

  private static boolean isArithmetic(String op) {
    return op.equals("+") || op.equals("-") || op.equals("*") || op.equals("/");
  }
}
