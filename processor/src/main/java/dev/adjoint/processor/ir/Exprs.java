package dev.adjoint.processor.ir;

import java.util.function.Consumer;

/** Small utilities over expression trees. */
public final class Exprs {
  private Exprs() {}

  /** Calls {@code visitor} with every variable {@code e} reads (tapes of pops included). */
  public static void visitRefs(Expr e, Consumer<Var> visitor) {
    if (e instanceof Expr.Ref) {
      visitor.accept(((Expr.Ref) e).var());
    } else if (e instanceof Expr.Unary) {
      visitRefs(((Expr.Unary) e).operand(), visitor);
    } else if (e instanceof Expr.Binary) {
      visitRefs(((Expr.Binary) e).left(), visitor);
      visitRefs(((Expr.Binary) e).right(), visitor);
    } else if (e instanceof Expr.Cast) {
      visitRefs(((Expr.Cast) e).operand(), visitor);
    } else if (e instanceof Expr.ArrayLoad) {
      visitRefs(((Expr.ArrayLoad) e).array(), visitor);
      visitRefs(((Expr.ArrayLoad) e).index(), visitor);
    } else if (e instanceof Expr.ArrayLength) {
      visitRefs(((Expr.ArrayLength) e).array(), visitor);
    } else if (e instanceof Expr.NewArray) {
      visitRefs(((Expr.NewArray) e).length(), visitor);
    } else if (e instanceof Expr.ArrayLiteral) {
      for (Expr x : ((Expr.ArrayLiteral) e).elements()) visitRefs(x, visitor);
    } else if (e instanceof Expr.CloneArray) {
      visitRefs(((Expr.CloneArray) e).array(), visitor);
    } else if (e instanceof Expr.Call) {
      for (Expr x : ((Expr.Call) e).args()) visitRefs(x, visitor);
    } else if (e instanceof Expr.NewRecord) {
      for (Expr x : ((Expr.NewRecord) e).args()) visitRefs(x, visitor);
    } else if (e instanceof Expr.Get) {
      visitRefs(((Expr.Get) e).record(), visitor);
    } else if (e instanceof Expr.Field) {
      visitRefs(((Expr.Field) e).object(), visitor);
    } else if (e instanceof Expr.Pop) {
      visitor.accept(((Expr.Pop) e).tape());
    }
  }

  /** Whether {@code e} calls the method {@code name} of the class named {@code owner}. */
  public static boolean isCallTo(Expr e, String owner, String name) {
    return e instanceof Expr.Call && ((Expr.Call) e).method().name().equals(name)
        && ((Expr.Call) e).method().owner().toString().equals(owner);
  }

  /** The variable an atom refers to, or null for constants. */
  public static Var varOf(Expr e) {
    return e instanceof Expr.Ref ? ((Expr.Ref) e).var() : null;
  }

  /** Whether {@code e} contains a call or a pop (anything with an effect or an order). */
  public static boolean hasEffects(Expr e) {
    if (e instanceof Expr.Call || e instanceof Expr.Pop) return true;
    final boolean[] found = {false};
    if (e instanceof Expr.Unary) return hasEffects(((Expr.Unary) e).operand());
    if (e instanceof Expr.Binary) {
      return hasEffects(((Expr.Binary) e).left()) || hasEffects(((Expr.Binary) e).right());
    }
    if (e instanceof Expr.Cast) return hasEffects(((Expr.Cast) e).operand());
    if (e instanceof Expr.ArrayLoad) {
      return hasEffects(((Expr.ArrayLoad) e).array()) || hasEffects(((Expr.ArrayLoad) e).index());
    }
    if (e instanceof Expr.Get) return hasEffects(((Expr.Get) e).record());
    if (e instanceof Expr.NewRecord) {
      for (Expr x : ((Expr.NewRecord) e).args()) found[0] |= hasEffects(x);
    }
    return found[0];
  }

