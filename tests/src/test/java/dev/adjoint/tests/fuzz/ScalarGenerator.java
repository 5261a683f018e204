package dev.adjoint.tests.fuzz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Generates a random scalar program from a seed: records (nested, with an array, carried int and
 * String components, an instance method), helpers of several shapes (scalars and ints, an array
 * with an offset, an array result, a record argument, a record result, bounded recursion), an
 * entry method {@code f} whose body uses every statement kind, and wrappers {@code d1} of the
 * same signature that take {@code f}'s gradient or JVP, so that their derivatives are of second
 * and third order. The same seed always gives the same program.
 */
final class ScalarGenerator {
  /** A loop around the code being generated; {@code trips} is its largest trip count. */
  private record Loop(String label, int trips) {}

  private final Random rnd;
  private final Catalog catalog = new Catalog();
  private final ScalarExprs ex;
  private final List<Program.Method> methods = new ArrayList<>();
  private final List<Program.RecordDecl> records = new ArrayList<>();
  private final Deque<Loop> loops = new ArrayDeque<>();
  private int names;
  private int budget;
  /** Depth of expressions, chosen per program (1 to 3). */
  private final int depth;
  private int switches;
  /** What a return in the method being generated returns. */
  private Type resultType;
  private double resultBound;
  private Scope.Var resultArray;

  /** How big programs are: small ones compile fast enough for the unit tests. */
  enum Size {
    SMALL(2, 3, 8, 2),
    NORMAL(3, 6, 14, 3);

    final int helpers;
    final int minBody;
    final int bodySpread;
    final int depth;

    Size(int helpers, int minBody, int bodySpread, int depth) {
      this.helpers = helpers;
      this.minBody = minBody;
      this.bodySpread = bodySpread;
      this.depth = depth;
    }
  }

  private final Size size;

  private ScalarGenerator(long seed, Size size) {
    this.rnd = new Random(seed);
    this.ex = new ScalarExprs(rnd, catalog);
    this.size = size;
    this.depth = 1 + rnd.nextInt(size.depth);
  }

  /** The program of {@code seed}, as class {@code name}. */
  static Program generate(long seed, String name, Size size) {
    return new ScalarGenerator(seed, size).program(name);
  }

  private Program program(String name) {
    if (rnd.nextInt(100) < 55) records();
    int helpers = rnd.nextInt(size.helpers + 1);
    for (int i = 0; i < helpers; i++) helper("h" + i);
    List<ArgSpec> args = new ArrayList<>();
    List<Program.Param> params = entryParams(args);
    ex.callable = new ArrayList<>(catalog.helpers);
    boolean inner = rnd.nextInt(100) < 30;
    ex.derivativeCalls = inner;
    Program.Method f = method("f", Type.REAL, params, args,
        size.minBody + rnd.nextInt(size.bodySpread), 3);
    ex.derivativeCalls = false;
    methods.add(f);
    List<String> checked = new ArrayList<>(List.of("f"));
    if (rnd.nextInt(100) < (inner ? 35 : 75)) {
      methods.add(new Wrappers(rnd, catalog).wrapper("d1", "f", params, args));
      checked.add("d1");
    }
    return new Program(name, records, methods, "f", checked, args);
  }

  // ---- records -----------------------------------------------------------------------------

  private void records() {
    List<Program.Param> comps = new ArrayList<>();
    List<Catalog.Component> shape = new ArrayList<>();
    component(comps, shape, Type.REAL, "a", 0);
    component(comps, shape, Type.REAL, "b", 0);
    component(comps, shape, Type.INT, "k", 0);
    if (rnd.nextInt(10) < 3) component(comps, shape, Type.STRING, "tag", 0);
    boolean withMethod = rnd.nextBoolean();
    // while m is generated it must not call itself on a record it makes: no method yet
    catalog.records.add(new Catalog.RecordShape("R0", shape, null));
    List<Program.Method> ms = new ArrayList<>();
    if (withMethod) {
      Scope s = new Scope(null);
      s.add(new Scope.Var("a", Type.REAL, 2, 0, false));
      s.add(new Scope.Var("b", Type.REAL, 2, 0, false));
      s.add(new Scope.Var("k", Type.INT, 3, 0, false));
      Scope.Var x = s.add(new Scope.Var("x", Type.REAL, Catalog.PARAM_BOUND, 0, true));
      x.assigned = Catalog.PARAM_BOUND;
      ms.add(body("m", Type.REAL, List.of(Program.Param.of(Type.REAL, "x")), s, 3, 1));
      catalog.records.set(0, new Catalog.RecordShape("R0", shape, "m"));
    }
    records.add(new Program.RecordDecl("R0", comps, ms));
    if (rnd.nextInt(10) < 4) {
      List<Program.Param> c1 = new ArrayList<>();
      List<Catalog.Component> s1 = new ArrayList<>();
      component(c1, s1, Type.record("R0"), "in", 0);
      component(c1, s1, Type.REAL_ARRAY, "w", 2 + rnd.nextInt(2));
      component(c1, s1, Type.REAL, "c", 0);
      catalog.records.add(new Catalog.RecordShape("R1", s1, null));
      records.add(new Program.RecordDecl("R1", c1, List.of()));
    }
  }

