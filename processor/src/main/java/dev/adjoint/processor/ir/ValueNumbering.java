package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Local common-subexpression elimination on three-address form: within a straight-line run of
 * statements, an operation already computed into a variable that still holds it is not
 * computed again. {@code x[i] * x[i] + (1 - x[i])} loads {@code x[i]} once, so reverse mode
 * accumulates into {@code xBar[i]} once. Only temporaries are replaced, and only by variables
 * assigned once, so the replacement holds wherever the temporary was read.
 */
public final class ValueNumbering {
  private final Map<Var, Integer> assignments = new HashMap<>();
  private final Map<Var, Var> replaced = new HashMap<>();
  private final List<Var> params;

  private ValueNumbering(List<Var> params) {
    this.params = params;
  }

  public static Function apply(Function f) {
    ValueNumbering vn = new ValueNumbering(f.params());
    vn.count(f.body());
    return f.withBody(vn.block(f.body()), f.names());
  }

  /** Assignments counted where written: a temporary in a loop body is read in its iteration. */
  private void count(List<Stmt> stmts) {
    Stmts.forEachDeep(stmts, s -> {
      if (s instanceof Stmt.Assign) assignments.merge(((Stmt.Assign) s).target(), 1, Integer::sum);
    });
  }

  private boolean stable(Var v) {
    int n = assignments.getOrDefault(v, 0);
    return n == 1 && !params.contains(v) || n == 0 && params.contains(v);
  }

  private List<Stmt> block(List<Stmt> stmts) {
    Map<Expr, Var> available = new HashMap<>();
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      s = substitute(s);
      if (s instanceof Stmt.Assign) {
        Stmt.Assign a = (Stmt.Assign) s;
        Expr e = a.value();
        Var known = available.get(e);
        if (known != null && a.target().isSynthetic() && stable(a.target())) {
          replaced.put(a.target(), known);
          continue;
        }
        kill(available, a.target());
        if (cacheable(e) && stable(a.target()) && !Linearizer.reads(e, a.target())) {
          available.put(e, a.target());
        }
        out.add(a);
      } else if (s instanceof Stmt.Store || s instanceof Stmt.Eval) {
        available.keySet().removeIf(ValueNumbering::loads); // memory may have changed
        out.add(s);
      } else if (s instanceof Stmt.If) {
        Stmt.If i = (Stmt.If) s;
        out.add(new Stmt.If(i.cond(), block(i.then()), block(i.otherwise()), i.line()));
        available.clear();
      } else if (s instanceof Stmt.Loop) {
        Stmt.Loop l = (Stmt.Loop) s;
        out.add(new Stmt.Loop(block(l.head()), l.cond(), block(l.body()), l.update(), l.label(),
            l.line()));
        available.clear();
      } else if (s instanceof Stmt.Repeat) {
        Stmt.Repeat r = (Stmt.Repeat) s;
        out.add(new Stmt.Repeat(r.counter(), r.times(), block(r.body()), r.line()));
        available.clear();
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** Drops what depended on {@code v}'s old value. */
  private static void kill(Map<Expr, Var> available, Var v) {
    Iterator<Map.Entry<Expr, Var>> it = available.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Expr, Var> e = it.next();
      if (e.getValue() == v || Linearizer.reads(e.getKey(), v)) it.remove();
    }
  }

  private static boolean cacheable(Expr e) {
    return e instanceof Expr.Binary || e instanceof Expr.Unary || e instanceof Expr.Cast
        || e instanceof Expr.ArrayLoad || e instanceof Expr.ArrayLength || e instanceof Expr.Get;
  }

  private static boolean loads(Expr e) {
    return e instanceof Expr.ArrayLoad;
  }

  private Stmt substitute(Stmt s) {
    if (replaced.isEmpty()) return s;
    if (s instanceof Stmt.Assign) {
      Stmt.Assign a = (Stmt.Assign) s;
      return new Stmt.Assign(a.target(), sub(a.value()), a.line());
    }
    if (s instanceof Stmt.Store) {
      Stmt.Store st = (Stmt.Store) s;
      return new Stmt.Store(st.array(), sub(st.index()), sub(st.value()), st.line());
    }
    if (s instanceof Stmt.Eval) return new Stmt.Eval(sub(((Stmt.Eval) s).expr()), s.line());
    if (s instanceof Stmt.Push) {
      Stmt.Push p = (Stmt.Push) s;
      return new Stmt.Push(p.tape(), sub(p.value()), p.slot(), s.line());
    }
    if (s instanceof Stmt.If) {
      Stmt.If i = (Stmt.If) s;
      return new Stmt.If(sub(i.cond()), i.then(), i.otherwise(), i.line());
    }
    if (s instanceof Stmt.Loop) {
      Stmt.Loop l = (Stmt.Loop) s;
      return new Stmt.Loop(l.head(), sub(l.cond()), l.body(), l.update(), l.label(), l.line());
    }
    if (s instanceof Stmt.Repeat) {
      Stmt.Repeat r = (Stmt.Repeat) s;
      return new Stmt.Repeat(r.counter(), sub(r.times()), r.body(), r.line());
    }
    if (s instanceof Stmt.Return) return new Stmt.Return(sub(((Stmt.Return) s).value()), s.line());
    if (s instanceof Stmt.Throw) return new Stmt.Throw(sub(((Stmt.Throw) s).value()), s.line());
    return s;
  }

  private Expr sub(Expr e) {
    Expr out = e;
    for (Map.Entry<Var, Var> r : replaced.entrySet()) {
      if (Linearizer.reads(out, r.getKey())) {
        out = Exprs.replace(out, r.getKey(), Expr.ref(r.getValue()));
      }
    }
    return out;
  }
}