  /**
   * Whether {@code e} reads memory a store or a call could change (an array element, a clone, a
   * record component, a field, a call's result), so that it cannot move past one.
   */
  public static boolean readsMemory(Expr e) {
    if (e instanceof Expr.ArrayLoad || e instanceof Expr.CloneArray || e instanceof Expr.Get
        || e instanceof Expr.Field || e instanceof Expr.Call || e instanceof Expr.NewRecord
        || e instanceof Expr.Pop) {
      return true;
    }
    boolean[] found = {false};
    mapChildren(e, c -> {
      found[0] |= readsMemory(c);
      return c;
    });
    return found[0];
  }

  /** {@code e} with every read of {@code v} replaced by {@code by}. */
  public static Expr replace(Expr e, Var v, Expr by) {
    if (e instanceof Expr.Ref) return ((Expr.Ref) e).var() == v ? by : e;
    return mapChildren(e, c -> replace(c, v, by));
  }

  /**
   * {@code e} with each direct operand replaced by {@code f(operand)}, applied in Java's
   * evaluation order (left to right), so that {@code f} may emit statements as it goes.
   */
  public static Expr mapChildren(Expr e, java.util.function.UnaryOperator<Expr> f) {
    if (e instanceof Expr.Unary) {
      Expr.Unary u = (Expr.Unary) e;
      return new Expr.Unary(u.op(), f.apply(u.operand()), u.type());
    }
    if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      Expr left = f.apply(b.left());
      return new Expr.Binary(b.op(), left, f.apply(b.right()), b.type());
    }
    if (e instanceof Expr.Cast) return new Expr.Cast(e.type(), f.apply(((Expr.Cast) e).operand()));
    if (e instanceof Expr.ArrayLoad) {
      Expr.ArrayLoad a = (Expr.ArrayLoad) e;
      Expr array = f.apply(a.array());
      return new Expr.ArrayLoad(array, f.apply(a.index()));
    }
    if (e instanceof Expr.ArrayLength) {
      return new Expr.ArrayLength(f.apply(((Expr.ArrayLength) e).array()));
    }
    if (e instanceof Expr.NewArray) {
      Expr.NewArray n = (Expr.NewArray) e;
      return new Expr.NewArray(n.type(), f.apply(n.length()));
    }
    if (e instanceof Expr.CloneArray) {
      return new Expr.CloneArray(f.apply(((Expr.CloneArray) e).array()));
    }
    if (e instanceof Expr.Call) {
      Expr.Call c = (Expr.Call) e;
      return new Expr.Call(c.method(), mapAll(c.args(), f), c.site());
    }
    if (e instanceof Expr.NewRecord) {
      Expr.NewRecord n = (Expr.NewRecord) e;
      return new Expr.NewRecord(n.type(), mapAll(n.args(), f));
    }
    if (e instanceof Expr.Get) {
      Expr.Get g = (Expr.Get) e;
      return new Expr.Get(f.apply(g.record()), g.component());
    }
    if (e instanceof Expr.Field) {
      Expr.Field x = (Expr.Field) e;
      return new Expr.Field(f.apply(x.object()), x.name(), x.type());
    }
    if (e instanceof Expr.ArrayLiteral) {
      Expr.ArrayLiteral a = (Expr.ArrayLiteral) e;
      return new Expr.ArrayLiteral(a.type(), mapAll(a.elements(), f));
    }
    return e;
  }

  private static java.util.List<Expr> mapAll(java.util.List<Expr> es,
      java.util.function.UnaryOperator<Expr> f) {
    java.util.List<Expr> out = new java.util.ArrayList<>();
    for (Expr x : es) out.add(f.apply(x));
    return out;
  }

  /** Whether {@code e} is the literal null (for a tensor adjoint or tangent: zero). */
  public static boolean isNull(Expr e) {
    return e instanceof Expr.Const && ((Expr.Const) e).value() == null
        && !e.type().isPrimitive();
  }
}
