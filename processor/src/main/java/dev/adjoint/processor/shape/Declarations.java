package dev.adjoint.processor.shape;

import com.palantir.javapoet.ClassName;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.read.TypeResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads {@code @Shape} declarations: of methods (parameters, result, and the receiver's
 * components for an instance method of a record), of record types, and of locals (from their
 * trees, since bodies are not attributed). A value that does not parse, or {@code @Shape} on
 * something that is not a tensor, is reported once, at the annotation.
 */
final class Declarations {
  static final String SHAPE = "dev.adjoint.Shape";
  private static final String DERIVATIVES = "Derivatives";

  /** A method's declarations; {@code params} has the receiver first for an instance method. */
  record MethodDecl(List<Decl> params, List<String> names, Pattern result, boolean instance) {
    boolean declaresAny() {
      if (result != null) return true;
      for (Decl d : params) {
        if (d instanceof Decl.Tensor || d instanceof Decl.Record && ((Decl.Record) d).declaresAny()) {
          return true;
        }
      }
      return false;
    }
  }

  /** Where bad declarations are reported. */
  interface Errors {
    void at(Tree tree, CompilationUnitTree unit, String message);

    void at(Element element, String message);
  }

  private final Elements elements;
  private final Trees trees;
  private final TypeResolver types;
  private final Errors errors;
  private final Map<ExecutableElement, MethodDecl> methods = new HashMap<>();
  private final Map<String, Decl> records = new HashMap<>();
  private final Set<Object> reported = new HashSet<>();

  Declarations(Elements elements, Trees trees, TypeResolver types, Errors errors) {
    this.elements = elements;
    this.trees = trees;
    this.types = types;
    this.errors = errors;
  }

  MethodDecl of(ExecutableElement m) {
    MethodDecl d = methods.get(m);
    if (d != null) return d;
    List<Decl> params = new ArrayList<>();
    List<String> names = new ArrayList<>();
    boolean instance = !m.getModifiers().contains(Modifier.STATIC);
    if (instance) {
      params.add(ofType(types.of(m.getEnclosingElement().asType())));
      names.add("this");
    }
    for (VariableElement p : m.getParameters()) {
      IrType t = types.of(p.asType());
      Pattern declared = pattern(p, t, "parameter '" + p.getSimpleName() + "'");
      params.add(declared != null ? new Decl.Tensor(declared) : ofType(t));
      names.add(p.getSimpleName().toString());
    }
    Pattern result = pattern(m, types.of(m.getReturnType()), "the result of "
        + m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName());
    d = new MethodDecl(params, names, result, instance);
    methods.put(m, d);
    return d;
  }

  /**
   * Whether {@code c} is (in) a derivatives class this compilation generates. Such a class
   * may also be on the class path from an earlier build: looking it up would load that stale
   * copy, which javac then cannot replace with the generated one.
   */
  boolean generatedHere(ClassName c) {
    return baseOf(c) != null;
  }

  /** The class in source whose derivatives class {@code c} is (or is nested in), or null. */
  TypeElement baseOf(ClassName c) {
    String top = c.topLevelClassName().simpleName();
    if (!top.endsWith(DERIVATIVES) || top.length() == DERIVATIVES.length()) return null;
    String base = top.substring(0, top.length() - DERIVATIVES.length()).replace('_', '.');
    String pkg = c.packageName();
    TypeElement t = elements.getTypeElement(pkg.isEmpty() ? base : pkg + "." + base);
    return t != null && trees.getTree(t) != null ? t : null;
  }

  /** Whether a record type is declared in the sources being compiled (not a class file). */
  boolean inSource(IrType t) {
    if (!(t.typeName() instanceof ClassName) || generatedHere((ClassName) t.typeName())) {
      return false;
    }
    TypeElement type = elements.getTypeElement(((ClassName) t.typeName()).canonicalName());
    return type != null && trees.getTree(type) != null;
  }

  /** The declarations of a record type's components (NONE for other types). */
  Decl ofType(IrType t) {
    if (!t.isRecord() || !(t.typeName() instanceof ClassName)) return Decl.NONE;
    if (generatedHere((ClassName) t.typeName())) return Decl.NONE;
    String name = ((ClassName) t.typeName()).canonicalName();
    if (records.containsKey(name)) {
      Decl d = records.get(name);
      return d == null ? Decl.NONE : d; // null: being read (a recursive record)
    }
    records.put(name, null);
    TypeElement type = elements.getTypeElement(name);
    Map<String, Decl> components = new LinkedHashMap<>();
    for (IrType.Component c : t.components()) {
      Element at = component(type, c.name());
      Pattern p = at == null ? null : pattern(at, c.type(), "component '" + c.name() + "' of "
          + t.typeName());
      components.put(c.name(), p != null ? new Decl.Tensor(p) : ofType(c.type()));
    }
    Decl d = new Decl.Record(name, components);
    records.put(name, d);
    return d;
  }

