package dev.adjoint.tests.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a {@code @Differentiable} method with the entry's signature whose body calls the
 * entry's generated {@code fGrad} (a gradient penalty or a weighted sum of the gradient's
 * components) or {@code fJvp(...).tangent()} (reverse over forward). Its gradient and JVP are
 * second derivatives of the entry, its HVP third derivatives.
 */
final class Wrappers {
  private final Random rnd;
  private final Catalog catalog;

  Wrappers(Random rnd, Catalog catalog) {
    this.rnd = rnd;
    this.catalog = catalog;
  }

  /** Whether a parameter is differentiated by default. */
  static boolean differentiated(Program.Param p) {
    if (p.noDerivative()) return false;
    Type.Kind k = p.type().kind();
    return k == Type.Kind.REAL || k == Type.Kind.REAL_ARRAY || k == Type.Kind.RECORD
        || k == Type.Kind.TENSOR;
  }

  Program.Method wrapper(String name, String entry, List<Program.Param> params,
      List<ArgSpec> args) {
    List<Expr> passed = new ArrayList<>();
    for (Program.Param p : params) passed.add(new Expr.Name(p.name()));
    List<Stmt> body = new ArrayList<>();
    if (rnd.nextInt(3) == 0) {
      List<Expr> all = new ArrayList<>(passed);
      for (int i = 0; i < params.size(); i++) {
        if (differentiated(params.get(i))) all.add(tangent(params.get(i), args.get(i)));
      }
      Expr jvp = new Expr.Call(Expr.Owner.DERIVATIVES, entry + "Jvp", all);
      Expr t = new Expr.Access(jvp, "tangent");
      body.add(new Stmt.Return(rnd.nextBoolean() ? t
          : new Expr.Binary("+", t, ScalarExprs.mul(t, primalTerm(params)))));
      return new Program.Method(name, Type.REAL, params, new Stmt.Block(body), true);
    }
    List<Integer> diff = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      if (differentiated(params.get(i))) diff.add(i);
    }
    Expr grad = new Expr.Call(Expr.Owner.DERIVATIVES, entry + "Grad", passed);
    List<Expr> leaves = new ArrayList<>();
    Type gradType;
    if (diff.size() == 1) {
      int i = diff.get(0);
      gradType = params.get(i).type();
      leaves(new Expr.Name("g"), params.get(i).type(), args.get(i), leaves);
    } else {
      gradType = Type.record(Expr.Owner.DERIVATIVES.literal() + "."
          + Character.toUpperCase(entry.charAt(0)) + entry.substring(1) + "Grad");
      for (int i : diff) {
        leaves(new Expr.Access(new Expr.Name("g"), params.get(i).name()), params.get(i).type(),
            args.get(i), leaves);
      }
    }
    body.add(new Stmt.Decl(rnd.nextInt(3) == 0 ? Type.INFERRED : gradType, "g", grad));
    Expr sum = null;
    int kind = rnd.nextInt(3);
    int terms = Math.min(leaves.size(), 1 + rnd.nextInt(5));
    List<Expr> pool = new ArrayList<>(leaves);
    for (int t = 0; t < terms; t++) {
      Expr leaf = pool.remove(rnd.nextInt(pool.size()));
      Expr term = switch (kind) {
        case 0 -> ScalarExprs.mul(leaf, leaf);
        case 1 -> ScalarExprs.mul(ScalarExprs.lit(Math.round((rnd.nextDouble() * 2 - 1) * 100)
            / 100.0), leaf);
        default -> ScalarExprs.fn(rnd.nextBoolean() ? "sin" : "tanh", leaf);
      };
      sum = sum == null ? term : new Expr.Binary("+", sum, term);
    }
    if (rnd.nextBoolean()) sum = new Expr.Binary("+", sum, primalTerm(params));
    body.add(new Stmt.Return(sum));
    return new Program.Method(name, Type.REAL, params, new Stmt.Block(body), true);
  }

  /** A smooth function of a real parameter, so that the wrapper is not only the gradient. */
  private Expr primalTerm(List<Program.Param> params) {
    for (Program.Param p : params) {
      if (p.type().isReal()) {
        return ScalarExprs.fn("sin", new Expr.Name(p.name()));
      }
    }
    return ScalarExprs.lit(0.5);
  }

  /** Every real leaf of a value of {@code type} reached from {@code base}. */
  void leaves(Expr base, Type type, ArgSpec arg, List<Expr> out) {
    switch (type.kind()) {
      case REAL -> out.add(base);
      case REAL_ARRAY -> {
        int n = ((ArgSpec.RealArray) arg).length();
        for (int i = 0; i < n; i++) out.add(new Expr.Index(base, new Expr.Int(i)));
      }
      case RECORD -> {
        Catalog.RecordShape r = catalog.record(type.name());
        List<ArgSpec> comps = ((ArgSpec.Rec) arg).components();
        for (int i = 0; i < r.components().size(); i++) {
          Catalog.Component c = r.components().get(i);
          leaves(new Expr.Access(base, c.name()), c.type(), comps.get(i), out);
        }
      }
      default -> { }
    }
  }

  /** A constant tangent for a parameter: carried components are copied from the parameter. */
  private Expr tangent(Program.Param p, ArgSpec arg) {
    return tangent(new Expr.Name(p.name()), p.type(), arg);
  }

  private Expr tangent(Expr primal, Type type, ArgSpec arg) {
    switch (type.kind()) {
      case REAL:
        return ScalarExprs.lit(Math.round((rnd.nextDouble() * 2 - 1) * 100) / 100.0);
      case REAL_ARRAY: {
        List<Expr> elems = new ArrayList<>();
        int n = ((ArgSpec.RealArray) arg).length();
        for (int i = 0; i < n; i++) {
          elems.add(ScalarExprs.lit(Math.round((rnd.nextDouble() * 2 - 1) * 100) / 100.0));
        }
        return new Expr.ArrayLit(Type.REAL_ARRAY, elems);
      }
      case RECORD: {
        Catalog.RecordShape r = catalog.record(type.name());
        List<ArgSpec> comps = ((ArgSpec.Rec) arg).components();
        List<Expr> values = new ArrayList<>();
        for (int i = 0; i < r.components().size(); i++) {
          Catalog.Component c = r.components().get(i);
          Expr component = new Expr.Access(primal, c.name());
          Type.Kind k = c.type().kind();
          values.add(k == Type.Kind.INT || k == Type.Kind.STRING ? component
              : tangent(component, c.type(), comps.get(i)));
        }
        return new Expr.NewRecord(Expr.Owner.SELF, r.name(), values);
      }
      default:
        throw new IllegalArgumentException(type.toString());
    }
  }
}
