package dev.adjoint.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.DeadCode;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Var;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes one function as a Java method. A variable is declared where it is first assigned when
 * all its uses follow in the same block; the rest are declared at the top. Each run of statements from one source
 * line is headed by a comment naming that line.
 */
final class MethodEmitter {
  private final Function f;
  private final CodeBlock.Builder body = CodeBlock.builder();
  private final Set<Var> inline = new HashSet<>();
  private final Set<Var> declared = new HashSet<>();
  private int lastLine = Integer.MIN_VALUE;

  private MethodEmitter(Function f) {
    this.f = f;
  }

  static MethodSpec emit(Function f, Modifier visibility, String javadoc, boolean varargs) {
    return emit(f, visibility, javadoc, varargs, null);
  }

  /** As above, the method starting with {@code entryChecks} (when not null). */
  static MethodSpec emit(Function f, Modifier visibility, String javadoc, boolean varargs,
      CodeBlock entryChecks) {
    MethodEmitter e = new MethodEmitter(ArraySlots.simplify(Folding.fold(DeadCode.remove(f))));
    if (entryChecks != null) e.body.add(entryChecks);
    return e.build(visibility, javadoc, varargs);
  }

  private MethodSpec build(Modifier visibility, String javadoc, boolean varargs) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(f.name()).addModifiers(Modifier.STATIC);
    if (visibility != null) m.addModifiers(visibility);
    if (makesGenericArray(f.body())) {
      m.addAnnotation(AnnotationSpec.builder(SuppressWarnings.class)
          .addMember("value", "$S", "unchecked").build());
    }
    if (javadoc != null) m.addJavadoc(javadoc);
    m.returns(f.returnType().typeName());
    for (Var p : f.params()) m.addParameter(p.type().typeName(), p.name());
    m.varargs(varargs);
    m.addTypeVariables(TypeVariables.of(f));
    declared.addAll(f.params());
    planDeclarations();
    Set<Var> hoisted = new LinkedHashSet<>();
    collectVars(f.body(), hoisted);
    hoisted.removeAll(inline);
    hoisted.removeAll(declared);
    for (Var v : hoisted) {
      body.addStatement("$T $L = $L", v.type().typeName(), v.name(), defaultValue(v.type()));
      declared.add(v);
    }
    block(f.body());
    m.addCode(body.build());
    return m.build();
  }

  /** Whether the body makes an array of a generic type (tangents of {@code Dual}s, say). */
  private static boolean makesGenericArray(List<Stmt> body) {
    boolean[] found = {false};
    dev.adjoint.processor.ir.Stmts.forEachDeep(body, s -> {
      for (Expr e : dev.adjoint.processor.ir.Stmts.exprs(s)) {
        found[0] |= ExprPrinter.makesGenericArray(e);
      }
    });
    return found[0];
  }

  /**
   * Decides which variables are declared where first assigned: those whose every use lies in
   * one block after that assignment (a loop body's per-iteration values included). The rest
   * are declared at the top of the method.
   */
  private void planDeclarations() {
    Map<Var, Integer> total = new HashMap<>();
    count(f.body(), total);
    plan(f.body(), total, new HashSet<>(f.params()));
  }

  private void plan(List<Stmt> block, Map<Var, Integer> total, Set<Var> decided) {
    Map<Var, Integer> here = new HashMap<>();
    count(block, here);
    for (Stmt s : block) {
      if (s instanceof Stmt.Assign) {
        Stmt.Assign a = (Stmt.Assign) s;
        Var v = a.target();
        if (!decided.contains(v) && !dev.adjoint.processor.ir.Linearizer.reads(a.value(), v)
            && here.getOrDefault(v, 0).equals(total.get(v))) {
          inline.add(v);
          decided.add(v);
        }
      }
      Map<Var, Integer> inS = new HashMap<>();
      count(List.of(s), inS);
      List<List<Stmt>> nested = nestedBlocks(s);
      if (!nested.isEmpty()) {
        Map<Var, Integer> inBlocks = new HashMap<>();
        for (List<Stmt> n : nested) count(n, inBlocks);
        for (Map.Entry<Var, Integer> e : inS.entrySet()) {
          // Used outside the nested blocks (a condition): decide here, at this level.
          if (!e.getValue().equals(inBlocks.get(e.getKey()))) decided.add(e.getKey());
        }
        for (List<Stmt> n : nested) plan(n, total, decided);
      }
      decided.addAll(inS.keySet());
    }
  }

  private static List<List<Stmt>> nestedBlocks(Stmt s) {
    return Stmts.blocks(s);
  }

  /** Occurrences (reads and writes) of each variable in the statements, nested ones included. */
  private static void count(List<Stmt> stmts, Map<Var, Integer> counts) {
    Stmts.forEachDeep(stmts, s -> {
      for (Var v : Stmts.mentioned(s)) counts.merge(v, 1, Integer::sum);
    });
  }

  /** Every variable a block assigns or reads, except loop counters of Repeat. */
  private static void collectVars(List<Stmt> stmts, Set<Var> vars) {
    Set<Var> counters = new HashSet<>();
    Stmts.forEachDeep(stmts, s -> {
      if (s instanceof Stmt.Repeat) counters.add(((Stmt.Repeat) s).counter());
      vars.addAll(Stmts.mentioned(s));
    });
    vars.removeAll(counters);
  }

  private static String defaultValue(IrType t) {
    switch (t.kind()) {
      case DOUBLE: return "0.0";
      case FLOAT: return "0.0f";
      case LONG: return "0L";
      case BOOLEAN: return "false";
      case INT: case SHORT: case BYTE: case CHAR: return "0";
      default: return "null";
    }
  }

  private void lineComment(int line) {
    if (line > 0 && line != lastLine) {
      body.add("// $L:$L\n", f.sourceFile(), line);
      lastLine = line;
    }
  }

  private void block(List<Stmt> stmts) {
    for (Stmt s : stmts) stmt(s);
  }

  private void stmt(Stmt s) {
    // a comment about a statement (with its line) comes under that line's marker
    lineComment(s.line());
    if (s instanceof Stmt.Assign) {
      assign((Stmt.Assign) s);
    } else if (s instanceof Stmt.Store) {
      Stmt.Store st = (Stmt.Store) s;
      CodeBlock target = CodeBlock.of("$L[$L]", st.array().name(), ExprPrinter.print(st.index()));
      Expr.Binary acc = accumulation(st.value(), new Expr.ArrayLoad(Expr.ref(st.array()),
          st.index()));
      IrType element = st.array().type().element();
      boolean narrowing = element.isNumeric() && st.value().type().isNumeric()
          && narrows(st.value().type(), element);
      if (acc != null && !narrowing) {
        body.addStatement("$L $L= $L", target, acc.op().symbol, ExprPrinter.print(acc.right()));
      } else if (narrowing) {
        body.addStatement("$L = ($T) ($L)", target, element.typeName(),
            ExprPrinter.print(st.value()));
      } else {
        body.addStatement("$L = $L", target, ExprPrinter.print(st.value()));
      }
    } else if (s instanceof Stmt.Eval) {
      body.addStatement("$L", ExprPrinter.print(((Stmt.Eval) s).expr()));
    } else if (s instanceof Stmt.Push) {
      Stmt.Push p = (Stmt.Push) s;
      String method = p.value().type().isPrimitive() ? "push" : "pushObject";
      body.addStatement("$L.$L($L)", p.tape().name(), method, ExprPrinter.print(p.value()));
    } else if (s instanceof Stmt.If) {
      Stmt.If i = (Stmt.If) s;
      body.beginControlFlow("if ($L)", ExprPrinter.print(i.cond()));
      nestedBlock(i.then());
      if (!i.otherwise().isEmpty()) {
        body.nextControlFlow("else");
        nestedBlock(i.otherwise());
      }
      body.endControlFlow();
    } else if (s instanceof Stmt.Loop) {
      Stmt.Loop l = (Stmt.Loop) s;
      if (l.head().isEmpty()) {
        body.beginControlFlow("while ($L)", ExprPrinter.print(l.cond()));
      } else {
        body.beginControlFlow("while (true)");
        nestedBlock(l.head());
        body.addStatement("if ($L) break", ExprPrinter.print(
            new Expr.Unary(Expr.UnOp.NOT, l.cond(), IrType.BOOLEAN)));
      }
      nestedBlock(l.body());
      body.endControlFlow();
    } else if (s instanceof Stmt.Repeat) {
      Stmt.Repeat r = (Stmt.Repeat) s;
      String k = r.counter().name();
      body.beginControlFlow("for (int $L = 0; $L < $L; $L++)", k, k,
          ExprPrinter.print(r.times()), k);
      nestedBlock(r.body());
      body.endControlFlow();
    } else if (s instanceof Stmt.Return) {
      body.addStatement("return $L", ExprPrinter.print(((Stmt.Return) s).value()));
    } else if (s instanceof Stmt.Throw) {
      body.addStatement("throw $L", ExprPrinter.print(((Stmt.Throw) s).value()));
    } else if (s instanceof Stmt.Comment) {
      body.add("// $L\n", ((Stmt.Comment) s).text());
      if (s.line() <= 0) lastLine = Integer.MIN_VALUE; // the next statement names its line again
    } else {
      throw new IllegalStateException("not lowered: " + s);
    }
  }

  private void nestedBlock(List<Stmt> stmts) {
    int saved = lastLine;
    block(stmts);
    lastLine = saved;
  }

  private void assign(Stmt.Assign a) {
    Var v = a.target();
    Expr value = a.value();
    IrType from = value.type();
    boolean narrowing = v.type().isNumeric() && from.isNumeric() && !from.equals(v.type())
        && narrows(from, v.type());
    if (!declared.contains(v)) {
      declared.add(v);
      CodeBlock rhs = narrowing ? CodeBlock.of("($T) ($L)", v.type().typeName(),
          ExprPrinter.print(value)) : ExprPrinter.print(value);
      body.addStatement("$T $L = $L", declaredType(v, value), v.name(), rhs);
      return;
    }
    // x op= e only where it narrows nothing: javac 20+ warns of lossy compound assignments
    Expr.Binary acc = narrowing ? null : accumulation(value, Expr.ref(v));
    if (acc != null) {
      body.addStatement("$L $L= $L", v.name(), acc.op().symbol, ExprPrinter.print(acc.right()));
    } else if (narrowing) {
      body.addStatement("$L = ($T) ($L)", v.name(), v.type().typeName(), ExprPrinter.print(value));
    } else {
      body.addStatement("$L = $L", v.name(), ExprPrinter.print(value));
    }
  }

  private static TypeName declaredType(Var v, Expr value) {
    return v.type().typeName();
  }

  /** {@code x = x op e} for op in + - * /, so it can be written {@code x op= e}. */
  private static Expr.Binary accumulation(Expr value, Expr target) {
    if (!(value instanceof Expr.Binary)) return null;
    Expr.Binary b = (Expr.Binary) value;
    boolean op = b.op() == Expr.BinOp.ADD || b.op() == Expr.BinOp.SUB
        || b.op() == Expr.BinOp.MUL || b.op() == Expr.BinOp.DIV;
    if (!op || !same(b.left(), target) || !b.type().isNumeric()) return null;
    return b;
  }

  private static boolean same(Expr a, Expr b) {
    if (a instanceof Expr.Ref && b instanceof Expr.Ref) {
      return ((Expr.Ref) a).var() == ((Expr.Ref) b).var();
    }
    if (a instanceof Expr.ArrayLoad && b instanceof Expr.ArrayLoad) {
      Expr.ArrayLoad x = (Expr.ArrayLoad) a;
      Expr.ArrayLoad y = (Expr.ArrayLoad) b;
      return same(x.array(), y.array()) && (same(x.index(), y.index())
          || x.index() instanceof Expr.Const && x.index().equals(y.index()));
    }
    return false;
  }

  private static boolean narrows(IrType from, IrType to) {
    return rank(from) > rank(to);
  }

  private static int rank(IrType t) {
    switch (t.kind()) {
      case DOUBLE: return 6;
      case FLOAT: return 5;
      case LONG: return 4;
      case INT: return 3;
      case SHORT: case CHAR: return 2;
      default: return 1;
    }
  }
}
