package dev.adjoint.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;

/** Prints expressions as Java with the fewest parentheses that keep their meaning. */
final class ExprPrinter {
  private static final int PRIMARY = 16;
  private static final int UNARY = 14;

  private ExprPrinter() {}

  static CodeBlock print(Expr e) {
    CodeBlock.Builder b = CodeBlock.builder();
    print(e, 0, b);
    return b.build();
  }

  private static int precedence(Expr e) {
    if (e instanceof Expr.Binary) return ((Expr.Binary) e).op().precedence;
    if (e instanceof Expr.Unary || e instanceof Expr.Cast) return UNARY;
    if (e instanceof Expr.Const && isNegative((Expr.Const) e)) return UNARY;
    return PRIMARY;
  }

  private static boolean isNegative(Expr.Const c) {
    return c.value() instanceof Number && ((Number) c.value()).doubleValue() < 0
        || c.value() instanceof Double && 1 / (Double) c.value() < 0
        || c.value() instanceof Float && 1 / (Float) c.value() < 0;
  }

  private static void print(Expr e, int context, CodeBlock.Builder b) {
    boolean parens = precedence(e) < context;
    if (parens) b.add("(");
    printBare(e, b);
    if (parens) b.add(")");
  }

  private static void printBare(Expr e, CodeBlock.Builder b) {
    if (e instanceof Expr.Const) {
      constant((Expr.Const) e, b);
    } else if (e instanceof Expr.Ref) {
      b.add("$L", ((Expr.Ref) e).var().name());
    } else if (e instanceof Expr.Unary) {
      Expr.Unary u = (Expr.Unary) e;
      b.add(u.op().symbol);
      // "- -x" and "--x" differ: a unary operand of a unary operator always gets parentheses.
      int inner = precedence(u.operand()) <= UNARY ? PRIMARY : UNARY;
      print(u.operand(), inner, b);
    } else if (e instanceof Expr.Binary) {
      Expr.Binary x = (Expr.Binary) e;
      print(x.left(), x.op().precedence, b);
      b.add(" $L ", x.op().symbol);
      print(x.right(), x.op().precedence + 1, b);
    } else if (e instanceof Expr.Cast) {
      Expr.Cast c = (Expr.Cast) e;
      b.add("($T) ", c.type().typeName());
      if (isBoxed(c.operand()) && !c.operand().type().equals(c.type())) {
        // (float) of a Double does not compile: unbox first, (float) (double) d.value()
        b.add("($T) ", c.operand().type().typeName());
      }
      print(c.operand(), UNARY, b);
    } else if (e instanceof Expr.ArrayLoad) {
      Expr.ArrayLoad a = (Expr.ArrayLoad) e;
      print(a.array(), PRIMARY, b);
      b.add("[");
      print(a.index(), 0, b);
      b.add("]");
    } else if (e instanceof Expr.ArrayLength) {
      print(((Expr.ArrayLength) e).array(), PRIMARY, b);
      b.add(".length");
    } else if (e instanceof Expr.NewArray) {
      Expr.NewArray n = (Expr.NewArray) e;
      // new double[n][] for an array of arrays: the length goes to the outermost dimension
      IrType inner = innermost(n.type());
      int extra = dimensions(n.type()) - 1;
      if (inner.typeName() instanceof ParameterizedTypeName) {
        // Java makes no arrays of a generic type: a raw array, cast (the method suppresses
        // the unchecked warning, see MethodEmitter)
        ParameterizedTypeName generic = (ParameterizedTypeName) inner.typeName();
        String wildcards = String.join(", ",
            java.util.Collections.nCopies(generic.typeArguments().size(), "?"));
        b.add("($T) new $T<$L>[", n.type().typeName(), generic.rawType(), wildcards);
      } else {
        b.add("new $T[", inner.typeName());
      }
      print(n.length(), 0, b);
      b.add("]$L", "[]".repeat(extra));
    } else if (e instanceof Expr.ArrayLiteral) {
      Expr.ArrayLiteral a = (Expr.ArrayLiteral) e;
      b.add("new $T {", a.type().typeName());
      list(a.elements(), b);
      b.add("}");
    } else if (e instanceof Expr.CloneArray) {
      print(((Expr.CloneArray) e).array(), PRIMARY, b);
      b.add(".clone()");
    } else if (e instanceof Expr.Call) {
      Expr.Call c = (Expr.Call) e;
      if (c.method().isConstructor()) {
        boolean diamond = c.method().name().equals(MethodRef.GENERIC_CONSTRUCTOR);
        b.add("new $T$L(", c.method().owner(), diamond ? "<>" : "");
        list(c.args(), b);
      } else if (c.method().isStatic()) {
        b.add("$T.$L(", c.method().owner(), c.method().name());
        list(c.args(), b);
      } else {
        print(c.args().get(0), PRIMARY, b);
        b.add(".$L(", c.method().name());
        list(c.args().subList(1, c.args().size()), b);
      }
      b.add(")");
    } else if (e instanceof Expr.NewRecord) {
      Expr.NewRecord n = (Expr.NewRecord) e;
      TypeName t = n.type().typeName();
      if (t instanceof ParameterizedTypeName) {
        b.add("new $T<>(", ((ParameterizedTypeName) t).rawType());
      } else {
        b.add("new $T(", t);
      }
      list(n.args(), b);
      b.add(")");
    } else if (e instanceof Expr.Get) {
      Expr.Get g = (Expr.Get) e;
      print(g.record(), PRIMARY, b);
      b.add(".$L()", g.component());
    } else if (e instanceof Expr.Field) {
      Expr.Field f = (Expr.Field) e;
      print(f.object(), PRIMARY, b);
      b.add(".$L", f.name());
    } else if (e instanceof Expr.Pop) {
      Expr.Pop p = (Expr.Pop) e;
      b.add("$L.$L()", p.tape().name(), popMethod(p.type()));
    } else if (e instanceof Expr.StaticField) {
      Expr.StaticField f = (Expr.StaticField) e;
      b.add("$T.$L", f.owner(), f.name());
    } else {
      throw new IllegalArgumentException("cannot print " + e);
    }
  }