  private static void component(List<Program.Param> comps, List<Catalog.Component> shape,
      Type type, String name, int length) {
    comps.add(Program.Param.of(type, name));
    shape.add(new Catalog.Component(name, type, length, type.kind() == Type.Kind.INT ? 3 : 2));
  }

  // ---- helpers -----------------------------------------------------------------------------

  private void helper(String name) {
    ex.callable = new ArrayList<>(catalog.helpers);
    List<Catalog.Shape> shapes = new ArrayList<>(List.of(Catalog.Shape.SCALAR,
        Catalog.Shape.SCALAR, Catalog.Shape.ARRAY_OFFSET, Catalog.Shape.ARRAY_RESULT,
        Catalog.Shape.RECURSIVE));
    if (!catalog.records.isEmpty()) {
      shapes.add(Catalog.Shape.RECORD_ARG);
      shapes.add(Catalog.Shape.RECORD_RESULT);
    }
    Catalog.Shape shape = shapes.get(rnd.nextInt(shapes.size()));
    List<Program.Param> params = new ArrayList<>();
    double pb = Catalog.PARAM_BOUND;
    Scope s = new Scope(null);
    Type result = Type.REAL;
    String recordType = null;
    switch (shape) {
      case SCALAR -> {
        int reals = 1 + rnd.nextInt(3);
        for (int i = 0; i < reals; i++) param(params, s, Type.REAL, "x" + i, pb, 0);
        if (rnd.nextInt(3) == 0) param(params, s, Type.INT, "n", 5, 0);
      }
      case ARRAY_OFFSET -> {
        param(params, s, Type.REAL_ARRAY, "p", ScalarExprs.CAP, -1);
        param(params, s, Type.INT, "off", 5, 0);
        param(params, s, Type.REAL, "y", pb, 0);
      }
      case ARRAY_RESULT -> {
        param(params, s, Type.REAL_ARRAY, "p", ScalarExprs.CAP, -1);
        param(params, s, Type.REAL, "c", pb, 0);
        result = Type.REAL_ARRAY;
      }
      case RECORD_ARG -> {
        param(params, s, Type.record("R0"), "r", 0, 0);
        param(params, s, Type.REAL, "x", pb, 0);
      }
      case RECORD_RESULT -> {
        param(params, s, Type.REAL, "x", pb, 0);
        param(params, s, Type.REAL, "y", pb, 0);
        result = Type.record("R0");
        recordType = "R0";
      }
      case RECURSIVE -> {
        param(params, s, Type.REAL, "x", pb, 0);
        param(params, s, Type.INT, "depth", 3, 0);
      }
    }
    Program.Method m = shape == Catalog.Shape.RECURSIVE
        ? recursive(name, params, s)
        : body(name, result, params, s, 2 + rnd.nextInt(size.minBody + 1), 2);
    methods.add(m);
    catalog.helpers.add(new Catalog.Helper(name, shape, params, ScalarExprs.CAP, recordType));
  }

  private static void param(List<Program.Param> params, Scope s, Type type, String name,
      double bound, int length) {
    params.add(Program.Param.of(type, name));
    Scope.Var v = new Scope.Var(name, type, bound, length, type.isReal());
    v.assigned = bound;
    s.add(v);
  }

  /** {@code if (depth <= 0) return base; ...; return 0.5 * h(x', depth - 1) + e;} */
  private Program.Method recursive(String name, List<Program.Param> params, Scope s) {
    resultType = Type.REAL;
    resultBound = ScalarExprs.CAP;
    List<Stmt> body = new ArrayList<>();
    Expr depthParam = new Expr.Name("depth");
    body.add(new Stmt.If(new Expr.Binary("<=", depthParam, new Expr.Int(0)),
        block(new Stmt.Return(ex.real(s, resultBound, depth))), null));
    budget = 2 + rnd.nextInt(3);
    body.addAll(statements(s, 1, Integer.MAX_VALUE));
    Expr again = new Expr.Call(Expr.Owner.SELF, name, List.of(
        ex.real(s, Catalog.PARAM_BOUND, 2), new Expr.Binary("-", depthParam, new Expr.Int(1))));
    String r = fresh("r");
    body.add(new Stmt.Decl(Type.REAL, r, again));
    Scope.Var rv = s.add(new Scope.Var(r, Type.REAL, resultBound, 0, false));
    rv.assigned = resultBound;
    Expr rest = ex.real(s, resultBound / 2, depth);
    body.add(new Stmt.Return(new Expr.Binary("+",
        ScalarExprs.mul(ScalarExprs.lit(0.5), new Expr.Name(r)), rest)));
    return new Program.Method(name, Type.REAL, params, new Stmt.Block(body), true);
  }

  // ---- the entry ---------------------------------------------------------------------------

