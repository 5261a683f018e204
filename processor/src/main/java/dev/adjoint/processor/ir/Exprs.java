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
    } else if (e instanceof Expr.Pop) {
      visitor.accept(((Expr.Pop) e).tape());
    }
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
}
