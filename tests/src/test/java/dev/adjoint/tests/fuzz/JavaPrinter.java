package dev.adjoint.tests.fuzz;

import java.util.List;
import java.util.Set;

/**
 * Prints a {@link Program} as the Java source of one class in package {@value #PACKAGE}, in its
 * double variant (class {@code name}) or its float variant (class {@code name + "F"}: every
 * REAL is {@code float}, literals get an {@code f}, {@code Math} results are cast back to float).
 */
final class JavaPrinter {
  static final String PACKAGE = "fuzz";

  /** Math functions whose float overload returns float: no cast needed. */
  private static final Set<String> FLOAT_OVERLOADS = Set.of("abs", "max", "min", "signum");

  private final Variant variant;
  private final StringBuilder out = new StringBuilder();
  private String className;
  private int indent;

  private JavaPrinter(Variant variant) {
    this.variant = variant;
  }

  /** The name of a program's class in a variant. */
  static String className(Program p, Variant v) {
    return v == Variant.FLOAT ? p.name() + "F" : p.name();
  }

  static String qualifiedName(Program p, Variant v) {
    return PACKAGE + "." + className(p, v);
  }

  static String print(Program p, Variant v) {
    return new JavaPrinter(v).program(p);
  }

  private String program(Program p) {
    className = className(p, variant);
    line("package " + PACKAGE + ";");
    line("");
    line("import dev.adjoint.Differentiable;");
    line("import dev.adjoint.NoDerivative;");
    line("import dev.adjoint.tensor.DType;");
    line("import dev.adjoint.tensor.Tensor;");
    line("import java.util.Arrays;");
    line("");
    line("public final class " + className + " {");
    indent++;
    for (Program.RecordDecl r : p.records()) {
      StringBuilder comps = new StringBuilder();
      for (Program.Param c : r.components()) {
        if (comps.length() > 0) comps.append(", ");
        comps.append(type(c.type())).append(' ').append(c.name());
      }
      if (r.methods().isEmpty()) {
        line("public record " + r.name() + "(" + comps + ") {}");
      } else {
        line("public record " + r.name() + "(" + comps + ") {");
        indent++;
        for (Program.Method m : r.methods()) method(m, false);
        indent--;
        line("}");
      }
      line("");
    }
    for (Program.Method m : p.methods()) method(m, true);
    indent--;
    line("}");
    return out.toString();
  }

  private void method(Program.Method m, boolean isStatic) {
    if (m.differentiable()) line("@Differentiable");
    StringBuilder sig = new StringBuilder("public ");
    if (isStatic) sig.append("static ");
    sig.append(type(m.result())).append(' ').append(m.name()).append('(');
    for (int i = 0; i < m.params().size(); i++) {
      Program.Param par = m.params().get(i);
      if (i > 0) sig.append(", ");
      if (par.noDerivative()) sig.append("@NoDerivative ");
      sig.append(type(par.type())).append(' ').append(par.name());
    }
    sig.append(") {");
    line(sig.toString());
    indent++;
    for (Stmt s : m.body().stmts()) stmt(s);
    indent--;
    line("}");
    line("");
  }

  private void stmt(Stmt s) {
    if (s instanceof Stmt.Decl d) {
      line(type(d.type()) + " " + d.name() + (d.init() == null ? "" : " = " + init(d)) + ";");
    } else if (s instanceof Stmt.Assign a) {
      line(expr(a.target()) + " " + a.op() + " " + expr(a.value()) + ";");
    } else if (s instanceof Stmt.Eval e) {
      line(expr(e.expr()) + ";");
    } else if (s instanceof Stmt.Block b) {
      line("{");
      body(b);
      line("}");
    } else if (s instanceof Stmt.If i) {
      line("if (" + expr(i.test()) + ") {");
      body(i.then());
      if (i.otherwise() != null) {
        line("} else {");
        body(i.otherwise());
      }
      line("}");
    } else if (s instanceof Stmt.For f) {
      line(label(f.label()) + "for (" + inline(f.init()) + "; " + expr(f.test()) + "; "
          + inline(f.update()) + ") {");
      body(f.body());
      line("}");
    } else if (s instanceof Stmt.ForEach f) {
      line(label(f.label()) + "for (" + type(f.elem()) + " " + f.name() + " : "
          + expr(f.array()) + ") {");
      body(f.body());
      line("}");
    } else if (s instanceof Stmt.While w) {
      line(label(w.label()) + "while (" + expr(w.test()) + ") {");
      body(w.body());
      line("}");
    } else if (s instanceof Stmt.DoWhile d) {
      line(label(d.label()) + "do {");
      body(d.body());
      line("} while (" + expr(d.test()) + ");");
    } else if (s instanceof Stmt.Break b) {
      line("break" + (b.label() == null ? "" : " " + b.label()) + ";");
    } else if (s instanceof Stmt.Continue c) {
      line("continue" + (c.label() == null ? "" : " " + c.label()) + ";");
    } else if (s instanceof Stmt.Return r) {
      line("return " + expr(r.value()) + ";");
    } else if (s instanceof Stmt.Switch sw) {
      line("switch (" + expr(sw.selector()) + ") {");
      indent++;
      for (int c = 0; c < sw.cases().size(); c++) {
        line("case " + c + " -> {");
        body(sw.cases().get(c));
        line("}");
      }
      if (sw.otherwise() != null) {
        line("default -> {");
        body(sw.otherwise());
        line("}");
      }
      indent--;
      line("}");
    } else {
      throw new IllegalArgumentException(s.toString());
    }
  }

