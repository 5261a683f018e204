package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Var;
import java.util.HashMap;
import java.util.Map;

/**
 * What forward mode knows, within a run of straight-line statements, about the values it has
 * just computed: a tangent that is better read as its expression ({@code aDot} as
 * {@code -xDot}, or a temporary's tangent read once), and a primal variable that is a constant
 * times a product of others ({@code t = 100 * b}, {@code p = x * y}), which {@link LinearForm}
 * uses to add related terms. A fact is dropped as soon as a statement writes something it
 * reads; nothing crosses a branch or a loop boundary.
 */
final class TangentFacts {
  private final Map<Var, Expr> tangents = new HashMap<>();
  private final Map<Var, LinearForm.Monomial> products = new HashMap<>();

  /** The expression {@code tangent} (a tangent variable) may be read as here, or null. */
  Expr tangent(Var tangent) {
    return tangents.get(tangent);
  }

  LinearForm.Monomial product(Var v) {
    return products.get(v);
  }

  /** {@code tangent} holds {@code value} until something {@code value} reads changes. */
  void setTangent(Var tangent, Expr value) {
    if (value != null && !Exprs.hasEffects(value)) tangents.put(tangent, value);
  }

  /**
   * Records {@code v = value} when it is a constant times a product of variables:
   * {@code 100 * b}, {@code -a}, {@code x * y}, or a copy.
   */
  void assigned(Var v, Expr value) {
    if (!v.type().isFloating() || !v.type().isPrimitive()) return;
    LinearForm.Monomial m = LinearForm.product(value, v, products::get);
    if (m != null && m.scale() != 0 && Double.isFinite(m.scale())) products.put(v, m);
  }

  /**
   * Forgets what {@code s}, about to run, makes untrue: facts reading the variable it writes,
   * facts reading memory when it stores or calls, everything at a branch or a loop. The
   * tangent {@code s} writes is forgotten by {@link #after}: the tangent code of {@code s}
   * still reads its old value.
   */
  void before(Stmt s, Map<Var, Var> tangentOf) {
    if (s instanceof Stmt.If || s instanceof Stmt.Loop || s instanceof Stmt.Repeat) {
      clear();
      return;
    }
    boolean memory = s instanceof Stmt.Store
        || Stmts.exprs(s).stream().anyMatch(Exprs::hasEffects);
    Var w = s instanceof Stmt.Assign ? ((Stmt.Assign) s).target() : null;
    if (w != null) {
      tangents.keySet().remove(tangentOf.get(w));
      products.keySet().remove(w);
      products.values().removeIf(x -> x.bases().contains(w));
    }
    if (w != null || memory) {
      tangents.values().removeIf(e -> reads(e, w) || memory && Exprs.readsMemory(e));
    }
  }

  /** Forgets the facts that read the old value of the tangent {@code s} has just written. */
  void after(Stmt s, Map<Var, Var> tangentOf) {
    Var w = s instanceof Stmt.Assign ? ((Stmt.Assign) s).target() : null;
    Var wDot = w == null ? null : tangentOf.get(w);
    if (wDot != null) tangents.values().removeIf(e -> reads(e, wDot));
  }

  void clear() {
    tangents.clear();
    products.clear();
  }

  private static boolean reads(Expr e, Var w) {
    if (w == null) return false;
    boolean[] found = {false};
    Exprs.visitRefs(e, r -> found[0] |= r == w);
    return found[0];
  }
}
