package dev.adjoint.processor.emit;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds temporaries back into the expressions that use them, so that generated code reads like
 * the source ({@code b = y - x * x}, not {@code t = x * x; b = y - t}). A synthetic variable is
 * folded when it is assigned once, read once, by a later statement of the same block (outside
 * any loop body) that it can move down to: the statements in between change none of its
 * operands, and no call moves past another.
 */
final class Folding {
  private final Map<Var, Integer> reads = new HashMap<>();
  private final Map<Var, Integer> writes = new HashMap<>();

  private Folding() {}

  static Function fold(Function f) {
    Folding folding = new Folding();
    folding.count(f.body());
    return f.withBody(folding.block(f.body()), f.names());
  }

  private void count(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Assign) {
        writes.merge(((Stmt.Assign) s).target(), 1, Integer::sum);
        read(((Stmt.Assign) s).value());
      } else if (s instanceof Stmt.Store) {
        read(((Stmt.Store) s).index());
        read(((Stmt.Store) s).value());
        reads.merge(((Stmt.Store) s).array(), 1, Integer::sum);
      } else if (s instanceof Stmt.Eval) {
        read(((Stmt.Eval) s).expr());
      } else if (s instanceof Stmt.Throw) {
        read(((Stmt.Throw) s).value());
      } else if (s instanceof Stmt.Push) {
        read(((Stmt.Push) s).value());
      } else if (s instanceof Stmt.If) {
        read(((Stmt.If) s).cond());
        count(((Stmt.If) s).then());
        count(((Stmt.If) s).otherwise());
      } else if (s instanceof Stmt.Loop) {
        Stmt.Loop l = (Stmt.Loop) s;
        count(l.head());
        read(l.cond());
        read(l.cond()); // evaluated every iteration: never fold into it
        count(l.body());
      } else if (s instanceof Stmt.Repeat) {
        Stmt.Repeat r = (Stmt.Repeat) s;
        read(r.times());
        writes.merge(r.counter(), 2, Integer::sum);
        count(r.body());
      } else if (s instanceof Stmt.Return) {
        read(((Stmt.Return) s).value());
      }
    }
  }

  private void read(Expr e) {
    Exprs.visitRefs(e, v -> reads.merge(v, 1, Integer::sum));
  }

  private List<Stmt> block(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) out.add(nested(s));
    for (int i = out.size() - 2; i >= 0; i--) {
      int j = nextReader(out, i);
      if (j < 0) continue;
      Stmt folded = tryFold(out.get(i), out.get(j));
      if (folded != null) {
        out.set(j, folded);
        out.remove(i);
      }
    }
    return out;
  }

  /**
   * The index of the statement after {@code i} that reads what statement i assigns, when every
   * statement in between leaves i's value and operands alone (so that i may move down to it);
   * else -1.
   */
  private static int nextReader(List<Stmt> out, int i) {
    if (!(out.get(i) instanceof Stmt.Assign)) return -1;
    Stmt.Assign def = (Stmt.Assign) out.get(i);
    if (Exprs.hasEffects(def.value())) return i + 1;
    boolean loads = Exprs.readsMemory(def.value());
    java.util.Set<Var> operands = new java.util.HashSet<>();
    Exprs.visitRefs(def.value(), operands::add);
    for (int j = i + 1; j < out.size(); j++) {
      Stmt s = out.get(j);
      if (mentions(s, def.target())) return j;
      if (!(s instanceof Stmt.Assign || s instanceof Stmt.Store)) return -1;
      if (s instanceof Stmt.Store && loads) return -1;
      if (s instanceof Stmt.Assign && operands.contains(((Stmt.Assign) s).target())) return -1;
    }
    return -1;
  }

  private static boolean mentions(Stmt s, Var v) {
    if (s instanceof Stmt.Assign) {
      return ((Stmt.Assign) s).target() == v || reads(((Stmt.Assign) s).value(), v);
    }
    if (s instanceof Stmt.Store) {
      Stmt.Store st = (Stmt.Store) s;
      return st.array() == v || reads(st.index(), v) || reads(st.value(), v);
    }
    return true; // anything else: stop looking further
  }

  private Stmt nested(Stmt s) {
    return Stmts.withBlocks(s, this::block);
  }

  /** {@code def} folded into {@code use}, or null. */
  private Stmt tryFold(Stmt def, Stmt use) {
    if (!(def instanceof Stmt.Assign)) return null;
    Var t = ((Stmt.Assign) def).target();
    Expr value = ((Stmt.Assign) def).value();
    if (!t.isSynthetic() || writes.getOrDefault(t, 0) != 1 || reads.getOrDefault(t, 0) != 1) {
      return null;
    }
    if (value instanceof Expr.Pop || value instanceof Expr.ArrayLiteral) return null;
    boolean effects = Exprs.hasEffects(value);
    int line = use.line();
    if (use instanceof Stmt.Assign) {
      Stmt.Assign a = (Stmt.Assign) use;
      if (!reads(a.value(), t) || effects && Exprs.hasEffects(a.value())) return null;
      return new Stmt.Assign(a.target(), Exprs.replace(a.value(), t, value), line);
    }
    if (use instanceof Stmt.Store) {
      Stmt.Store st = (Stmt.Store) use;
      if (effects && (Exprs.hasEffects(st.value()) || Exprs.hasEffects(st.index()))) return null;
      if (reads(st.value(), t)) {
        return new Stmt.Store(st.array(), st.index(), Exprs.replace(st.value(), t, value), line);
      }
      if (reads(st.index(), t)) {
        return new Stmt.Store(st.array(), Exprs.replace(st.index(), t, value), st.value(), line);
      }
      return null;
    }
    if (use instanceof Stmt.Return) {
      Expr v = ((Stmt.Return) use).value();
      if (!reads(v, t) || effects && Exprs.hasEffects(v)) return null;
      return new Stmt.Return(Exprs.replace(v, t, value), line);
    }
    if (use instanceof Stmt.Throw) {
      Expr v = ((Stmt.Throw) use).value();
      if (!reads(v, t) || effects && Exprs.hasEffects(v)) return null;
      return new Stmt.Throw(Exprs.replace(v, t, value), line);
    }
    if (use instanceof Stmt.If) {
      Stmt.If i = (Stmt.If) use;
      if (!reads(i.cond(), t)) return null;
      return new Stmt.If(Exprs.replace(i.cond(), t, value), i.then(), i.otherwise(), line);
    }
    if (use instanceof Stmt.Push) {
      Stmt.Push p = (Stmt.Push) use;
      if (!reads(p.value(), t)) return null;
      return new Stmt.Push(p.tape(), Exprs.replace(p.value(), t, value), p.slot(), line);
    }
    if (use instanceof Stmt.Eval) {
      Expr e = ((Stmt.Eval) use).expr();
      if (!reads(e, t) || effects) return null;
      return new Stmt.Eval(Exprs.replace(e, t, value), line);
    }
    return null;
  }

  private static boolean reads(Expr e, Var v) {
    boolean[] found = {false};
    Exprs.visitRefs(e, r -> found[0] |= r == v);
    return found[0];
  }
}
