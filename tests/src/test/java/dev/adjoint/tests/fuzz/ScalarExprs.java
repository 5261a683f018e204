package dev.adjoint.tests.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random expressions over a {@link Scope}: reals with a bound on their magnitude (so that
 * {@code exp}, powers and products stay tame), non-negative ints with a largest value (so that
 * every index is in range), and conditions. Math functions are used on their smooth domains
 * ({@code log(1 + e*e)}, {@code sqrt(1 + e*e)}, {@code asin(0.9 * tanh(e))}); kinks that remain
 * ({@code abs}, {@code max}, branches) are found by the checker, which skips points near them.
 */
final class ScalarExprs {
  /** The largest magnitude of any real variable. */
  static final double CAP = 8;

  /** The longest array of any program: loops over an array of unknown length run at most this. */
  static final int MAX_LENGTH = 4;

  /** One generated real expression and a bound on its magnitude. */
  record Gen(Expr expr, double bound) {}

  private final Random rnd;
  private final Catalog catalog;
  /** Helpers the method being generated may call (those generated before it). */
  List<Catalog.Helper> callable = new ArrayList<>();
  /** Whether the method may call generated derivatives of helpers. */
  boolean derivativeCalls;

  ScalarExprs(Random rnd, Catalog catalog) {
    this.rnd = rnd;
    this.catalog = catalog;
  }

  // ---- reals -------------------------------------------------------------------------------

  /** A real expression whose magnitude is at most {@code target}. */
  Expr real(Scope s, double target, int depth) {
    return fit(gen(s, target, depth), target);
  }

  /** Scales an expression down to a bound. */
  Expr fit(Gen g, double target) {
    if (g.bound() <= target) return g.expr();
    if (rnd.nextInt(4) == 0) {
      return mul(lit(roundDown(target)), new Expr.MathFn("tanh", List.of(g.expr())));
    }
    return mul(lit(roundDown(target / g.bound())), g.expr());
  }

  Gen gen(Scope s, double target, int depth) {
    if (depth <= 0 || rnd.nextInt(10) < 2) return leaf(s, target);
    int pick = rnd.nextInt(100);
    if (pick < 18) {
      Gen a = gen(s, target / 2, depth - 1);
      Gen b = gen(s, target / 2, depth - 1);
      return new Gen(new Expr.Binary(rnd.nextBoolean() ? "+" : "-", a.expr(), b.expr()),
          a.bound() + b.bound());
    }
    if (pick < 32) {
      double ta = 1 + rnd.nextDouble() * Math.max(0, Math.sqrt(Math.max(target, 1)) - 1);
      Gen a = gen(s, ta, depth - 1);
      Gen b = gen(s, Math.max(target, 1) / ta, depth - 1);
      return new Gen(mul(a.expr(), b.expr()), a.bound() * b.bound());
    }
    if (pick < 36) {
      Scope.Var k = pickInt(s);
      if (k != null && k.bound >= 1) {
        Gen a = gen(s, target / k.bound, depth - 1);
        Expr ki = rnd.nextBoolean() ? k.ref() : new Expr.Cast(Type.REAL, k.ref());
        return new Gen(mul(a.expr(), ki), a.bound() * k.bound);
      }
    }
    if (pick < 42) return divide(s, target, depth);
    if (pick < 44) {
      Gen a = gen(s, target, depth - 1);
      return new Gen(new Expr.Unary("-", a.expr()), a.bound());
    }
    if (pick < 72) return math(s, target, depth);
    if (pick < 78) {
      Expr c = bool(s, depth - 1);
      Gen a = gen(s, target, depth - 1);
      Gen b = gen(s, target, depth - 1);
      return new Gen(new Expr.Cond(c, a.expr(), b.expr()), Math.max(a.bound(), b.bound()));
    }
    if (pick < 92) {
      Gen call = call(s, depth);
      if (call != null) return call;
    }
    if (pick < 96 && derivativeCalls) {
      Gen d = derivativeCall(s, depth);
      if (d != null) return d;
    }
    return leaf(s, target);
  }

  private Gen divide(Scope s, double target, int depth) {
    Gen a = gen(s, target, depth - 1);
    switch (rnd.nextInt(3)) {
      case 0: {
        double c = 1.5 + rnd.nextInt(6) * 0.5;
        return new Gen(new Expr.Binary("/", a.expr(), lit(c)), a.bound() / c);
      }
      case 1: {
        Expr f = real(s, 3, depth - 1);
        return new Gen(new Expr.Binary("/", a.expr(), new Expr.Binary("+", lit(1), mul(f, f))),
            a.bound());
      }
      default: {
        Expr f = real(s, 4, depth - 1);
        return new Gen(new Expr.Binary("/", a.expr(),
            new Expr.Binary("+", lit(2), fn("sin", f))), a.bound());
      }
    }
  }

