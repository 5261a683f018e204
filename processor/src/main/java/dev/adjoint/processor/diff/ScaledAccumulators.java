package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.DeadCode;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A tangent summed in a loop with the same constant factor in every term, as the tangent of a
 * sum of squares is ({@code sDot += 2.0 * (r * rDot)}), is kept divided by that constant: the
 * loop adds {@code r * rDot} and the reads after it take {@code 2.0 * sDot}. One multiplication
 * leaves the loop. Only powers of two are moved, so the result is the same to the last bit.
 */
final class ScaledAccumulators {
  private ScaledAccumulators() {}

  /** One assignment to the accumulator: its constant factor and what remains of it. */
  private record Update(Expr.BinOp op, double constant, Expr rest) {}

  /**
   * {@code body} with each of {@code candidates} (scalar tangents) rescaled where it pays; dead
   * assignments (a tangent nothing reads) removed first, since their reads do not count.
   */
  static List<Stmt> apply(List<Stmt> body, Set<Var> candidates) {
    body = DeadCode.remove(body);
    for (Var s : candidates) {
      if (!s.type().isFloating() || !s.type().isPrimitive()) continue;
      Double scale = scale(body, s);
      if (scale != null) body = rewrite(body, s, scale, new boolean[] {false});
    }
    return body;
  }

  /** The factor to take out of every update of {@code s}, or null when that does not pay. */
  private static Double scale(List<Stmt> body, Var s) {
    double[] magnitude = {0};
    int[] updateDepth = {Integer.MAX_VALUE};
    int[] readDepth = {-1};
    boolean[] fails = {false};
    walk(body, 0, (st, depth) -> {
      if (st instanceof Stmt.Assign && ((Stmt.Assign) st).target() == s) {
        Stmt.Assign a = (Stmt.Assign) st;
        if (a.value() instanceof Expr.Const && ((Expr.Const) a.value()).isZero()) return;
        Update u = update(s, a.value());
        if (u == null || magnitude[0] != 0 && Math.abs(u.constant()) != magnitude[0]) {
          fails[0] = true;
          return;
        }
        magnitude[0] = Math.abs(u.constant());
        if (u.op() != null) updateDepth[0] = Math.min(updateDepth[0], depth);
        return;
      }
      for (Expr e : Stmts.exprs(st)) {
        boolean[] reads = {false};
        Exprs.visitRefs(e, r -> reads[0] |= r == s);
        if (reads[0]) readDepth[0] = Math.max(readDepth[0], depth);
      }
    });
    double m = magnitude[0];
    boolean powerOfTwo = m != 0 && m != 1 && Double.isFinite(m)
        && m == Math.scalb(1.0, Math.getExponent(m));
    if (fails[0] || !powerOfTwo || updateDepth[0] == Integer.MAX_VALUE || updateDepth[0] == 0
        || readDepth[0] >= updateDepth[0]) {
      return null;
    }
    return m;
  }

  /**
   * {@code s = s ± c * rest} (op ADD or SUB) or {@code s = c * rest} (op null), rest not reading
   * {@code s}; else null.
   */
  private static Update update(Var s, Expr value) {
    Expr.BinOp op = null;
    Expr scaled = value;
    if (value instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) value;
      if ((b.op() == Expr.BinOp.ADD || b.op() == Expr.BinOp.SUB)
          && Exprs.varOf(b.left()) == s) {
        op = b.op();
        scaled = b.right();
      }
    }
    Update split = split(scaled);
    if (split == null) return null;
    boolean[] reads = {false};
    Exprs.visitRefs(split.rest(), r -> reads[0] |= r == s);
    return reads[0] ? null : new Update(op, split.constant(), split.rest());
  }

  /** {@code c * a * b} as c and {@code a * b}; null without a leading constant. */
  private static Update split(Expr e) {
    Double c = Alg.leadingConstant(e);
    return c == null ? null : new Update(null, c, Alg.withLeadingConstant(e, null));
  }

  private static List<Stmt> rewrite(List<Stmt> stmts, Var s, double scale, boolean[] told) {
    Expr read = Alg.mul(Alg.constant(scale, s.type()), Expr.ref(s));
    List<Stmt> out = new ArrayList<>();
    for (Stmt st : stmts) {
      if (st instanceof Stmt.Assign && ((Stmt.Assign) st).target() == s && !told[0]) {
        told[0] = true; // said where it is first set, under that line's marker
        out.add(new Stmt.Comment(s.name() + " holds the tangent divided by " + scale
            + ": every term the loop adds has that factor", st.line()));
      }
      if (st instanceof Stmt.Assign && ((Stmt.Assign) st).target() == s
          && !(((Stmt.Assign) st).value() instanceof Expr.Const)) {
        Stmt.Assign a = (Stmt.Assign) st;
        Update u = update(s, a.value());
        boolean negative = u.constant() < 0;
        Expr value;
        if (u.op() == null) {
          value = negative ? Alg.neg(u.rest()) : u.rest();
        } else {
          boolean add = (u.op() == Expr.BinOp.ADD) != negative;
          value = add ? Alg.add(Expr.ref(s), u.rest()) : Alg.sub(Expr.ref(s), u.rest());
        }
        out.add(new Stmt.Assign(s, value, a.line()));
        continue;
      }
      Stmt replaced = Stmts.withExprs(st, e -> Exprs.replace(e, s, read));
      out.add(Stmts.withBlocks(replaced, b -> rewrite(b, s, scale, told)));
    }
    return out;
  }

  private interface Visitor {
    void visit(Stmt s, int loopDepth);
  }

  private static void walk(List<Stmt> stmts, int depth, Visitor v) {
    for (Stmt s : stmts) {
      v.visit(s, s instanceof Stmt.Loop ? depth + 1 : depth); // a condition runs every iteration
      boolean loop = s instanceof Stmt.Loop || s instanceof Stmt.Repeat;
      for (List<Stmt> b : Stmts.blocks(s)) walk(b, loop ? depth + 1 : depth, v);
    }
  }
}
