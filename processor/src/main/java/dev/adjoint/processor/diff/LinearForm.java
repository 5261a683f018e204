package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Simplifies a scalar tangent, which is linear in the tangents it reads: it is rewritten as a
 * sum of terms {@code c * f1 * ... * fk * dt} (a constant, primal factors, one tangent), terms
 * along the same tangent whose factors are equal, or known products of the same variables
 * ({@code t = 100 * b}, {@code s = x * x}), are added into one, and terms whose constants agree share one multiplication. The product rule on
 * {@code t * b} gives {@code 100 * bDot * b + t * bDot}; this makes it {@code 2.0 * t * bDot}.
 *
 * <p>The rewrite reassociates floating-point sums, as any simplifier of derivative code does;
 * a tangent it cannot read as linear (a call, a division by a tangent) is left as it is.
 */
final class LinearForm {
  /**
   * A primal variable known to equal {@code scale} times the product of {@code bases}
   * ({@code t = 100 * b}, {@code p = x * y}).
   */
  record Monomial(double scale, List<Var> bases) {}

  /** {@code coefficient * factors... * tangent}. */
  private record Term(double coefficient, List<Expr> factors, Expr tangent) {
    Term times(double c) {
      return new Term(coefficient * c, factors, tangent);
    }
  }

  private final Predicate<Var> isTangent;
  private final Function<Var, Monomial> known;

  private LinearForm(Predicate<Var> isTangent, Function<Var, Monomial> known) {
    this.isTangent = isTangent;
    this.known = known;
  }

  /**
   * {@code tangent} simplified. {@code isTangent} tells tangent variables from primal ones;
   * {@code known} gives what is known of a primal variable's value here (or null).
   */
  static Expr simplify(Expr tangent, Predicate<Var> isTangent, Function<Var, Monomial> known) {
    if (tangent == null || !tangent.type().isFloating() || !tangent.type().isPrimitive()
        || Exprs.hasEffects(tangent)) {
      return tangent;
    }
    return new LinearForm(isTangent, known).rewrite(tangent);
  }

  private Expr rewrite(Expr e) {
    List<Term> terms = terms(e);
    if (terms == null) return e;
    List<Term> merged = merge(terms);
    for (Term t : merged) {
      if (!Double.isFinite(t.coefficient())) return e; // no constant worth writing out
    }
    if (merged.isEmpty()) return Alg.zero(e.type());
    Expr simplified = build(merged, e.type());
    // distributing products over sums can cost more than it saves: keep the cheaper form
    return cost(simplified) <= cost(e) ? simplified : e;
  }

  /** The arithmetic operations {@code e} performs. */
  private static int cost(Expr e) {
    int[] n = {e instanceof Expr.Binary || e instanceof Expr.Unary ? 1 : 0};
    Exprs.mapChildren(e, c -> {
      n[0] += cost(c);
      return c;
    });
    return n[0];
  }

  private boolean mentionsTangent(Expr e) {
    boolean[] found = {false};
    Exprs.visitRefs(e, v -> found[0] |= isTangent.test(v));
    return found[0];
  }