  private Gen math(Scope s, double target, int depth) {
    double t = Math.max(target, 1);
    switch (rnd.nextInt(24)) {
      case 0:
      case 1:
        return new Gen(fn(pickOf("sin", "cos"), real(s, 4, depth - 1)), 1);
      case 2:
      case 3:
        return new Gen(fn(pickOf("tanh", "atan"), real(s, 4, depth - 1)), 1.6);
      case 4: {
        Gen a = gen(s, Math.min(3, Math.log(t)), depth - 1);
        double b = Math.min(a.bound(), Math.min(3, Math.log(t)));
        return new Gen(fn(pickOf("exp", "expm1"), fit(a, b)), Math.exp(b));
      }
      case 5: {
        Expr a = real(s, 4, depth - 1);
        String f = pickOf("log", "log1p");
        Expr arg = f.equals("log") ? new Expr.Binary("+", lit(1), mul(a, a)) : mul(a, a);
        return new Gen(fn(f, arg), Math.log(17));
      }
      case 6: {
        double b = Math.sqrt(Math.max(t * t - 1, 0.25));
        Expr a = real(s, b, depth - 1);
        return new Gen(fn("sqrt", new Expr.Binary("+", lit(1), mul(a, a))), Math.sqrt(1 + b * b));
      }
      case 7: {
        Expr a = real(s, 4, depth - 1);
        return new Gen(fn("cbrt", new Expr.Binary("+", lit(1), mul(a, a))), 3);
      }
      case 8: {
        int k = rnd.nextInt(4);
        double b = k == 0 ? 4 : Math.min(4, Math.pow(t, 1.0 / k));
        Gen a = gen(s, b, depth - 1);
        double ab = Math.min(a.bound(), b);
        Expr exponent = rnd.nextBoolean() ? new Expr.Int(k) : lit(k);
        return new Gen(new Expr.MathFn("pow", List.of(fit(a, ab), exponent)),
            k == 0 ? 1 : Math.pow(ab, k));
      }
      case 9: {
        double r = pickOf(0.5, 1.5, -0.5, 0.25, 2.5, -1.5);
        Expr a = real(s, 2, depth - 1);
        Expr base = new Expr.Binary("+", lit(1), mul(a, a));
        return new Gen(new Expr.MathFn("pow", List.of(base, lit(r))),
            r > 0 ? Math.pow(5, r) : 1);
      }
      case 10: {
        Expr a = real(s, 2, depth - 1);
        Expr base = new Expr.Binary("+", lit(1.5), fn("sin", a));
        Gen e = gen(s, 2, depth - 1);
        double eb = Math.min(2, e.bound());
        return new Gen(new Expr.MathFn("pow", List.of(base, fit(e, eb))), Math.pow(2.5, eb));
      }
      case 11: {
        double b = Math.min(3, asinh(t));
        Gen a = gen(s, b, depth - 1);
        double ab = Math.min(b, a.bound());
        return new Gen(fn(pickOf("sinh", "cosh"), fit(a, ab)), Math.cosh(ab));
      }
      case 12:
      case 13: {
        Gen a = gen(s, target, depth - 1);
        return new Gen(fn("abs", a.expr()), a.bound());
      }
      case 14:
      case 15: {
        Gen a = gen(s, target, depth - 1);
        Gen b = gen(s, target, depth - 1);
        return new Gen(new Expr.MathFn(pickOf("max", "min"), List.of(a.expr(), b.expr())),
            Math.max(a.bound(), b.bound()));
      }
      case 16: {
        // hypot is not differentiable where both are 0 (and 0 * NaN is NaN, as in PyTorch):
        // keep the second argument away from 0
        Gen a = gen(s, target / 2, depth - 1);
        Expr b = real(s, 1.5, depth - 1);
        return new Gen(new Expr.MathFn("hypot", List.of(a.expr(),
            new Expr.Binary("+", lit(0.5), mul(b, b)))), a.bound() + 3);
      }
      case 17: {
        Expr a = real(s, 4, depth - 1);
        Expr b = real(s, 2, depth - 1);
        return new Gen(new Expr.MathFn("atan2",
            List.of(a, new Expr.Binary("+", lit(1.5), mul(b, b)))), 1.6);
      }
      case 18: {
        Expr a = real(s, 4, depth - 1);
        return new Gen(fn(pickOf("asin", "acos"), mul(lit(0.9), fn("tanh", a))), 3.2);
      }
      case 19: {
        Gen a = gen(s, Math.max(target - 1, 0.5), depth - 1);
        return new Gen(fn(pickOf("floor", "ceil", "rint"), a.expr()), a.bound() + 1);
      }
      case 20: {
        Gen a = gen(s, target * 40, depth - 1);
        return new Gen(fn("toRadians", a.expr()), a.bound() * Math.PI / 180);
      }
      case 21: {
        double ta = Math.sqrt(t / 2);
        Gen a = gen(s, ta, depth - 1);
        Gen b = gen(s, ta, depth - 1);
        Gen c = gen(s, t / 2, depth - 1);
        return new Gen(new Expr.MathFn("fma", List.of(a.expr(), b.expr(), c.expr())),
            a.bound() * b.bound() + c.bound());
      }
      case 22: {
        Gen a = gen(s, target, depth - 1);
        return new Gen(fn("signum", a.expr()), 1);
      }
      default: {
        Expr a = real(s, 4, depth - 1);
        return new Gen(fn("exp", new Expr.Unary("-", mul(a, a))), 1);
      }
    }
  }