  private List<Program.Param> entryParams(List<ArgSpec> args) {
    List<Program.Param> params = new ArrayList<>();
    int reals = rnd.nextInt(3) + (rnd.nextInt(3) == 0 ? 0 : 1);
    for (int i = 0; i < reals; i++) {
      params.add(Program.Param.of(Type.REAL, "x" + i));
      args.add(new ArgSpec.Real(null));
    }
    int arrays = rnd.nextInt(3);
    for (int i = 0; i < arrays; i++) {
      params.add(Program.Param.of(Type.REAL_ARRAY, "a" + i));
      args.add(new ArgSpec.RealArray(2 + rnd.nextInt(3), null));
    }
    if (!catalog.records.isEmpty() && (rnd.nextBoolean() || params.isEmpty())) {
      Catalog.RecordShape r = catalog.records.get(rnd.nextInt(catalog.records.size()));
      params.add(Program.Param.of(Type.record(r.name()), "r"));
      args.add(recordArg(r));
    }
    if (params.isEmpty()) {
      params.add(Program.Param.of(Type.REAL, "x0"));
      args.add(new ArgSpec.Real(null));
    }
    if (rnd.nextInt(10) < 3) {
      params.add(Program.Param.of(Type.INT, "n"));
      args.add(new ArgSpec.IntVal(1 + rnd.nextInt(4)));
    }
    if (rnd.nextInt(10) < 2) {
      params.add(Program.Param.of(Type.INT_ARRAY, "idx"));
      int[] v = new int[3];
      for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(2);
      args.add(new ArgSpec.IntArray(v));
    }
    if (rnd.nextInt(10) < 2) {
      params.add(new Program.Param(Type.REAL_ARRAY, "data", true));
      double[] v = new double[3];
      for (int i = 0; i < v.length; i++) v[i] = Math.round((rnd.nextDouble() * 2 - 1) * 100) / 100.0;
      args.add(new ArgSpec.RealArray(3, v));
    }
    return params;
  }

  private ArgSpec recordArg(Catalog.RecordShape r) {
    List<ArgSpec> comps = new ArrayList<>();
    for (Catalog.Component c : r.components()) {
      switch (c.type().kind()) {
        case REAL -> comps.add(new ArgSpec.Real(null));
        case INT -> comps.add(new ArgSpec.IntVal(rnd.nextInt(4)));
        case STRING -> comps.add(new ArgSpec.Str("t" + rnd.nextInt(10)));
        case REAL_ARRAY -> comps.add(new ArgSpec.RealArray(c.length(), null));
        case RECORD -> comps.add(recordArg(catalog.record(c.type().name())));
        default -> throw new IllegalStateException(c.toString());
      }
    }
    return new ArgSpec.Rec(r.name(), comps);
  }

  private Program.Method method(String name, Type result, List<Program.Param> params,
      List<ArgSpec> args, int size, int nest) {
    Scope s = new Scope(null);
    for (int i = 0; i < params.size(); i++) {
      Program.Param p = params.get(i);
      ArgSpec arg = args.get(i);
      int length = 0;
      double bound = 1;
      if (arg instanceof ArgSpec.IntVal iv) bound = iv.value();
      if (arg instanceof ArgSpec.IntArray ia) {
        bound = 1;
        length = ia.values().length;
      }
      if (arg instanceof ArgSpec.RealArray ra) length = ra.length();
      Scope.Var v = new Scope.Var(p.name(), p.type(), bound, length,
          p.type().isReal());
      v.assigned = bound;
      s.add(v);
    }
    return body(name, result, params, s, size, nest);
  }

  // ---- bodies ------------------------------------------------------------------------------

  private Program.Method body(String name, Type result, List<Program.Param> params, Scope s,
      int size, int nest) {
    resultType = result;
    resultBound = ScalarExprs.CAP;
    resultArray = null;
    budget = size;
    loops.clear();
    List<Stmt> stmts = new ArrayList<>();
    if (result.kind() == Type.Kind.REAL_ARRAY) {
      // double[] out = new double[p.length]; for (...) out[i] = ...;
      String out = fresh("out");
      Scope.Var p = s.visible(Type.Kind.REAL_ARRAY).get(0);
      stmts.add(new Stmt.Decl(Type.REAL_ARRAY, out,
          new Expr.NewArray(Type.REAL_ARRAY, new Expr.Length(p.ref()))));
      resultArray = s.add(new Scope.Var(out, Type.REAL_ARRAY, ScalarExprs.CAP, -1, true));
      String i = fresh("i");
      Scope inner = s.child();
      inner.add(new Scope.Var(i, Type.INT, ScalarExprs.MAX_LENGTH - 1, 0, false));
      Expr value = ex.real(inner, ScalarExprs.CAP / 2, depth);
      resultArray.assigned = ScalarExprs.CAP / 2;
      stmts.add(new Stmt.For(null, new Stmt.Decl(Type.INT, i, new Expr.Int(0)),
          new Expr.Binary("<", new Expr.Name(i), new Expr.Length(p.ref())),
          new Stmt.Eval(new Expr.PostStep(i, "++")),
          block(new Stmt.Assign(new Expr.Index(new Expr.Name(out), new Expr.Name(i)), "=",
              value))));
    }
    stmts.addAll(statements(s, nest, Integer.MAX_VALUE));
    stmts.add(finalReturn(s));
    return new Program.Method(name, result, params, new Stmt.Block(stmts), true);
  }

