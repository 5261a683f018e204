package dev.adjoint.processor.read;

import com.palantir.javapoet.ClassName;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * Finds the method a call names, by Java's rules for the supported subset: the enclosing
 * classes, then static imports, for a simple name; the named type for a qualified one; the
 * receiver's type for an instance call. Among candidates of the right arity whose parameters
 * accept the arguments by widening, the most specific wins.
 */
final class MethodLookup {
  /** A resolved call. */
  record Found(MethodRef ref, boolean isStatic, boolean varargs) {
    Found(MethodRef ref, boolean isStatic) {
      this(ref, isStatic, false);
    }
  }

  private static final String DERIVATIVES = "Derivatives";

  private final TypeResolver types;
  private final CallTargets targets;
  private final TypeElement context;
  private final CompilationUnitTree unit;

  MethodLookup(TypeResolver types, CallTargets targets, TypeElement context,
      CompilationUnitTree unit) {
    this.types = types;
    this.targets = targets;
    this.context = context;
    this.unit = unit;
  }

  Found unqualified(String name, List<IrType> args) {
    for (Element c = context; c instanceof TypeElement; c = c.getEnclosingElement()) {
      Found f = pick(methodsNamed((TypeElement) c, name), args);
      if (f != null) return f;
    }
    for (ImportTree imp : unit.getImports()) {
      if (!imp.isStatic()) continue;
      MemberSelectTree q = (MemberSelectTree) imp.getQualifiedIdentifier();
      String member = q.getIdentifier().toString();
      if (!member.equals(name) && !member.equals("*")) continue;
      TypeElement type = types.resolveTypeElement(q.getExpression(), context, unit);
      if (type != null) {
        Found f = pick(methodsNamed(type, name), args);
        if (f != null) return f;
      }
    }
    return null;
  }

  Found qualified(ExpressionTree qualifier, String name, List<IrType> args) {
    // A derivative generated in this round wins over a class of that name already compiled
    // (a stale class file on the class path in an incremental build).
    String simple = qualifier instanceof IdentifierTree
        ? ((IdentifierTree) qualifier).getName().toString()
        : qualifier instanceof MemberSelectTree
            ? ((MemberSelectTree) qualifier).getIdentifier().toString() : "";
    TypeElement baseType = derivativesBase(simple);
    if (baseType != null) {
      MethodRef ref = targets.generated(baseType, name, args);
      if (ref != null) return new Found(ref, true);
    }
    TypeElement type = types.resolveTypeElement(qualifier, context, unit);
    return type == null ? null : pick(methodsNamed(type, name), args);
  }

  /**
   * The class whose generated derivatives class is named {@code simple} (Outer_InnerDerivatives
   * is Outer.Inner's), or null.
   */
  TypeElement derivativesBase(String simple) {
    if (!simple.endsWith(DERIVATIVES) || simple.length() == DERIVATIVES.length()) return null;
    String base = simple.substring(0, simple.length() - DERIVATIVES.length());
    TypeElement baseType = null;
    for (String part : base.split("_")) {
      baseType = baseType == null ? types.resolveSimple(part, context, unit)
          : memberType(baseType, part);
      if (baseType == null) return null;
    }
    return baseType;
  }

  /** A generated record named like {@code FDerivatives.FGrad}, or null. */
  IrType generatedType(com.sun.source.tree.Tree type) {
    if (!(type instanceof MemberSelectTree)) return null;
    MemberSelectTree s = (MemberSelectTree) type;
    ExpressionTree q = s.getExpression();
    String simple = q instanceof IdentifierTree ? ((IdentifierTree) q).getName().toString()
        : q instanceof MemberSelectTree ? ((MemberSelectTree) q).getIdentifier().toString() : "";
    TypeElement base = derivativesBase(simple);
    return base == null ? null : targets.generatedType(base, s.getIdentifier().toString());
  }