  Gen leaf(Scope s, double target) {
    List<Expr> options = new ArrayList<>();
    List<Double> bounds = new ArrayList<>();
    for (Scope.Var v : s.visible()) {
      switch (v.type.kind()) {
        case REAL -> {
          options.add(v.ref());
          bounds.add(v.bound);
          options.add(v.ref());
          bounds.add(v.bound);
        }
        case REAL_ARRAY -> {
          options.add(new Expr.Index(v.ref(), index(s, v)));
          bounds.add(v.bound);
        }
        case RECORD -> {
          Catalog.RecordShape r = catalog.record(v.type.name());
          Gen g = component(s, v.ref(), r);
          if (g != null) {
            options.add(g.expr());
            bounds.add(g.bound());
          }
        }
        case INT -> {
          if (rnd.nextInt(3) == 0) {
            options.add(new Expr.Cast(Type.REAL, v.ref()));
            bounds.add(v.bound);
          }
        }
        default -> { }
      }
    }
    if (options.isEmpty() || rnd.nextInt(8) == 0) {
      double c = Math.round((rnd.nextDouble() * 4 - 2) * 100) / 100.0;
      return new Gen(lit(c), Math.abs(c));
    }
    int i = rnd.nextInt(options.size());
    return new Gen(options.get(i), bounds.get(i));
  }

  /** A real component of a record value (also through a nested record or its array). */
  Gen component(Scope s, Expr target, Catalog.RecordShape r) {
    List<Catalog.Component> comps = new ArrayList<>();
    for (Catalog.Component c : r.components()) {
      Type.Kind k = c.type().kind();
      if (k == Type.Kind.REAL || k == Type.Kind.REAL_ARRAY || k == Type.Kind.RECORD) comps.add(c);
    }
    if (comps.isEmpty()) return null;
    Catalog.Component c = comps.get(rnd.nextInt(comps.size()));
    Expr access = new Expr.Access(target, c.name());
    return switch (c.type().kind()) {
      case REAL -> new Gen(access, c.bound());
      case REAL_ARRAY -> new Gen(new Expr.Index(access, index(s, c.length())), c.bound());
      default -> component(s, access, catalog.record(c.type().name()));
    };
  }

  // ---- calls -------------------------------------------------------------------------------