  private Stmt finalReturn(Scope s) {
    if (resultType.kind() == Type.Kind.REAL_ARRAY) return new Stmt.Return(resultArray.ref());
    if (resultType.kind() == Type.Kind.RECORD) return new Stmt.Return(newRecord(s, "R0", 2));
    // combine several variables so that the result depends on much of the body
    Expr sum = ex.real(s, 2, 2);
    List<Scope.Var> reals = new ArrayList<>();
    for (Scope.Var v : s.visible()) {
      if (v.type.isReal() || v.type.kind() == Type.Kind.REAL_ARRAY
          || v.type.kind() == Type.Kind.RECORD) reals.add(v);
    }
    int terms = Math.min(reals.size(), 1 + rnd.nextInt(4));
    for (int t = 0; t < terms; t++) {
      Scope.Var v = reals.get(reals.size() - 1 - rnd.nextInt(Math.min(reals.size(), 4)));
      Expr e = switch (v.type.kind()) {
        case REAL -> v.ref();
        case REAL_ARRAY -> new Expr.Index(v.ref(), ex.index(s, v));
        default -> {
          ScalarExprs.Gen g = ex.component(s, v.ref(), catalog.record(v.type.name()));
          yield g == null ? ScalarExprs.lit(1) : g.expr();
        }
      };
      sum = new Expr.Binary("+", sum, e);
    }
    return new Stmt.Return(sum);
  }

  private List<Stmt> statements(Scope s, int nest) {
    return statements(s, nest, 1 + rnd.nextInt(4));
  }

