package dev.adjoint.processor.shape;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.Trees;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import dev.adjoint.processor.ir.Target;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.read.Site;
import dev.adjoint.processor.read.TypeResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * The shape analysis of one round: the bodies read so far, the declarations, the rule table,
 * and each method's result when analyzed alone (from its declared parameters). A call to a
 * method with a body is analyzed again with the call's arguments, so that shapes flow through
 * unannotated helpers; a mismatch that only those arguments cause is reported at the call.
 */
final class Analysis {
  /** How deep calls are followed into their bodies. */
  private static final int MAX_DEPTH = 6;

  /** A body as read, with its locals' declarations. */
  record Body(Function raw, Map<Var, Site> localSites, Map<Var, Pattern> locals) {}

  /** A method analyzed from its declared parameters alone. */
  record Alone(List<Interpreter.Problem> problems, Value returned) {}

  private final OpTable ops = OpTable.standard();
  private final Elements elements;
  private final Trees trees;
  private final TypeResolver types;
  private final Declarations declarations;
  private final Map<ExecutableElement, Body> bodies = new HashMap<>();
  private final Map<ExecutableElement, Alone> alone = new HashMap<>();
  private final Set<ExecutableElement> running = new HashSet<>();
  private final DerivativeCalls derivatives;

  Analysis(Elements elements, Trees trees, TypeResolver types, Declarations declarations) {
    this.elements = elements;
    this.trees = trees;
    this.types = types;
    this.declarations = declarations;
    this.derivatives = new DerivativeCalls(declarations, types);
  }

  OpTable ops() {
    return ops;
  }

  Declarations declarations() {
    return declarations;
  }

  void read(ExecutableElement m, Function raw, Map<Var, Site> localTrees) {
    Map<Var, Pattern> locals = new HashMap<>();
    Map<Var, Site> sites = new HashMap<>();
    TypeElement owner = (TypeElement) m.getEnclosingElement();
    for (Map.Entry<Var, Site> e : localTrees.entrySet()) {
      if (!(e.getValue().tree() instanceof VariableTree)) continue;
      Pattern p = declarations.ofLocal((VariableTree) e.getValue().tree(), e.getValue().unit(),
          owner, e.getKey().type());
      if (p != null) {
        locals.put(e.getKey(), p);
        sites.put(e.getKey(), e.getValue());
      }
    }
    bodies.put(m, new Body(raw, sites, locals));
  }

  boolean hasBody(ExecutableElement m) {
    return bodies.containsKey(m);
  }

  /** The method analyzed from its declarations (once). */
  Alone alone(ExecutableElement m) {
    Alone a = alone.get(m);
    if (a != null) return a;
    Body body = bodies.get(m);
    if (body == null || running.contains(m)) return new Alone(List.of(), null);
    Declarations.MethodDecl d = declarations.of(m);
    Scope scope = new Scope(null, true);
    List<Instantiation.Item> items = new ArrayList<>();
    List<Var> params = body.raw().params();
    for (int i = 0; i < params.size() && i < d.params().size(); i++) {
      boolean receiver = d.instance() && i == 0;
      items.add(new Instantiation.Item(receiver ? "" : d.names().get(i), params.get(i).type(),
          d.params().get(i), Value.TOP, receiver));
    }
    List<Value> values = new Instantiation(declarations).bind(scope, items, mismatch -> { });
    Interpreter interpreter = new Interpreter(this, body.raw(), body.locals(),
        body.localSites(), d.result(), display(m), 0);
    running.add(m);
    try {
      Value returned = interpreter.run(values, scope);
      a = new Alone(List.copyOf(interpreter.problems()), returned);
    } finally {
      running.remove(m);
    }
    alone.put(m, a);
    return a;
  }

  static String display(ExecutableElement m) {
    return m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName();
  }