  private Gen call(Scope s, int depth) {
    List<Catalog.Helper> usable = new ArrayList<>();
    for (Catalog.Helper h : callable) {
      if (argumentsAvailable(s, h)) usable.add(h);
    }
    List<Scope.Var> withMethod = new ArrayList<>();
    for (Scope.Var v : s.visible(Type.Kind.RECORD)) {
      if (catalog.record(v.type.name()).method() != null) withMethod.add(v);
    }
    if (!withMethod.isEmpty() && (usable.isEmpty() || rnd.nextInt(4) == 0)) {
      Scope.Var r = withMethod.get(rnd.nextInt(withMethod.size()));
      Expr x = real(s, Catalog.PARAM_BOUND, depth - 1);
      return new Gen(new Expr.Invoke(r.ref(), catalog.record(r.type.name()).method(), List.of(x)),
          CAP);
    }
    if (usable.isEmpty()) return null;
    Catalog.Helper h = usable.get(rnd.nextInt(usable.size()));
    Expr call = new Expr.Call(Expr.Owner.SELF, h.name(), arguments(s, h, depth));
    return switch (h.shape()) {
      case ARRAY_RESULT -> {
        Scope.Var arr = null;
        List<Expr> args = ((Expr.Call) call).args();
        for (Scope.Var v : s.visible(Type.Kind.REAL_ARRAY)) {
          if (args.get(0).equals(v.ref())) arr = v;
        }
        Expr at = arr == null || arr.length < 0
            ? new Expr.Int(0) : index(s, arr.length);
        yield new Gen(new Expr.Index(call, at), h.resultBound());
      }
      case RECORD_RESULT -> {
        Gen g = component(s, call, catalog.record(h.recordType()));
        yield g == null ? null : g;
      }
      default -> new Gen(call, h.resultBound());
    };
  }