  /** The element type of an array type, through every dimension. */
  private static IrType innermost(IrType array) {
    IrType t = array;
    while (t.isArray()) t = t.element();
    return t;
  }

  /** How many dimensions an array type has. */
  private static int dimensions(IrType array) {
    int n = 0;
    for (IrType t = array; t.isArray(); t = t.element()) n++;
    return n;
  }

  /** Whether {@code e} makes an array whose elements are of a generic type. */
  static boolean makesGenericArray(Expr e) {
    if (e instanceof Expr.NewArray && innermost(e.type()).typeName()
        instanceof ParameterizedTypeName) {
      return true;
    }
    boolean[] found = {false};
    dev.adjoint.processor.ir.Exprs.mapChildren(e, c -> {
      found[0] |= makesGenericArray(c);
      return c;
    });
    return found[0];
  }

  /** A component of a generic record ({@code Dual<Double>}): Java sees its boxed type. */
  private static boolean isBoxed(Expr e) {
    return e instanceof Expr.Get && e.type().isPrimitive()
        && ((Expr.Get) e).record().type().typeName() instanceof ParameterizedTypeName;
  }

  static String popMethod(IrType t) {
    switch (t.kind()) {
      case DOUBLE: return "popDouble";
      case FLOAT: return "popFloat";
      case LONG: return "popLong";
      case INT: case SHORT: case BYTE: case CHAR: return "popInt";
      case BOOLEAN: return "popBoolean";
      default: return "popObject";
    }
  }

  private static void list(java.util.List<Expr> args, CodeBlock.Builder b) {
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) b.add(", ");
      print(args.get(i), 0, b);
    }
  }

  private static void constant(Expr.Const c, CodeBlock.Builder b) {
    Object v = c.value();
    if (v == null) {
      b.add("null");
    } else if (v instanceof String) {
      b.add("$S", v);
    } else if (c.type().kind() == IrType.Kind.DOUBLE) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) b.add("Double.NaN");
      else if (Double.isInfinite(d)) b.add(d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY");
      else b.add("$L", Double.toString(d));
    } else if (c.type().kind() == IrType.Kind.FLOAT) {
      float f = ((Number) v).floatValue();
      if (Float.isNaN(f)) b.add("Float.NaN");
      else if (Float.isInfinite(f)) b.add(f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY");
      else b.add("$Lf", Float.toString(f));
    } else if (c.type().kind() == IrType.Kind.LONG) {
      b.add("$LL", v);
    } else {
      b.add("$L", v);
    }
  }
}
