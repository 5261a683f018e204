package dev.adjoint.processor.read;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.ir.IrType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * What a differentiated type must be, beyond its kind. A record is its own tangent and gradient
 * type: Adjoint builds tangents and gradients with its canonical constructor and reads
 * components through its accessors, so a constructor that changes a component (a compact
 * constructor clamping a value) or an accessor that computes something would also act on
 * derivatives. Such records are refused, as are arrays of arrays and of records, which Adjoint
 * does not differentiate (a flat array with computed indices, a tensor, or a record of arrays
 * does the same work).
 */
public final class TypeContracts {
  private final Elements elements;
  private final Trees trees;
  private final Map<String, String> problems = new HashMap<>();
  private final java.util.function.Predicate<String> generated;

  /**
   * {@code generated} tells the records this compilation generates (gradient records): they are
   * plain by construction, and must not be looked up before they exist (javac would remember
   * them as missing).
   */
  public TypeContracts(Elements elements, Trees trees,
      java.util.function.Predicate<String> generated) {
    this.elements = elements;
    this.trees = trees;
    this.generated = generated;
  }

  /**
   * Why {@code type} cannot be differentiated, as a phrase completing "... cannot be
   * differentiated: ", or null when it can (or holds nothing differentiable).
   */
  public String problem(IrType type) {
    return problem(type, new HashSet<>());
  }

  private String problem(IrType type, Set<String> seen) {
    if (type.isArray()) {
      IrType e = type.element();
      if (e.isArray() && holdsNumbers(e)) {
        return type + " is an array of arrays; use a flat " + flatOf(type)
            + " with computed indices, or a Tensor";
      }
      if (e.isRecord() && e.isDifferentiable()) {
        return type + " is an array of records; use a record whose components are arrays or "
            + "tensors (one per field), or pass the records one by one";
      }
      return null;
    }
    if (!type.isRecord() || !seen.add(type.toString())) return null;
    String own = recordProblem(type);
    if (own != null) return own;
    for (IrType.Component c : type.components()) {
      String inner = type.isDifferentiable() ? problem(c.type(), seen)
          : c.type().isRecord() ? problem(c.type(), seen) : null;
      if (inner != null) return "its component '" + c.name() + "': " + inner;
    }
    return null;
  }

  /**
   * Why a record the reader looks into (flattening it into its components, which skips its
   * constructor and accessors) cannot be, or null: the records in {@code type}, nested too.
   */
  public String flatteningProblem(IrType type) {
    if (!type.isRecord()) return null;
    String own = recordProblem(type);
    if (own != null) return own;
    for (IrType.Component c : type.components()) {
      String inner = flatteningProblem(c.type());
      if (inner != null) return inner;
    }
    return null;
  }

  private static boolean holdsNumbers(IrType t) {
    return t.isArray() ? holdsNumbers(t.element()) : t.isFloating() || t.isTensor()
        || t.isRecord() && t.isDifferentiable();
  }

  private static String flatOf(IrType t) {
    IrType e = t;
    while (e.isArray()) e = e.element();
    return e + "[]";
  }

  private String recordProblem(IrType type) {
    String name = type.typeName().toString();
    if (problems.containsKey(name)) return problems.get(name);
    if (generated.test(name)) return null;
    TypeElement record = elements.getTypeElement(name);
    String p = record == null || record.getKind() != ElementKind.RECORD ? null : check(record);
    problems.put(name, p);
    return p;
  }

  private String check(TypeElement record) {
    Set<String> components = new HashSet<>();
    for (RecordComponentElement c : record.getRecordComponents()) {
      components.add(c.getSimpleName().toString());
    }
    // (RecordComponentElement.getAccessor() is not used: on JDK 17, asking for it while
    // processing can leave javac without the accessor it generates later, and crash it.)
    for (ExecutableElement m : ElementFilter.methodsIn(record.getEnclosedElements())) {
      String name = m.getSimpleName().toString();
      if (!components.contains(name) || !m.getParameters().isEmpty()) continue;
      if (trees.getTree(m) != null) { // only an accessor written in the source has a tree
        return "record " + record.getSimpleName() + " declares accessor " + name + "() ("
            + where(m) + "), which would also be applied to its tangents and gradients; keep "
            + "the accessor implicit and put the computation in a method of another name";
      }
    }
    for (ExecutableElement ctor : ElementFilter.constructorsIn(record.getEnclosedElements())) {
      if (elements.getOrigin(ctor) != Elements.Origin.EXPLICIT
          || ctor.getParameters().size() != components.size()) {
        continue;
      }
      MethodTree tree = trees.getTree(ctor);
      String changed = tree == null ? null : changedComponent(tree, components);
      if (changed != null) {
        return "record " + record.getSimpleName() + "'s constructor changes component '"
            + changed + "' (" + where(ctor) + "), and tangents and gradients of "
            + record.getSimpleName() + " are built with it too; change the value in a static "
            + "factory method instead (static " + record.getSimpleName() + " of(...) { ... "
            + "return new " + record.getSimpleName() + "(...); }), made @Differentiable";
      }
    }
    return null;
  }

  /** A component the constructor assigns anything but the parameter of its name, or null. */
  private static String changedComponent(MethodTree ctor, Set<String> components) {
    String[] found = {null};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree a, Void p) {
        String target = component(a.getVariable(), components);
        boolean plain = a.getVariable() instanceof MemberSelectTree
            && a.getExpression() instanceof IdentifierTree
            && ((IdentifierTree) a.getExpression()).getName().contentEquals(String.valueOf(target));
        if (target != null && !plain && found[0] == null) found[0] = target;
        return super.visitAssignment(a, p);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree a, Void p) {
        String target = component(a.getVariable(), components);
        if (target != null && found[0] == null) found[0] = target;
        return super.visitCompoundAssignment(a, p);
      }

      @Override
      public Void visitUnary(UnaryTree u, Void p) {
        String target = component(u.getExpression(), components);
        if (target != null && found[0] == null && u.getKind().name().contains("CREMENT")) {
          found[0] = target;
        }
        return super.visitUnary(u, p);
      }
    }.scan(ctor.getBody(), null);
    return found[0];
  }

  /** The component {@code v} names ({@code v} in a compact constructor, {@code this.v}). */
  private static String component(ExpressionTree v, Set<String> components) {
    String n = v instanceof IdentifierTree ? ((IdentifierTree) v).getName().toString()
        : v instanceof MemberSelectTree
            && ((MemberSelectTree) v).getExpression().toString().equals("this")
            ? ((MemberSelectTree) v).getIdentifier().toString() : null;
    return n != null && components.contains(n) ? n : null;
  }

  private String where(javax.lang.model.element.Element e) {
    TreePath path = trees.getPath(e);
    if (path == null) return "in its class file";
    CompilationUnitTree unit = path.getCompilationUnit();
    Tree leaf = path.getLeaf();
    long pos = trees.getSourcePositions().getStartPosition(unit, leaf);
    String file = unit.getSourceFile().getName();
    file = file.substring(file.lastIndexOf('/') + 1);
    return file + ":" + unit.getLineMap().getLineNumber(pos);
  }
}