  boolean argumentsAvailable(Scope s, Catalog.Helper h) {
    for (Program.Param p : h.params()) {
      if (p.type().kind() == Type.Kind.REAL_ARRAY && s.visible(Type.Kind.REAL_ARRAY).isEmpty()) {
        return false;
      }
      if (p.type().kind() == Type.Kind.RECORD && records(s, p.type().name()).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  List<Scope.Var> records(Scope s, String type) {
    List<Scope.Var> out = new ArrayList<>();
    for (Scope.Var v : s.visible(Type.Kind.RECORD)) {
      if (v.type.name().equals(type)) out.add(v);
    }
    return out;
  }

  /** Arguments for a call of {@code h}, within the bounds its body assumes. */
  List<Expr> arguments(Scope s, Catalog.Helper h, int depth) {
    List<Expr> args = new ArrayList<>();
    for (Program.Param p : h.params()) {
      switch (p.type().kind()) {
        case REAL -> args.add(real(s, Catalog.PARAM_BOUND, depth - 1));
        case INT -> args.add(h.shape() == Catalog.Shape.RECURSIVE
            ? intExpr(s, 3, depth - 1) : intExpr(s, 5, depth - 1));
        case REAL_ARRAY -> {
          List<Scope.Var> arrays = s.visible(Type.Kind.REAL_ARRAY);
          args.add(arrays.get(rnd.nextInt(arrays.size())).ref());
        }
        case RECORD -> {
          List<Scope.Var> rs = records(s, p.type().name());
          args.add(rs.get(rnd.nextInt(rs.size())).ref());
        }
        default -> throw new IllegalStateException(p.toString());
      }
    }
    return args;
  }

  /**
   * {@code tanh(D.hGrad(...))} or the tangent of {@code D.hJvp(...)}: a derivative of a helper
   * inside differentiated code (second order and up). Squashed: derivatives have no bound.
   */
  private Gen derivativeCall(Scope s, int depth) {
    List<Catalog.Helper> hs = new ArrayList<>();
    for (Catalog.Helper h : callable) {
      if (h.derivativesCallable()) hs.add(h);
    }
    if (hs.isEmpty()) return null;
    Catalog.Helper h = hs.get(rnd.nextInt(hs.size()));
    List<Expr> args = arguments(s, h, depth);
    Expr d;
    if (rnd.nextBoolean()) {
      d = new Expr.Call(Expr.Owner.DERIVATIVES, h.name() + "Grad", args);
      if (h.realParams() > 1) {
        List<Program.Param> reals = new ArrayList<>();
        for (Program.Param p : h.params()) {
          if (p.type().isReal()) reals.add(p);
        }
        d = new Expr.Access(d, reals.get(rnd.nextInt(reals.size())).name());
      }
    } else {
      List<Expr> all = new ArrayList<>(args);
      for (Program.Param p : h.params()) {
        if (p.type().isReal()) all.add(lit(Math.round((rnd.nextDouble() * 2 - 1) * 10) / 10.0));
      }
      d = new Expr.Access(new Expr.Call(Expr.Owner.DERIVATIVES, h.name() + "Jvp", all),
          "tangent");
    }
    return new Gen(fn(pickOf("tanh", "atan", "sin"), d), 1.6);
  }

  // ---- ints and conditions -----------------------------------------------------------------

  /** An index into an array of {@code length} elements. */
  Expr index(Scope s, int length) {
    return intExpr(s, length - 1, 0);
  }

  /** An index into an array variable; of a parameter of unknown length: modulo its length. */
  Expr index(Scope s, Scope.Var array) {
    if (array.length > 0) return index(s, array.length);
    return new Expr.Binary("%", intExpr(s, 7, 0), new Expr.Length(array.ref()));
  }

  /** A non-negative int expression whose value is at most {@code max}. */
  Expr intExpr(Scope s, int max, int depth) {
    if (max <= 0) return new Expr.Int(0);
    List<Scope.Var> ints = s.visible(Type.Kind.INT);
    int pick = rnd.nextInt(10);
    if (pick < 3 || (ints.isEmpty() && pick < 7)) return new Expr.Int(rnd.nextInt(max + 1));
    if (pick < 7 && !ints.isEmpty()) {
      Scope.Var v = ints.get(rnd.nextInt(ints.size()));
      Expr e = v.ref();
      double b = v.bound;
      if (rnd.nextInt(3) == 0) {
        int c = 1 + rnd.nextInt(2);
        e = new Expr.Binary("+", e, new Expr.Int(c));
        b += c;
      }
      return b <= max ? e : new Expr.Binary("%", e, new Expr.Int(max + 1));
    }
    if (pick < 8) {
      List<Scope.Var> idx = s.visible(Type.Kind.INT_ARRAY);
      if (!idx.isEmpty()) {
        Scope.Var a = idx.get(rnd.nextInt(idx.size()));
        Expr e = new Expr.Index(a.ref(), index(s, a));
        return a.bound <= max ? e : new Expr.Binary("%", e, new Expr.Int(max + 1));
      }
    }
    if (pick < 9 && depth > 0) {
      // data-dependent: (int) |e * c|, wrapped into range
      Expr r = real(s, 4, depth - 1);
      Expr cast = new Expr.Cast(Type.INT, fn("abs", mul(r, lit(1.5))));
      return new Expr.Binary("%", cast, new Expr.Int(max + 1));
    }
    List<Scope.Var> arrays = s.visible(Type.Kind.REAL_ARRAY);
    if (!arrays.isEmpty()) {
      Scope.Var a = arrays.get(rnd.nextInt(arrays.size()));
      Expr len = new Expr.Binary("-", new Expr.Length(a.ref()), new Expr.Int(1));
      int longest = a.length > 0 ? a.length : MAX_LENGTH;
      return longest - 1 <= max ? len : new Expr.Binary("%", len, new Expr.Int(max + 1));
    }
    return new Expr.Int(rnd.nextInt(max + 1));
  }

  Scope.Var pickInt(Scope s) {
    List<Scope.Var> ints = s.visible(Type.Kind.INT);
    return ints.isEmpty() ? null : ints.get(rnd.nextInt(ints.size()));
  }

  Expr bool(Scope s, int depth) {
    int pick = rnd.nextInt(10);
    if (pick < 5 || depth <= 0) {
      Expr a = real(s, CAP, depth - 1);
      Expr b = rnd.nextBoolean() ? real(s, CAP, depth - 1)
          : lit(Math.round((rnd.nextDouble() * 2 - 1) * 100) / 100.0);
      return new Expr.Binary(pickOf("<", ">", "<=", ">="), a, b);
    }
    if (pick < 7) {
      Expr k = intExpr(s, 6, depth - 1);
      return new Expr.Binary(pickOf("<", ">", "==", "!="), k, new Expr.Int(rnd.nextInt(4)));
    }
    if (pick < 9) {
      return new Expr.Binary(rnd.nextBoolean() ? "&&" : "||", bool(s, depth - 1),
          bool(s, depth - 1));
    }
    return new Expr.Unary("!", bool(s, depth - 1));
  }

  // ---- small builders ----------------------------------------------------------------------

  static Expr lit(double v) {
    return new Expr.Real(v);
  }

  static Expr mul(Expr a, Expr b) {
    return new Expr.Binary("*", a, b);
  }

  static Expr fn(String name, Expr arg) {
    return new Expr.MathFn(name, List.of(arg));
  }

  /** Two significant digits, rounded towards zero: a scale that keeps the bound. */
  static double roundDown(double v) {
    if (v <= 0) return 0;
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(2, java.math.RoundingMode.DOWN)).doubleValue();
  }

  private static double asinh(double x) {
    return Math.log(x + Math.sqrt(x * x + 1));
  }

  @SafeVarargs
  final <T> T pickOf(T... options) {
    return options[rnd.nextInt(options.length)];
  }
}