  Found instance(IrType receiver, String name, List<IrType> args) {
    if (!(receiver.typeName() instanceof ClassName)) return null;
    TypeElement type = types.elements()
        .getTypeElement(((ClassName) receiver.typeName()).canonicalName());
    if (type == null) return null;
    return pick(methodsNamed(type, name), args);
  }

  Expr staticField(String name) {
    for (Element c = context; c instanceof TypeElement; c = c.getEnclosingElement()) {
      Expr f = staticField((TypeElement) c, name);
      if (f != null) return f;
    }
    for (ImportTree imp : unit.getImports()) {
      if (!imp.isStatic()) continue;
      MemberSelectTree q = (MemberSelectTree) imp.getQualifiedIdentifier();
      String member = q.getIdentifier().toString();
      if (!member.equals(name) && !member.equals("*")) continue;
      TypeElement type = types.resolveTypeElement(q.getExpression(), context, unit);
      if (type != null) {
        Expr f = staticField(type, name);
        if (f != null) return f;
      }
    }
    return null;
  }

  Expr staticField(TypeElement type, String name) {
    for (VariableElement f : ElementFilter.fieldsIn(types.elements().getAllMembers(type))) {
      if (f.getSimpleName().contentEquals(name) && f.getModifiers().contains(Modifier.STATIC)) {
        Object constant = f.getConstantValue();
        if (constant != null && !(constant instanceof String)) {
          // Inlined, as javac would: the generated class may not see a private constant.
          IrType t = types.of(f.asType());
          return new Expr.Const(constant instanceof Character ? (int) (Character) constant
              : constant, t);
        }
        return new Expr.StaticField(ClassName.get((TypeElement) f.getEnclosingElement()), name,
            types.of(f.asType()));
      }
    }
    return null;
  }

  private static TypeElement memberType(TypeElement type, String name) {
    for (TypeElement t : ElementFilter.typesIn(type.getEnclosedElements())) {
      if (t.getSimpleName().contentEquals(name)) return t;
    }
    return null;
  }

  private List<ExecutableElement> methodsNamed(TypeElement type, String name) {
    List<ExecutableElement> found = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(types.elements().getAllMembers(type))) {
      if (m.getSimpleName().contentEquals(name)) found.add(m);
    }
    return found;
  }

  private Found pick(List<ExecutableElement> candidates, List<IrType> args) {
    Found fixed = pick(candidates, args, false);
    return fixed != null ? fixed : pick(candidates, args, true);
  }

  /** Phase 1 (fixed arity) or phase 3 (variable arity) of Java's method selection. */
  private Found pick(List<ExecutableElement> candidates, List<IrType> args, boolean varargs) {
    ExecutableElement best = null;
    List<IrType> bestParams = null;
    for (ExecutableElement m : candidates) {
      List<IrType> params = new ArrayList<>();
      for (VariableElement p : m.getParameters()) params.add(types.of(p.asType()));
      List<IrType> expected = params;
      if (varargs) {
        if (!m.isVarArgs() || args.size() < params.size() - 1) continue;
        expected = new ArrayList<>(params.subList(0, params.size() - 1));
        IrType component = params.get(params.size() - 1).element();
        while (expected.size() < args.size()) expected.add(component);
      } else if (params.size() != args.size()) {
        continue;
      }
      boolean applicable = true;
      for (int i = 0; i < args.size() && applicable; i++) {
        applicable = Typing.assignable(args.get(i), expected.get(i))
            && !(args.get(i).kind() == IrType.Kind.OBJECT
                && expected.get(i).kind() == IrType.Kind.OBJECT
                && types.knownUnrelated(args.get(i), expected.get(i)));
      }
      if (!applicable) continue;
      if (best == null || Typing.moreSpecific(params, bestParams)) {
        best = m;
        bestParams = params;
      }
    }
    if (best == null) return null;
    return new Found(targets.method(best), best.getModifiers().contains(Modifier.STATIC),
        varargs);
  }
}