  /** The terms of a tangent expression, or null when it is not a linear form of tangents. */
  private List<Term> terms(Expr e) {
    if (!mentionsTangent(e)) return null; // an affine part: not a tangent
    if (e instanceof Expr.Unary && ((Expr.Unary) e).op() == Expr.UnOp.NEG) {
      List<Term> inner = terms(((Expr.Unary) e).operand());
      if (inner == null) return null;
      List<Term> out = new ArrayList<>();
      for (Term t : inner) out.add(t.times(-1));
      return out;
    }
    if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      switch (b.op()) {
        case ADD:
        case SUB: {
          List<Term> left = terms(b.left());
          List<Term> right = terms(b.right());
          if (left == null || right == null) return null;
          List<Term> out = new ArrayList<>(left);
          for (Term t : right) out.add(b.op() == Expr.BinOp.SUB ? t.times(-1) : t);
          return out;
        }
        case MUL: {
          boolean l = mentionsTangent(b.left());
          boolean r = mentionsTangent(b.right());
          if (l == r) return null; // a product of two tangents is not linear
          List<Term> inner = terms(l ? b.left() : b.right());
          if (inner == null) return null;
          Term monomial = monomial(l ? b.right() : b.left());
          List<Term> out = new ArrayList<>();
          for (Term t : inner) {
            List<Expr> factors = new ArrayList<>(monomial.factors());
            factors.addAll(t.factors());
            out.add(new Term(t.coefficient() * monomial.coefficient(), factors, t.tangent()));
          }
          return out;
        }
        case DIV:
          if (mentionsTangent(b.right())) return null;
          // the quotient stays one tangent, its numerator simplified
          return single(new Expr.Binary(Expr.BinOp.DIV, rewrite(b.left()), b.right(), b.type()));
        default:
          return null;
      }
    }
    if (e instanceof Expr.Cast) {
      return single(new Expr.Cast(e.type(), rewrite(((Expr.Cast) e).operand())));
    }
    return single(e); // a tangent variable, or an element of an array of tangents
  }

  private static List<Term> single(Expr tangent) {
    List<Term> out = new ArrayList<>();
    out.add(new Term(1, List.of(), tangent));
    return out;
  }

  /**
   * What {@code e} (a primal value assigned to {@code v}) is known to be as a constant times a
   * product of floating variables other than {@code v}, each written as the product
   * {@code known} says it is; null when it is not one.
   */
  static Monomial product(Expr e, Var v, Function<Var, Monomial> known) {
    Term m = monomial(e);
    Expr sign = e;
    while (sign instanceof Expr.Unary && ((Expr.Unary) sign).op() == Expr.UnOp.NEG) {
      sign = ((Expr.Unary) sign).operand();
    }
    // a constant (-3.0) is a product of no variables; a product of constants is not recorded
    if (m.factors().isEmpty() && !(sign instanceof Expr.Const)) return null;
    double scale = m.coefficient();
    List<Var> bases = new ArrayList<>();
    for (Expr f : m.factors()) {
      Var x = Exprs.varOf(f);
      if (x == null || x == v || !x.type().isFloating()) return null;
      Monomial p = known.apply(x);
      if (p == null) {
        bases.add(x);
      } else {
        scale *= p.scale();
        bases.addAll(p.bases());
      }
    }
    return new Monomial(scale, bases);
  }

  /** A primal expression as {@code coefficient * factors}; its tangent slot unused. */
  private static Term monomial(Expr e) {
    if (e instanceof Expr.Const && ((Expr.Const) e).value() instanceof Number) {
      return new Term(((Number) ((Expr.Const) e).value()).doubleValue(), List.of(), null);
    }
    if (e instanceof Expr.Unary && ((Expr.Unary) e).op() == Expr.UnOp.NEG
        && ((Expr.Unary) e).operand().type().isFloating()) {
      return monomial(((Expr.Unary) e).operand()).times(-1);
    }
    if (e instanceof Expr.Binary && ((Expr.Binary) e).op() == Expr.BinOp.MUL
        && e.type().isFloating()) {
      Term a = monomial(((Expr.Binary) e).left());
      Term b = monomial(((Expr.Binary) e).right());
      List<Expr> factors = new ArrayList<>(a.factors());
      factors.addAll(b.factors());
      return new Term(a.coefficient() * b.coefficient(), factors, null);
    }
    return new Term(1, List.of(e), null);
  }

  /**
   * Terms along one tangent whose factors, each written as the product it is known to be, are
   * equal up to a constant become one term.
   */
  private List<Term> merge(List<Term> terms) {
    Map<String, List<Term>> groups = new LinkedHashMap<>();
    Map<String, Double> sums = new LinkedHashMap<>();
    for (Term t : terms) {
      double[] multiplier = {1};
      List<String> key = new ArrayList<>();
      for (Expr f : t.factors()) baseKeys(f, multiplier, key);
      key.sort(null);
      String k = t.tangent() + " | " + key;
      groups.computeIfAbsent(k, x -> new ArrayList<>()).add(t);
      sums.merge(k, t.coefficient() * multiplier[0], Double::sum);
    }
    List<Term> out = new ArrayList<>();
    for (Map.Entry<String, List<Term>> g : groups.entrySet()) {
      double total = sums.get(g.getKey());
      if (total == 0) continue; // the terms cancel
      List<Term> members = g.getValue();
      if (members.size() == 1) {
        out.add(members.get(0));
        continue;
      }
      // written with the factors of the member with the fewest, then the smallest constant
      Term best = null;
      double bestCoefficient = 0;
      for (Term m : members) {
        double[] multiplier = {1};
        for (Expr f : m.factors()) baseKeys(f, multiplier, new ArrayList<>());
        double c = total / multiplier[0];
        boolean better = best == null || m.factors().size() < best.factors().size()
            || m.factors().size() == best.factors().size()
            && Math.abs(c) < Math.abs(bestCoefficient);
        if (better) {
          best = m;
          bestCoefficient = c;
        }
      }
      out.add(new Term(bestCoefficient, best.factors(), best.tangent()));
    }
    return out;
  }

  /**
   * Adds a factor's keys to {@code keys}: the variables of the product it is known to be, or
   * itself; the product's constant goes into {@code m}.
   */
  private void baseKeys(Expr factor, double[] m, List<String> keys) {
    Var v = Exprs.varOf(factor);
    Monomial p = v == null ? null : known.apply(v);
    if (p == null) {
      keys.add(v != null ? v.name() : factor.toString());
      return;
    }
    m[0] *= p.scale();
    for (Var b : p.bases()) keys.add(b.name());
  }

  /** An expression, or (negated) the negation of the one meant. */
  private record Signed(Expr e, boolean negated) {}

  /**
   * The sum of the terms: a primal factor common to several terms is taken out
   * ({@code p * (a * xDot + b * yDot)}), and terms with the same constant (up to sign) share one
   * multiplication ({@code 2.0 * (t * bDot - a * xDot)}).
   */
  private static Expr build(List<Term> terms, IrType type) {
    Term first = terms.get(0);
    if (terms.size() > 2 && first.coefficient() == 1 && first.factors().isEmpty()) {
      // an accumulator first (sDot + ...): one addition on its chain, as in s += ...
      return Alg.add(first.tangent(), build(terms.subList(1, terms.size()), type));
    }
    Signed s = sum(terms, type);
    if (!s.negated()) return s.e();
    Double c = Alg.leadingConstant(s.e());
    if (c != null) {
      // -(2.0 * a * xDot) is written -2.0 * a * xDot
      return Alg.withLeadingConstant(s.e(), Alg.constant(-c, type));
    }
    return Alg.neg(s.e());
  }

  private static Signed sum(List<Term> terms, IrType type) {
    Map<Expr, Integer> factors = new LinkedHashMap<>();
    Map<Expr, Integer> tangents = new LinkedHashMap<>();
    for (Term t : terms) {
      for (Expr f : new java.util.LinkedHashSet<>(t.factors())) factors.merge(f, 1, Integer::sum);
      if (t.tangent() != null) tangents.merge(t.tangent(), 1, Integer::sum);
    }
    Map.Entry<Expr, Integer> factor = most(factors);
    Map.Entry<Expr, Integer> tangent = most(tangents);
    if (tangent != null && (factor == null || tangent.getValue() >= factor.getValue())) {
      // a tangent several terms share: (a - p * b) * xDot, its primal coefficient summed once
      return takeOut(terms, type, tangent.getKey(), true);
    }
    if (factor != null) return takeOut(terms, type, factor.getKey(), false);
    return byConstant(terms, type);
  }

  /** The entry with the largest count above one (the first of equals), or null. */
  private static Map.Entry<Expr, Integer> most(Map<Expr, Integer> counts) {
    Map.Entry<Expr, Integer> best = null;
    for (Map.Entry<Expr, Integer> c : counts.entrySet()) {
      if (c.getValue() > 1 && (best == null || c.getValue() > best.getValue())) best = c;
    }
    return best;
  }

  /** {@code common * (the terms holding it, without it) + (the others)}. */
  private static Signed takeOut(List<Term> terms, IrType type, Expr common, boolean isTangent) {
    List<Term> with = new ArrayList<>();
    List<Term> without = new ArrayList<>();
    boolean firstHolds = false;
    for (Term t : terms) {
      boolean holds;
      if (isTangent) {
        holds = common.equals(t.tangent());
        if (holds) with.add(new Term(t.coefficient(), t.factors(), null));
      } else {
        int at = t.factors().indexOf(common);
        holds = at >= 0;
        if (holds) {
          List<Expr> rest = new ArrayList<>(t.factors());
          rest.remove(at);
          with.add(new Term(t.coefficient(), rest, t.tangent()));
        }
      }
      if (!holds) without.add(t);
      if (t == terms.get(0)) firstHolds = holds;
    }
    Signed inner = sum(with, type);
    Signed product = new Signed(isTangent ? Alg.mul(inner.e(), common)
        : Alg.mul(common, inner.e()), inner.negated());
    if (without.isEmpty()) return product;
    Signed rest = sum(without, type);
    return firstHolds ? plus(product, rest) : plus(rest, product);
  }

  private static Signed plus(Signed a, Signed b) {
    if (a.negated() && b.negated()) return new Signed(Alg.add(a.e(), b.e()), true);
    if (a.negated()) return new Signed(Alg.sub(b.e(), a.e()), false);
    if (b.negated()) return new Signed(Alg.sub(a.e(), b.e()), false);
    return new Signed(Alg.add(a.e(), b.e()), false);
  }

  /** Terms without a common factor, those with equal constants (up to sign) grouped. */
  private static Signed byConstant(List<Term> terms, IrType type) {
    Map<Double, List<Term>> byMagnitude = new LinkedHashMap<>();
    for (Term t : terms) {
      byMagnitude.computeIfAbsent(Math.abs(t.coefficient()), x -> new ArrayList<>()).add(t);
    }
    List<Expr> positive = new ArrayList<>();
    List<Expr> negative = new ArrayList<>();
    for (Map.Entry<Double, List<Term>> g : byMagnitude.entrySet()) {
      double magnitude = g.getKey();
      List<Term> members = g.getValue();
      if (members.size() == 1 || magnitude == 1) {
        for (Term t : members) {
          Expr product = product(Math.abs(t.coefficient()), t, type);
          (t.coefficient() > 0 ? positive : negative).add(product);
        }
        continue;
      }
      List<Expr> plus = new ArrayList<>();
      List<Expr> minus = new ArrayList<>();
      for (Term t : members) (t.coefficient() > 0 ? plus : minus).add(product(1, t, type));
      boolean flip = plus.isEmpty();
      Expr sum = flip ? signedSum(minus, List.of()) : signedSum(plus, minus);
      Expr scaledSum = Alg.mul(Alg.constant(magnitude, type), sum);
      (flip ? negative : positive).add(scaledSum);
    }
    if (positive.isEmpty()) return new Signed(signedSum(negative, List.of()), true);
    return new Signed(signedSum(positive, negative), false);
  }

  private static Expr signedSum(List<Expr> plus, List<Expr> minus) {
    Expr sum = null;
    for (Expr p : plus) sum = sum == null ? p : Alg.add(sum, p);
    for (Expr m : minus) sum = Alg.sub(sum, m);
    return sum;
  }

  /**
   * {@code c * factors * tangent}, evaluated in floating point from the left (an integer
   * factor comes after the tangent, so that no product of integers can overflow).
   */
  private static Expr product(double c, Term t, IrType type) {
    boolean integral = false;
    for (Expr f : t.factors()) integral |= !f.type().isFloating();
    Expr p = c == 1 && !(t.tangent() == null && (integral || t.factors().isEmpty())) ? null
        : Alg.constant(c, type);
    if (integral && t.tangent() != null) p = p == null ? t.tangent() : Alg.mul(p, t.tangent());
    for (Expr f : t.factors()) p = p == null ? f : Alg.mul(p, f);
    if (!integral && t.tangent() != null) p = p == null ? t.tangent() : Alg.mul(p, t.tangent());
    return p;
  }
}