  /** A call that no rule covers: through the callee's declarations, and its body if we have it. */
  Value call(Expr.Call c, List<Value> args, Interpreter caller, int line) {
    MethodRef m = c.method();
    Value derivative = derivatives.call(m, args);
    if (derivative != null) return derivative;
    ExecutableElement e = resolve(m);
    if (e == null) return generic(m.returnType());
    Body body = bodyOf(m, e);
    Declarations.MethodDecl d = declarations.of(e);
    if (!d.declaresAny() && body == null) return generic(m.returnType());
    String name = display(e);
    Scope scope = new Scope(null, false);
    List<Instantiation.Item> items = new ArrayList<>();
    for (int i = 0; i < args.size() && i < d.params().size(); i++) {
      boolean receiver = d.instance() && i == 0;
      IrType type = i < m.argumentTypes().size() ? m.argumentTypes().get(i) : IrType.TENSOR;
      if (receiver) type = types.of(e.getEnclosingElement().asType());
      items.add(new Instantiation.Item(receiver ? "this" : d.names().get(i), type,
          d.params().get(i), args.get(i), receiver));
    }
    List<Value> bound = new Instantiation(declarations).bind(scope, items, mm -> {
      Printer p = Printer.forAll(mm.actual());
      String what = mm.label().startsWith("this.")
          ? "the receiver's component '" + mm.label().substring(5) + "'"
          : "the argument for '" + mm.label() + "'";
      caller.report(new Interpreter.Problem(c.site() instanceof Site ? (Site) c.site() : null,
          line, Interpreter.Where.CALL, name + ": " + what + " is " + p.shape(mm.actual())
              + ", but '" + mm.label() + "' is declared @Shape(\"" + mm.pattern().text()
              + "\"): " + mm.detail() + "; pass a tensor of the declared shape"));
    });
    Value inferred = null;
    boolean throwsHere = false;
    if (body != null && caller.depth < MAX_DEPTH && !running.contains(e)) {
      Set<Integer> known = new HashSet<>();
      for (Interpreter.Problem p : alone(e).problems()) known.add(p.line());
      Interpreter sub = new Interpreter(this, body.raw(), body.locals(), body.localSites(),
          d.result(), name, caller.depth + 1);
      running.add(e);
      try {
        inferred = sub.run(bound, scope);
      } finally {
        running.remove(e);
      }
      for (Interpreter.Problem p : sub.problems()) {
        throwsHere |= p.where() == Interpreter.Where.CALL;
        if (known.contains(p.line())) continue; // reported in the callee itself
        String file = body.raw().sourceFile();
        caller.report(new Interpreter.Problem(c.site() instanceof Site ? (Site) c.site() : null,
            line, Interpreter.Where.CALL, name + " fails for these arguments, at " + file + ":"
                + p.line() + ": " + p.message()));
      }
    }
    if (throwsHere) return Value.FAILED; // an operation in it fails for these arguments
    if (d.result() != null && m.returnType().isTensor()) {
      Binder b = new Binder(scope);
      b.add("the result", d.result(), Value.shapeOf(inferred));
      return Value.tensor(b.bind(mm -> { }).get(0));
    }
    if (inferred != null) return inferred;
    return generic(m.returnType());
  }

  /** A value of {@code type} from code we cannot see: a record has its declared components. */
  Value generic(IrType type) {
    if (!type.isRecord()) return Value.unknownOf(type);
    return new Instantiation(declarations).bind(new Scope(null, false), List.of(
        new Instantiation.Item("", type, declarations.ofType(type), Value.TOP, false)),
        mm -> { }).get(0);
  }

  private Body bodyOf(MethodRef m, ExecutableElement e) {
    Body b = bodies.get(e);
    if (b != null || !(m.target() instanceof Target.Source)) return b;
    try {
      ((Target.Source) m.target()).function().get(); // reads it (and hands it to us)
    } catch (RuntimeException failed) {
      return null; // reported where it is read
    }
    return bodies.get(e);
  }

  /** The method a reference names, if it is in source or on the class path. */
  ExecutableElement resolve(MethodRef m) {
    if (!(m.owner() instanceof ClassName) || m.isConstructor()) return null;
    if (declarations.generatedHere((ClassName) m.owner())) return null;
    TypeElement owner = elements.getTypeElement(((ClassName) m.owner()).canonicalName());
    if (owner == null) return null;
    ExecutableElement only = null;
    int candidates = 0;
    for (ExecutableElement e : ElementFilter.methodsIn(owner.getEnclosedElements())) {
      if (!e.getSimpleName().contentEquals(m.name())
          || e.getParameters().size() != m.paramTypes().size()) {
        continue;
      }
      candidates++;
      only = e;
      boolean same = true;
      for (int i = 0; i < e.getParameters().size() && same; i++) {
        same = types.of(e.getParameters().get(i).asType()).equals(m.paramTypes().get(i));
      }
      if (same) return e;
    }
    return candidates == 1 ? only : null;
  }

  /** A static constant (its value, for ints and booleans). */
  Value staticField(Expr.StaticField f) {
    TypeName owner = f.owner();
    if (owner instanceof ClassName) {
      TypeElement t = elements.getTypeElement(((ClassName) owner).canonicalName());
      if (t != null) {
        for (VariableElement v : ElementFilter.fieldsIn(t.getEnclosedElements())) {
          if (!v.getSimpleName().contentEquals(f.name())) continue;
          Object c = v.getConstantValue();
          if (c instanceof Integer || c instanceof Long || c instanceof Short || c instanceof Byte) {
            return Value.integer(Dim.constant(((Number) c).longValue()));
          }
          if (c instanceof Boolean) return new Value.Bool((Boolean) c, false);
        }
      }
    }
    return Value.unknownOf(f.type());
  }

  /** The line a tree starts on. */
  int line(Site s) {
    long pos = trees.getSourcePositions().getStartPosition(s.unit(), s.tree());
    return pos < 0 ? -1 : (int) s.unit().getLineMap().getLineNumber(pos);
  }
}