  private String init(Stmt.Decl d) {
    if (d.init() instanceof Expr.ArrayLit lit && d.type().kind() != Type.Kind.INFERRED) {
      return "{" + list(lit.elements()) + "}";
    }
    return expr(d.init());
  }

  private String inline(Stmt s) {
    if (s instanceof Stmt.Decl d) return type(d.type()) + " " + d.name() + " = " + expr(d.init());
    if (s instanceof Stmt.Assign a) {
      return expr(a.target()) + " " + a.op() + " " + expr(a.value());
    }
    if (s instanceof Stmt.Eval e) return expr(e.expr());
    throw new IllegalArgumentException(s.toString());
  }

  private static String label(String label) {
    return label == null ? "" : label + ": ";
  }

  private void body(Stmt.Block b) {
    indent++;
    for (Stmt s : b.stmts()) stmt(s);
    indent--;
  }

  String expr(Expr e) {
    if (e instanceof Expr.Real r) return real(r.value());
    if (e instanceof Expr.Int i) return i.value() < 0 ? "(" + i.value() + ")" : "" + i.value();
    if (e instanceof Expr.Str s) return '"' + s.value() + '"';
    if (e instanceof Expr.Name n) return n.name();
    if (e instanceof Expr.Binary b) {
      return "(" + expr(b.left()) + " " + b.op() + " " + expr(b.right()) + ")";
    }
    if (e instanceof Expr.Unary u) return "(" + u.op() + expr(u.operand()) + ")";
    if (e instanceof Expr.PostStep p) return p.name() + p.op();
    if (e instanceof Expr.MathFn m) {
      String call = "Math." + m.fn() + "(" + list(m.args()) + ")";
      if (variant == Variant.FLOAT && !FLOAT_OVERLOADS.contains(m.fn())) {
        return "((float) " + call + ")";
      }
      return call;
    }
    if (e instanceof Expr.Call c) return owner(c.owner()) + c.name() + "(" + list(c.args()) + ")";
    if (e instanceof Expr.Invoke i) {
      return expr(i.target()) + "." + i.name() + "(" + list(i.args()) + ")";
    }
    if (e instanceof Expr.Access a) return expr(a.target()) + "." + a.name() + "()";
    if (e instanceof Expr.Length l) return expr(l.array()) + ".length";
    if (e instanceof Expr.Index i) return expr(i.array()) + "[" + expr(i.index()) + "]";
    if (e instanceof Expr.Cast c) return "((" + type(c.type()) + ") " + expr(c.operand()) + ")";
    if (e instanceof Expr.Cond c) {
      return "(" + expr(c.test()) + " ? " + expr(c.then()) + " : " + expr(c.otherwise()) + ")";
    }
    if (e instanceof Expr.NewRecord n) {
      return "new " + owner(n.owner()) + n.type() + "(" + list(n.args()) + ")";
    }
    if (e instanceof Expr.NewArray n) {
      String t = type(n.arrayType());
      return "new " + t.substring(0, t.length() - 2) + "[" + expr(n.size()) + "]";
    }
    if (e instanceof Expr.ArrayLit a) return "new " + type(a.arrayType()) + " {" + list(a.elements())
        + "}";
    throw new IllegalArgumentException(e.toString());
  }

  private String owner(Expr.Owner o) {
    if (o.literal() == null) return "";
    if (o == Expr.Owner.DERIVATIVES || o.literal().equals(Expr.Owner.DERIVATIVES.literal())) {
      return className + "Derivatives.";
    }
    return o.literal() + ".";
  }

  private String list(List<Expr> es) {
    StringBuilder b = new StringBuilder();
    for (Expr e : es) {
      if (b.length() > 0) b.append(", ");
      b.append(expr(e));
    }
    return b.toString();
  }

  private String real(double v) {
    String s = Double.toString(v);
    if (variant == Variant.FLOAT) s = s + "f";
    return v < 0 ? "(" + s + ")" : s;
  }

  String type(Type t) {
    String real = variant == Variant.FLOAT ? "float" : "double";
    return switch (t.kind()) {
      case REAL -> real;
      case INT -> "int";
      case BOOL -> "boolean";
      case REAL_ARRAY -> real + "[]";
      case INT_ARRAY -> "int[]";
      case RECORD -> t.name().replace(Expr.Owner.DERIVATIVES.literal(), className + "Derivatives");
      case STRING -> "String";
      case TENSOR -> "Tensor";
      case INFERRED -> "var";
    };
  }

  private void line(String s) {
    out.append("  ".repeat(indent)).append(s).append('\n');
  }
}
