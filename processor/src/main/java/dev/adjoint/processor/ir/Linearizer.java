package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Brings a function to three-address form: every statement performs one operation whose
 * operands are variables or constants, and no operation assigns a variable it reads (that
 * becomes an operation into a temporary plus a copy). The derivative transforms rely on both.
 */
public final class Linearizer {
  private final Names names;

  private Linearizer(Names names) {
    this.names = names;
  }

  public static Function linearize(Function f) {
    Names names = new Names(f.names());
    List<Stmt> body = new Linearizer(names).block(f.body());
    return f.withBody(body, names);
  }

  public static boolean isAtom(Expr e) {
    return e instanceof Expr.Ref || e instanceof Expr.Const || e instanceof Expr.StaticField;
  }

  private List<Stmt> block(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) stmt(s, out);
    return out;
  }

  private void stmt(Stmt s, List<Stmt> out) {
    int line = s.line();
    if (s instanceof Stmt.Assign) {
      Stmt.Assign a = (Stmt.Assign) s;
      Expr op = operation(a.value(), out, line);
      if (op instanceof Expr.Ref && ((Expr.Ref) op).var() == a.target()) return; // x = x
      if (!isAtom(op) && reads(op, a.target())) {
        Var t = names.temp(op.type());
        out.add(new Stmt.Assign(t, op, line));
        op = Expr.ref(t);
      }
      out.add(new Stmt.Assign(a.target(), op, line));
    } else if (s instanceof Stmt.Store) {
      Stmt.Store st = (Stmt.Store) s;
      Expr index = atom(st.index(), out, line);
      Expr value = atom(st.value(), out, line);
      out.add(new Stmt.Store(st.array(), index, value, line));
    } else if (s instanceof Stmt.Eval) {
      out.add(new Stmt.Eval(operation(((Stmt.Eval) s).expr(), out, line), line));
    } else if (s instanceof Stmt.Push) {
      Stmt.Push p = (Stmt.Push) s;
      out.add(new Stmt.Push(p.tape(), atom(p.value(), out, line), p.slot(), line));
    } else if (s instanceof Stmt.If) {
      Stmt.If i = (Stmt.If) s;
      Expr cond = atom(i.cond(), out, line);
      out.add(new Stmt.If(cond, block(i.then()), block(i.otherwise()), line));
    } else if (s instanceof Stmt.Loop) {
      Stmt.Loop l = (Stmt.Loop) s;
      List<Stmt> head = block(l.head());
      Expr cond = atom(l.cond(), head, line);
      List<Stmt> body = block(l.body());
      body.addAll(block(l.update()));
      out.add(new Stmt.Loop(head, cond, body, List.of(), l.label(), line));
    } else if (s instanceof Stmt.Repeat) {
      Stmt.Repeat r = (Stmt.Repeat) s;
      Expr times = atom(r.times(), out, line);
      out.add(new Stmt.Repeat(r.counter(), times, block(r.body()), line));
    } else if (s instanceof Stmt.Return) {
      out.add(new Stmt.Return(atom(((Stmt.Return) s).value(), out, line), line));
    } else if (s instanceof Stmt.Throw) {
      out.add(new Stmt.Throw(atom(((Stmt.Throw) s).value(), out, line), line));
    } else {
      out.add(s);
    }
  }

  private Expr atom(Expr e, List<Stmt> out, int line) {
    if (isAtom(e)) return e;
    Expr op = operation(e, out, line);
    Var t = names.temp(op.type());
    out.add(new Stmt.Assign(t, op, line));
    return Expr.ref(t);
  }

  /** One operation whose operands are atoms. */
  private Expr operation(Expr e, List<Stmt> out, int line) {
    return Exprs.mapChildren(e, c -> atom(c, out, line));
  }

  /** Whether {@code e} reads {@code v} anywhere. */
  public static boolean reads(Expr e, Var v) {
    final boolean[] found = {false};
    Exprs.visitRefs(e, r -> {
      if (r == v) found[0] = true;
    });
    return found[0];
  }
}