  private List<Stmt> statements(Scope s, int nest, int n) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < n && budget > 0; i++) {
      budget--;
      Stmt st = statement(s, nest);
      if (st == null) continue;
      if (st instanceof Stmt.Block b && b.stmts().size() > 0 && isSplice(b)) {
        out.addAll(b.stmts());
      } else {
        out.add(st);
      }
    }
    return out;
  }

  /** Blocks returned only to carry two statements (a counter and its loop) are spliced. */
  private final List<Stmt.Block> splices = new ArrayList<>();

  private boolean isSplice(Stmt.Block b) {
    for (Stmt.Block x : splices) {
      if (x == b) return true;
    }
    return false;
  }

  private Stmt splice(Stmt... stmts) {
    Stmt.Block b = new Stmt.Block(List.of(stmts));
    splices.add(b);
    return b;
  }

  private int multiplier() {
    int m = 1;
    for (Loop l : loops) m *= l.trips;
    return m;
  }

  private Stmt statement(Scope s, int nest) {
    for (int attempt = 0; attempt < 8; attempt++) {
      int pick = rnd.nextInt(100);
      Stmt st = null;
      if (pick < 13) st = declReal(s);
      else if (pick < 20) st = assignReal(s);
      else if (pick < 30) st = accumulate(s);
      else if (pick < 33) st = scale(s);
      else if (pick < 42 && nest > 0) st = ifElse(s, nest);
      else if (pick < 55 && nest > 0) st = loop(s, nest);
      else if (pick < 61) st = jump(s);
      else if (pick < 64) st = earlyReturn(s);
      else if (pick < 70) st = declArray(s);
      else if (pick < 77) st = writeArray(s);
      else if (pick < 80) st = fillOrCopy(s);
      else if (pick < 84) st = declInt(s);
      else if (pick < 88) st = stepInt(s);
      else if (pick < 90) st = intArray(s);
      else if (pick < 94) st = declRecord(s);
      else if (pick < 96) st = arrayFromHelper(s);
      else if (pick < 98 && nest > 0) st = switchStmt(s, nest);
      else if (nest > 0) st = new Stmt.Block(statements(s.child(), nest - 1));
      if (st != null) return st;
    }
    return null;
  }

  private Stmt declReal(Scope s) {
    ScalarExprs.Gen g = ex.gen(s, ScalarExprs.CAP / 2, depth);
    double b = Math.min(g.bound(), ScalarExprs.CAP / 2);
    Expr init = ex.fit(g, b);
    String name = fresh("v");
    double bound = Math.min(ScalarExprs.CAP, b + 1 + rnd.nextDouble() * 4);
    Scope.Var v = s.add(new Scope.Var(name, Type.REAL, bound, 0, true));
    v.assigned = b;
    return new Stmt.Decl(rnd.nextInt(8) == 0 ? Type.INFERRED : Type.REAL, name, init);
  }

  private List<Scope.Var> writable(Scope s, Type.Kind kind) {
    List<Scope.Var> out = new ArrayList<>();
    for (Scope.Var v : s.visible(kind)) {
      if (v.writable) out.add(v);
    }
    return out;
  }

  private Stmt assignReal(Scope s) {
    List<Scope.Var> vs = writable(s, Type.Kind.REAL);
    if (vs.isEmpty()) return null;
    Scope.Var v = vs.get(rnd.nextInt(vs.size()));
    double room = v.bound - v.added;
    if (room < 0.05) return null;
    ScalarExprs.Gen g = ex.gen(s, room, depth);
    double b = Math.min(g.bound(), room);
    v.assigned = Math.max(v.assigned, b);
    return new Stmt.Assign(v.ref(), "=", ex.fit(g, b));
  }

  private Stmt accumulate(Scope s) {
    List<Scope.Var> vs = writable(s, Type.Kind.REAL);
    if (vs.isEmpty()) return null;
    Scope.Var v = vs.get(rnd.nextInt(vs.size()));
    double room = v.headroom() / multiplier();
    if (room < 0.05) return null;
    ScalarExprs.Gen g = ex.gen(s, room, depth);
    double b = Math.min(g.bound(), room);
    v.added += b * multiplier();
    return new Stmt.Assign(v.ref(), rnd.nextInt(4) == 0 ? "-=" : "+=", ex.fit(g, b));
  }

  /** {@code v *= e} with |e| <= 1: never grows. */
  private Stmt scale(Scope s) {
    List<Scope.Var> vs = writable(s, Type.Kind.REAL);
    if (vs.isEmpty()) return null;
    Scope.Var v = vs.get(rnd.nextInt(vs.size()));
    Expr a = ex.real(s, 3, 2);
    Expr factor = switch (rnd.nextInt(3)) {
      case 0 -> ScalarExprs.fn("cos", a);
      case 1 -> ScalarExprs.fn("tanh", a);
      default -> new Expr.Binary("+", ScalarExprs.lit(0.5),
          ScalarExprs.mul(ScalarExprs.lit(0.4), ScalarExprs.fn("sin", a)));
    };
    return new Stmt.Assign(v.ref(), "*=", factor);
  }

  private Stmt ifElse(Scope s, int nest) {
    Expr test = ex.bool(s, 2);
    Stmt.Block then = new Stmt.Block(statements(s.child(), nest - 1));
    Stmt.Block otherwise = rnd.nextBoolean() ? new Stmt.Block(statements(s.child(), nest - 1))
        : null;
    return new Stmt.If(test, then, otherwise);
  }

  private Stmt loop(Scope s, int nest) {
    int kind = rnd.nextInt(8);
    // trip count: constant, n, an array's length, or data-dependent
    int trips;
    Expr count;
    List<Scope.Var> arrays = s.visible(Type.Kind.REAL_ARRAY);
    List<Scope.Var> ns = new ArrayList<>();
    for (Scope.Var v : s.visible(Type.Kind.INT)) {
      if (v.name.equals("n")) ns.add(v);
    }
    int how = rnd.nextInt(10);
    if (how < 2 && !arrays.isEmpty()) {
      Scope.Var a = arrays.get(rnd.nextInt(arrays.size()));
      trips = a.length > 0 ? a.length : ScalarExprs.MAX_LENGTH;
      count = new Expr.Length(a.ref());
      if (kind == 6) kind = 0;
    } else if (how < 4 && !ns.isEmpty()) {
      trips = 4;
      count = ns.get(0).ref();
    } else if (how < 6) {
      Expr r = ex.real(s, 4, 1);
      count = new Expr.Binary("+", new Expr.Binary("%",
          new Expr.Cast(Type.INT, ScalarExprs.fn("abs", ScalarExprs.mul(r, ScalarExprs.lit(2)))),
          new Expr.Int(3)), new Expr.Int(1));
      trips = 3;
    } else {
      trips = 1 + rnd.nextInt(4);
      count = new Expr.Int(trips);
    }
    if (multiplier() * trips > 64) return null;
    String label = rnd.nextInt(4) == 0 ? fresh("L") : null;
    loops.push(new Loop(label, trips));
    try {
      Scope inner = s.child();
      switch (kind) {
        case 0, 1 -> {
          String i = fresh("i");
          inner.add(new Scope.Var(i, Type.INT, trips - 1, 0, false));
          Stmt.Block body = new Stmt.Block(statements(inner, nest - 1));
          return new Stmt.For(label, new Stmt.Decl(Type.INT, i, new Expr.Int(0)),
              new Expr.Binary("<", new Expr.Name(i), count),
              new Stmt.Eval(new Expr.PostStep(i, "++")), body);
        }
        case 2 -> {
          String i = fresh("i");
          inner.add(new Scope.Var(i, Type.INT, trips - 1, 0, false));
          Stmt.Block body = new Stmt.Block(statements(inner, nest - 1));
          return new Stmt.For(label,
              new Stmt.Decl(Type.INT, i, new Expr.Binary("-", count, new Expr.Int(1))),
              new Expr.Binary(">=", new Expr.Name(i), new Expr.Int(0)),
              new Stmt.Eval(new Expr.PostStep(i, "--")), body);
        }
        case 3 -> {
          String i = fresh("i");
          inner.add(new Scope.Var(i, Type.INT, trips - 1, 0, false));
          Stmt.Block body = new Stmt.Block(statements(inner, nest - 1));
          return new Stmt.For(label, new Stmt.Decl(Type.INT, i, new Expr.Int(0)),
              new Expr.Binary("<", new Expr.Name(i), count),
              new Stmt.Assign(new Expr.Name(i), "+=", new Expr.Int(2)), body);
        }
        case 4, 5 -> {
          // int k = 0; while (k < count [&& test]) { k++; ... }  or the do-while form
          String k = fresh("k");
          inner.add(new Scope.Var(k, Type.INT, trips, 0, false));
          List<Stmt> body = new ArrayList<>();
          body.add(new Stmt.Eval(new Expr.PostStep(k, "++")));
          body.addAll(statements(inner, nest - 1));
          Expr test = new Expr.Binary("<", new Expr.Name(k), count);
          if (rnd.nextInt(3) == 0) test = new Expr.Binary("&&", test, ex.bool(s, 1));
          Stmt decl = new Stmt.Decl(Type.INT, k, new Expr.Int(0));
          s.add(new Scope.Var(k, Type.INT, trips, 0, false));
          Stmt loop = kind == 4 ? new Stmt.While(label, test, new Stmt.Block(body))
              : new Stmt.DoWhile(label, new Stmt.Block(body), test);
          return splice(decl, loop);
        }
        case 7 -> {
          // a selection loop: v = Math.max(v, e), or min, v as either argument
          List<Scope.Var> vs = writable(s, Type.Kind.REAL);
          if (vs.isEmpty()) return null;
          Scope.Var v = vs.get(rnd.nextInt(vs.size()));
          double room = v.bound - v.added;
          if (room < 0.05) return null;
          String i = fresh("i");
          inner.add(new Scope.Var(i, Type.INT, trips - 1, 0, false));
          ScalarExprs.Gen g = ex.gen(inner, room, depth);
          double b = Math.min(g.bound(), room);
          v.assigned = Math.max(v.assigned, b);
          Expr e = ex.fit(g, b);
          List<Expr> args = rnd.nextBoolean() ? List.of(v.ref(), e) : List.of(e, v.ref());
          Stmt select = new Stmt.Assign(v.ref(), "=",
              new Expr.MathFn(rnd.nextBoolean() ? "max" : "min", args));
          return new Stmt.For(label, new Stmt.Decl(Type.INT, i, new Expr.Int(0)),
              new Expr.Binary("<", new Expr.Name(i), count),
              new Stmt.Eval(new Expr.PostStep(i, "++")), new Stmt.Block(List.of(select)));
        }
        default -> {
          if (arrays.isEmpty()) return null;
          Scope.Var a = arrays.get(rnd.nextInt(arrays.size()));
          loops.pop();
          int t = a.length > 0 ? a.length : ScalarExprs.MAX_LENGTH;
          if (multiplier() * t > 64) {
            loops.push(new Loop(label, trips));
            return null;
          }
          loops.push(new Loop(label, t));
          String v = fresh("e");
          Scope.Var ev = inner.add(new Scope.Var(v, Type.REAL, a.bound, 0, false));
          ev.assigned = a.bound;
          Stmt.Block body = new Stmt.Block(statements(inner, nest - 1));
          return new Stmt.ForEach(label, Type.REAL, v, a.ref(), body);
        }
      }
    } finally {
      loops.pop();
    }
  }

  private Stmt jump(Scope s) {
    if (loops.isEmpty()) return null;
    List<String> labels = new ArrayList<>();
    for (Loop l : loops) {
      if (l.label != null) labels.add(l.label);
    }
    String label = !labels.isEmpty() && rnd.nextBoolean()
        ? labels.get(rnd.nextInt(labels.size())) : null;
    Stmt jump = rnd.nextBoolean() ? new Stmt.Break(label) : new Stmt.Continue(label);
    if (switches > 0 && label == null && jump instanceof Stmt.Break) return null;
    return new Stmt.If(ex.bool(s, 2), block(jump), null);
  }

  private Stmt earlyReturn(Scope s) {
    Expr value = switch (resultType.kind()) {
      case REAL_ARRAY -> resultArray.ref();
      case RECORD -> newRecord(s, "R0", 2);
      default -> ex.real(s, resultBound, depth);
    };
    return new Stmt.If(ex.bool(s, 2), block(new Stmt.Return(value)), null);
  }

  private Stmt declArray(Scope s) {
    String name = fresh("w");
    int pick = rnd.nextInt(4);
    List<Scope.Var> arrays = s.visible(Type.Kind.REAL_ARRAY);
    if (pick == 0 && !arrays.isEmpty()) {
      Scope.Var src = arrays.get(rnd.nextInt(arrays.size()));
      double bound = Math.min(ScalarExprs.CAP, Math.max(src.bound * 2, 2));
      if (src.bound > bound) return null;
      Scope.Var v = s.add(new Scope.Var(name, Type.REAL_ARRAY, bound, src.length, true));
      v.assigned = src.bound;
      return new Stmt.Decl(Type.REAL_ARRAY, name, new Expr.Invoke(src.ref(), "clone", List.of()));
    }
    int length = 2 + rnd.nextInt(3);
    double bound = 1 + rnd.nextDouble() * (ScalarExprs.CAP - 1);
    Scope.Var v = new Scope.Var(name, Type.REAL_ARRAY, bound, length, true);
    Stmt decl;
    if (pick == 1) {
      List<Expr> elems = new ArrayList<>();
      for (int i = 0; i < length; i++) elems.add(ex.real(s, bound / 2, 2));
      decl = new Stmt.Decl(Type.REAL_ARRAY, name, new Expr.ArrayLit(Type.REAL_ARRAY, elems));
      v.assigned = bound / 2;
    } else {
      decl = new Stmt.Decl(Type.REAL_ARRAY, name,
          new Expr.NewArray(Type.REAL_ARRAY, new Expr.Int(length)));
    }
    s.add(v);
    return decl;
  }

  private Stmt writeArray(Scope s) {
    List<Scope.Var> vs = writable(s, Type.Kind.REAL_ARRAY);
    if (vs.isEmpty()) return null;
    Scope.Var v = vs.get(rnd.nextInt(vs.size()));
    Expr at = new Expr.Index(v.ref(), ex.index(s, v));
    if (rnd.nextBoolean()) {
      double room = v.bound - v.added;
      if (room < 0.05) return null;
      ScalarExprs.Gen g = ex.gen(s, room, depth);
      double b = Math.min(room, g.bound());
      v.assigned = Math.max(v.assigned, b);
      return new Stmt.Assign(at, "=", ex.fit(g, b));
    }
    double room = v.headroom() / multiplier();
    if (room < 0.05) return null;
    ScalarExprs.Gen g = ex.gen(s, room, depth);
    double b = Math.min(room, g.bound());
    v.added += b * multiplier();
    return new Stmt.Assign(at, "+=", ex.fit(g, b));
  }

  private Stmt fillOrCopy(Scope s) {
    List<Scope.Var> vs = writable(s, Type.Kind.REAL_ARRAY);
    if (vs.isEmpty()) return null;
    Scope.Var dst = vs.get(rnd.nextInt(vs.size()));
    double room = dst.bound - dst.added;
    if (rnd.nextBoolean()) {
      if (room < 0.05) return null;
      ScalarExprs.Gen g = ex.gen(s, room, 2);
      double b = Math.min(room, g.bound());
      dst.assigned = Math.max(dst.assigned, b);
      return new Stmt.Eval(new Expr.Call(Expr.Owner.of("Arrays"), "fill",
          List.of(dst.ref(), ex.fit(g, b))));
    }
    List<Scope.Var> srcs = new ArrayList<>();
    for (Scope.Var a : s.visible(Type.Kind.REAL_ARRAY)) {
      if (a.bound <= room && a.length > 0) srcs.add(a);
    }
    if (srcs.isEmpty() || dst.length <= 0) return null;
    Scope.Var src = srcs.get(rnd.nextInt(srcs.size()));
    int len = 1 + rnd.nextInt(Math.min(src.length, dst.length));
    int from = rnd.nextInt(src.length - len + 1);
    int to = rnd.nextInt(dst.length - len + 1);
    dst.assigned = Math.max(dst.assigned, src.bound);
    return new Stmt.Eval(new Expr.Call(Expr.Owner.of("System"), "arraycopy", List.of(src.ref(),
        new Expr.Int(from), dst.ref(), new Expr.Int(to), new Expr.Int(len))));
  }

  private Stmt declInt(Scope s) {
    String name = fresh("k");
    Expr init = ex.intExpr(s, 3, 2);
    Scope.Var v = s.add(new Scope.Var(name, Type.INT, 9, 0, true));
    v.assigned = 3;
    return new Stmt.Decl(Type.INT, name, init);
  }

  private Stmt stepInt(Scope s) {
    List<Scope.Var> vs = writable(s, Type.Kind.INT);
    if (vs.isEmpty()) return null;
    Scope.Var v = vs.get(rnd.nextInt(vs.size()));
    int pick = rnd.nextInt(3);
    if (pick == 0 && v.headroom() >= multiplier()) {
      v.added += multiplier();
      return new Stmt.Eval(new Expr.PostStep(v.name, "++"));
    }
    if (pick == 1) {
      int m = 2 + rnd.nextInt((int) v.bound - 1);
      if (m - 1 + v.added > v.bound) return null;
      v.assigned = Math.max(v.assigned, m - 1);
      return new Stmt.Assign(v.ref(), "=", new Expr.Binary("%",
          new Expr.Binary("+", v.ref(), new Expr.Int(1 + rnd.nextInt(3))), new Expr.Int(m)));
    }
    int room = (int) (v.bound - v.added);
    if (room < 1) return null;
    v.assigned = Math.max(v.assigned, room);
    return new Stmt.Assign(v.ref(), "=", ex.intExpr(s, room, 2));
  }

  private Stmt intArray(Scope s) {
    List<Scope.Var> vs = writable(s, Type.Kind.INT_ARRAY);
    if (!vs.isEmpty() && rnd.nextBoolean()) {
      Scope.Var v = vs.get(rnd.nextInt(vs.size()));
      return new Stmt.Assign(new Expr.Index(v.ref(), ex.index(s, v)), "=",
          ex.intExpr(s, (int) v.bound, 2));
    }
    String name = fresh("ix");
    int length = 2 + rnd.nextInt(2);
    Stmt decl;
    if (rnd.nextBoolean()) {
      List<Expr> elems = new ArrayList<>();
      for (int i = 0; i < length; i++) elems.add(new Expr.Int(rnd.nextInt(2)));
      decl = new Stmt.Decl(Type.INT_ARRAY, name, new Expr.ArrayLit(Type.INT_ARRAY, elems));
    } else {
      decl = new Stmt.Decl(Type.INT_ARRAY, name,
          new Expr.NewArray(Type.INT_ARRAY, new Expr.Int(length)));
    }
    s.add(new Scope.Var(name, Type.INT_ARRAY, 1, length, true));
    return decl;
  }

  private Stmt declRecord(Scope s) {
    if (catalog.records.isEmpty()) return null;
    Catalog.RecordShape r = catalog.records.get(rnd.nextInt(catalog.records.size()));
    String name = fresh("q");
    Expr init = null;
    if (r.name().equals("R0") && rnd.nextInt(3) == 0) {
      for (Catalog.Helper h : ex.callable) {
        if (h.shape() == Catalog.Shape.RECORD_RESULT) {
          init = new Expr.Call(Expr.Owner.SELF, h.name(), ex.arguments(s, h, 2));
        }
      }
    }
    if (init == null) init = newRecord(s, r.name(), 2);
    if (init == null) return null;
    s.add(new Scope.Var(name, Type.record(r.name()), 2, 0, false));
    return new Stmt.Decl(rnd.nextInt(6) == 0 ? Type.INFERRED : Type.record(r.name()), name, init);
  }

  /** {@code new R(...)} with components within their bounds. */
  private Expr newRecord(Scope s, String type, int depth) {
    Catalog.RecordShape r = catalog.record(type);
    List<Expr> args = new ArrayList<>();
    for (Catalog.Component c : r.components()) {
      switch (c.type().kind()) {
        case REAL -> args.add(ex.real(s, c.bound(), depth));
        case INT -> args.add(ex.intExpr(s, 3, 1));
        case STRING -> args.add(new Expr.Str("s" + rnd.nextInt(5)));
        case REAL_ARRAY -> {
          Expr arr = null;
          for (Scope.Var a : s.visible(Type.Kind.REAL_ARRAY)) {
            if (a.length == c.length() && a.bound <= c.bound() && rnd.nextBoolean()) arr = a.ref();
          }
          if (arr == null) {
            List<Expr> elems = new ArrayList<>();
            for (int i = 0; i < c.length(); i++) elems.add(ex.real(s, c.bound(), depth));
            arr = new Expr.ArrayLit(Type.REAL_ARRAY, elems);
          }
          args.add(arr);
        }
        case RECORD -> {
          Expr inner = null;
          for (Scope.Var v : ex.records(s, c.type().name())) {
            if (rnd.nextBoolean()) inner = v.ref();
          }
          args.add(inner != null ? inner : newRecord(s, c.type().name(), depth));
        }
        default -> throw new IllegalStateException(c.toString());
      }
    }
    return new Expr.NewRecord(Expr.Owner.SELF, type, args);
  }

  private Stmt arrayFromHelper(Scope s) {
    for (Catalog.Helper h : ex.callable) {
      if (h.shape() == Catalog.Shape.ARRAY_RESULT && ex.argumentsAvailable(s, h)) {
        List<Expr> args = ex.arguments(s, h, 2);
        int length = -1;
        for (Scope.Var a : s.visible(Type.Kind.REAL_ARRAY)) {
          if (a.ref().equals(args.get(0))) length = a.length;
        }
        String name = fresh("y");
        // not writable: the processor only lets code write arrays it sees created here
        Scope.Var v = s.add(new Scope.Var(name, Type.REAL_ARRAY, h.resultBound(), length, false));
        v.assigned = h.resultBound();
        return new Stmt.Decl(Type.REAL_ARRAY, name, new Expr.Call(Expr.Owner.SELF, h.name(), args));
      }
    }
    return null;
  }

  private Stmt switchStmt(Scope s, int nest) {
    Expr selector = ex.intExpr(s, 3, 2);
    List<Stmt.Block> cases = new ArrayList<>();
    switches++;
    try {
      int n = 1 + rnd.nextInt(3);
      for (int i = 0; i < n; i++) cases.add(new Stmt.Block(statements(s.child(), nest - 1)));
      Stmt.Block otherwise = rnd.nextBoolean()
          ? new Stmt.Block(statements(s.child(), nest - 1)) : null;
      return new Stmt.Switch(selector, cases, otherwise);
    } finally {
      switches--;
    }
  }

  private static Stmt.Block block(Stmt s) {
    return new Stmt.Block(List.of(s));
  }

  private String fresh(String prefix) {
    return prefix + (names++);
  }
}