  /**
   * The element carrying a component's annotations: the record component, else its accessor
   * (class files may keep them only there).
   */
  private static Element component(TypeElement type, String name) {
    if (type == null) return null;
    for (RecordComponentElement c : type.getRecordComponents()) {
      if (c.getSimpleName().contentEquals(name) && shapeOf(c) != null) return c;
    }
    // (not getAccessor(): asking javac for it early breaks its record desugaring)
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (m.getSimpleName().contentEquals(name) && m.getParameters().isEmpty()) return m;
    }
    return null;
  }

  /** The declared pattern of a local's tree, or null. */
  Pattern ofLocal(VariableTree v, CompilationUnitTree unit, TypeElement owner, IrType type) {
    for (AnnotationTree a : v.getModifiers().getAnnotations()) {
      TypeElement t = types.resolveTypeElement(a.getAnnotationType(), owner, unit);
      if (t == null || !t.getQualifiedName().contentEquals(SHAPE)) continue;
      if (!type.isTensor()) {
        reportOnce(a, () -> errors.at(a, unit, "@Shape on local '" + v.getName() + "' of type "
            + type + ": only tensors have shapes; remove it"));
        return null;
      }
      String text = a.getArguments().size() == 1 ? constant(a.getArguments().get(0)) : null;
      if (text == null) {
        reportOnce(a, () -> errors.at(a, unit, "@Shape on local '" + v.getName() + "' needs a "
            + "string literal, like @Shape(\"B, 784\")"));
        return null;
      }
      try {
        return Pattern.parse(text);
      } catch (Pattern.SyntaxError e) {
        reportOnce(a, () -> errors.at(a, unit, syntax(text, e)));
        return null;
      }
    }
    return null;
  }

  private static String constant(ExpressionTree e) {
    if (e instanceof AssignmentTree) return constant(((AssignmentTree) e).getExpression());
    if (e instanceof ParenthesizedTree) return constant(((ParenthesizedTree) e).getExpression());
    if (e instanceof LiteralTree && ((LiteralTree) e).getValue() instanceof String) {
      return (String) ((LiteralTree) e).getValue();
    }
    if (e instanceof BinaryTree && e.getKind() == Tree.Kind.PLUS) {
      String l = constant(((BinaryTree) e).getLeftOperand());
      String r = constant(((BinaryTree) e).getRightOperand());
      return l == null || r == null ? null : l + r;
    }
    return null;
  }

  private static String syntax(String text, Pattern.SyntaxError e) {
    return "@Shape(\"" + text + "\") does not parse: " + e.getMessage() + "; write dimensions "
        + "separated by commas: integers, names, _ (any one), ... (any number, first only) "
        + "and + - * of integers and names";
  }

  /** The pattern {@code @Shape} declares on an element, or null (reported when malformed). */
  private Pattern pattern(Element e, IrType type, String what) {
    AnnotationMirror a = shapeOf(e);
    if (a == null) return null;
    if (!type.isTensor()) {
      reportOnce(e, () -> report(e, a, "@Shape on " + what + " of type " + type
          + ": only tensors have shapes; remove it"));
      return null;
    }
    String text = null;
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v
        : a.getElementValues().entrySet()) {
      if (v.getKey().getSimpleName().contentEquals("value")) text = (String) v.getValue().getValue();
    }
    if (text == null) return null;
    try {
      return Pattern.parse(text);
    } catch (Pattern.SyntaxError err) {
      String t = text;
      reportOnce(e, () -> report(e, a, syntax(t, err)));
      return null;
    }
  }

  private void report(Element e, AnnotationMirror a, String message) {
    TreePath path = trees.getPath(e, a);
    if (path != null) {
      errors.at(path.getLeaf(), path.getCompilationUnit(), message);
    } else if (trees.getTree(e) != null) {
      errors.at(e, message);
    }
    // in a class file: reported when that code was compiled
  }

  private void reportOnce(Object key, Runnable report) {
    if (reported.add(key)) report.run();
  }

  static AnnotationMirror shapeOf(Element e) {
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      TypeElement t = (TypeElement) a.getAnnotationType().asElement();
      if (t.getQualifiedName().contentEquals(SHAPE)) return a;
    }
    return null;
  }

  /** Whether an element is a record type. */
  static boolean isRecord(Element e) {
    return e != null && e.getKind() == ElementKind.RECORD;
  }
}
