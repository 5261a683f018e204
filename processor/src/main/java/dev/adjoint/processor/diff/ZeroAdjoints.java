package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Var;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The test that guards a loop's reversal, {@code Loops.nonZero(distBar) | ...}: the reversal is
 * skipped when every adjoint flowing into it is zero, since all it would add is zero (see
 * {@link ReverseAnalysis#incomingAdjoints}). A zero adjoint need not have a zero tangent, so
 * forward mode over such code ({@code fHvp}) tests the adjoints' tangents too.
 */
final class ZeroAdjoints {
  private static final String LOOPS = "dev.adjoint.ad.Loops";
  private static final String NON_ZERO = "nonZero";

  private ZeroAdjoints() {}

  /** Whether any of the adjoints {@code bars} is nonzero. */
  static Expr anyNonZero(Derivatives lib, List<Var> bars) {
    Expr test = null;
    for (Var b : bars) test = or(test, nonZero(lib, Expr.ref(b)));
    return test;
  }

  /**
   * {@code cond} with every test of an adjoint widened to its tangent as well; {@code tangent}
   * gives an adjoint's tangent, or null where it has none.
   */
  static Expr withTangents(Expr cond, Derivatives lib, UnaryOperator<Expr> tangent) {
    if (isTest(cond)) {
      Expr t = tangent.apply(((Expr.Call) cond).args().get(0));
      return t == null ? cond : or(cond, nonZero(lib, t));
    }
    if (cond instanceof Expr.Binary && ((Expr.Binary) cond).op() == Expr.BinOp.OR) {
      Expr.Binary b = (Expr.Binary) cond;
      Expr l = withTangents(b.left(), lib, tangent);
      Expr r = withTangents(b.right(), lib, tangent);
      return new Expr.Binary(Expr.BinOp.OR, l, r, IrType.BOOLEAN);
    }
    return cond;
  }

  /** Whether {@code cond} holds a test of an adjoint (which vector mode does not widen). */
  static boolean hasTest(Expr cond) {
    if (isTest(cond)) return true;
    return cond instanceof Expr.Binary && ((Expr.Binary) cond).op() == Expr.BinOp.OR
        && (hasTest(((Expr.Binary) cond).left()) || hasTest(((Expr.Binary) cond).right()));
  }

  private static boolean isTest(Expr e) {
    return dev.adjoint.processor.ir.Exprs.isCallTo(e, LOOPS, NON_ZERO);
  }

  private static Expr nonZero(Derivatives lib, Expr adjoint) {
    return new Expr.Call(lib.library(LOOPS, NON_ZERO, List.of(adjoint.type())), List.of(adjoint));
  }

  private static Expr or(Expr a, Expr b) {
    return a == null ? b : new Expr.Binary(Expr.BinOp.OR, a, b, IrType.BOOLEAN);
  }
}
