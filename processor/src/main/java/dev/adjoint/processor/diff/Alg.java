package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrType;

/**
 * Builds derivative expressions, dropping terms that are zero and factors that are one so that
 * generated code stays as short as a person would write it.
 */
final class Alg {
  private Alg() {}

  static boolean isZero(Expr e) {
    return e == null || e instanceof Expr.Const && ((Expr.Const) e).isZero();
  }

  static boolean isOne(Expr e) {
    return e instanceof Expr.Const && ((Expr.Const) e).value() instanceof Number
        && ((Number) ((Expr.Const) e).value()).doubleValue() == 1;
  }

  static IrType promote(IrType a, IrType b) {
    if (a.kind() == IrType.Kind.DOUBLE || b.kind() == IrType.Kind.DOUBLE) return IrType.DOUBLE;
    if (a.kind() == IrType.Kind.FLOAT || b.kind() == IrType.Kind.FLOAT) return IrType.FLOAT;
    if (a.kind() == IrType.Kind.LONG || b.kind() == IrType.Kind.LONG) return IrType.LONG;
    return IrType.INT;
  }

  /** The constant {@code c} in {@code type}'s floating type: float for float, else double. */
  static Expr constant(double c, IrType type) {
    return type.kind() == IrType.Kind.FLOAT ? new Expr.Const((float) c, type)
        : new Expr.Const(c, IrType.DOUBLE);
  }

  /** The floating constant a product starts with ({@code 2.0} in {@code 2.0 * a * x}), or null. */
  static Double leadingConstant(Expr e) {
    if (!(e instanceof Expr.Binary) || ((Expr.Binary) e).op() != Expr.BinOp.MUL) return null;
    Expr left = ((Expr.Binary) e).left();
    if (left instanceof Expr.Const && ((Expr.Const) left).value() instanceof Number
        && left.type().isFloating()) {
      return ((Number) ((Expr.Const) left).value()).doubleValue();
    }
    return leadingConstant(left);
  }

  /**
   * A product with a {@link #leadingConstant} with that constant replaced by {@code c}, or
   * dropped when {@code c} is null ({@code 2.0 * a * x} is {@code a * x}).
   */
  static Expr withLeadingConstant(Expr e, Expr c) {
    Expr.Binary b = (Expr.Binary) e;
    if (b.left() instanceof Expr.Const) return c == null ? b.right() : mul(c, b.right());
    return mul(withLeadingConstant(b.left(), c), b.right());
  }

  /** The constant 2 in a floating type. */
  static Expr two(IrType t) {
    return t.kind() == IrType.Kind.FLOAT ? new Expr.Const(2.0f, t) : new Expr.Const(2.0, IrType.DOUBLE);
  }

  static Expr add(Expr a, Expr b) {
    if (isZero(a)) return b;
    if (isZero(b)) return a;
    if (b instanceof Expr.Unary && ((Expr.Unary) b).op() == Expr.UnOp.NEG) {
      return sub(a, ((Expr.Unary) b).operand());
    }
    return new Expr.Binary(Expr.BinOp.ADD, a, b, promote(a.type(), b.type()));
  }

  static Expr sub(Expr a, Expr b) {
    if (isZero(b)) return a;
    if (isZero(a)) return neg(b);
    return new Expr.Binary(Expr.BinOp.SUB, a, b, promote(a.type(), b.type()));
  }

  static Expr mul(Expr a, Expr b) {
    if (isZero(a) || isZero(b)) return null;
    if (isOne(a) && b.type().isFloating()) return b;
    if (isOne(b) && a.type().isFloating()) return a;
    return new Expr.Binary(Expr.BinOp.MUL, a, b, promote(a.type(), b.type()));
  }

  static Expr div(Expr a, Expr b) {
    if (isZero(a)) return null;
    return new Expr.Binary(Expr.BinOp.DIV, a, b, promote(a.type(), b.type()));
  }

  static Expr neg(Expr a) {
    if (isZero(a)) return null;
    if (a instanceof Expr.Unary && ((Expr.Unary) a).op() == Expr.UnOp.NEG) {
      return ((Expr.Unary) a).operand();
    }
    return new Expr.Unary(Expr.UnOp.NEG, a, a.type());
  }

  /** A zero of a scalar type, or null (no contribution) for other types. */
  static Expr zero(IrType t) {
    return t.isPrimitive() ? Expr.Const.zero(t) : new Expr.Const(null, t);
  }

  /** The value zero of the same shape as {@code value}: 0, a zero array, a zero record. */
  static Expr zeroLike(Expr value) {
    IrType t = value.type();
    if (t.isPrimitive()) return Expr.Const.zero(t);
    if (dev.adjoint.processor.ir.Exprs.isNull(value)) return value; // no array yet: no zeros
    if (t.isArray()) return new Expr.NewArray(t, new Expr.ArrayLength(value));
    if (t.isRecord()) {
      java.util.List<Expr> args = new java.util.ArrayList<>();
      for (IrType.Component c : t.components()) {
        Expr get = new Expr.Get(value, c.name());
        args.add(c.type().isDifferentiable() ? zeroLike(get) : get);
      }
      return new Expr.NewRecord(t, args);
    }
    return new Expr.Const(null, t);
  }

  /** Casts a tangent or adjoint to the type it must have, when it is narrower. */
  static Expr as(IrType type, Expr e) {
    if (e == null || e.type().equals(type) || !type.isPrimitive()) return e;
    if (e instanceof Expr.Const && ((Expr.Const) e).value() instanceof Number) {
      Number n = (Number) ((Expr.Const) e).value();
      if (type.kind() == IrType.Kind.FLOAT) return new Expr.Const(n.floatValue(), type);
      if (type.kind() == IrType.Kind.DOUBLE) return new Expr.Const(n.doubleValue(), type);
    }
    return new Expr.Cast(type, e);
  }
}
