package dev.adjoint.processor.read;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.TypeParameterElement;
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
    TypeName t = receiver.typeName();
    ClassName raw = t instanceof ParameterizedTypeName ? ((ParameterizedTypeName) t).rawType()
        : t instanceof ClassName ? (ClassName) t : null;
    if (raw == null) return null;
    TypeElement type = types.elements().getTypeElement(raw.canonicalName());
    if (type == null) return null;
    Map<String, IrType> bound = new HashMap<>();
    if (t instanceof ParameterizedTypeName) {
      List<TypeName> actual = ((ParameterizedTypeName) t).typeArguments();
      List<? extends TypeParameterElement> formal = type.getTypeParameters();
      for (int i = 0; i < formal.size() && i < actual.size(); i++) {
        if (!(actual.get(i) instanceof WildcardTypeName)) {
          bound.put(formal.get(i).getSimpleName().toString(), IrType.object(actual.get(i)));
        }
      }
    }
    return pick(methodsNamed(type, name), args, bound);
  }

  /**
   * A parameter or result type as seen from the receiver: the class's type variables bound by
   * its type arguments ({@code List<Double>.get} gives Double), others (a method's own, a raw
   * receiver's) as Object.
   */
  private static IrType substitute(IrType t, Map<String, IrType> bound) {
    if (!(t.typeName() instanceof TypeVariableName)) return t;
    IrType b = bound.get(((TypeVariableName) t.typeName()).name());
    return b != null ? b : IrType.object(ClassName.OBJECT);
  }

  /**
   * The constructor of a (non-record) class for these arguments, as a call without derivative
   * named {@link MethodRef#CONSTRUCTOR}, or null. Variable arity constructors are not chosen.
   */
  MethodRef constructor(TypeElement type, List<IrType> args) {
    ExecutableElement best = null;
    List<IrType> bestParams = null;
    for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      if (c.getModifiers().contains(Modifier.PRIVATE) || c.getParameters().size() != args.size()) {
        continue;
      }
      List<IrType> params = new ArrayList<>();
      for (VariableElement p : c.getParameters()) {
        params.add(substitute(types.of(p.asType()), Map.of()));
      }
      boolean applicable = true;
      for (int i = 0; i < args.size() && applicable; i++) {
        applicable = Typing.assignable(args.get(i), params.get(i));
      }
      if (applicable && (best == null || Typing.moreSpecific(params, bestParams))) {
        best = c;
        bestParams = params;
      }
    }
    if (best == null) return null;
    List<String> names = new ArrayList<>();
    for (VariableElement p : best.getParameters()) names.add(p.getSimpleName().toString());
    ClassName owner = ClassName.get(type);
    String name = type.getTypeParameters().isEmpty() ? MethodRef.CONSTRUCTOR
        : MethodRef.GENERIC_CONSTRUCTOR;
    return new MethodRef(owner, name, bestParams, names, IrType.object(owner), true,
        new dev.adjoint.processor.ir.Target.Opaque());
  }

  /** An instance field of an object's class (inherited ones too), or null. */
  VariableElement instanceField(IrType object, String name) {
    TypeName t = object.typeName();
    ClassName raw = t instanceof ParameterizedTypeName ? ((ParameterizedTypeName) t).rawType()
        : t instanceof ClassName ? (ClassName) t : null;
    TypeElement type = raw == null ? null : types.elements().getTypeElement(raw.canonicalName());
    if (type == null) return null;
    for (VariableElement f : ElementFilter.fieldsIn(types.elements().getAllMembers(type))) {
      if (f.getSimpleName().contentEquals(name) && !f.getModifiers().contains(Modifier.STATIC)) {
        return f;
      }
    }
    return null;
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
    return pick(candidates, args, Map.of());
  }

  private Found pick(List<ExecutableElement> candidates, List<IrType> args,
      Map<String, IrType> bound) {
    Found fixed = pick(candidates, args, false, bound);
    return fixed != null ? fixed : pick(candidates, args, true, bound);
  }

  /** Phase 1 (fixed arity) or phase 3 (variable arity) of Java's method selection. */
  private Found pick(List<ExecutableElement> candidates, List<IrType> args, boolean varargs,
      Map<String, IrType> bound) {
    ExecutableElement best = null;
    List<IrType> bestParams = null;
    for (ExecutableElement m : candidates) {
      List<IrType> params = new ArrayList<>();
      for (VariableElement p : m.getParameters()) {
        params.add(bound.isEmpty() ? types.of(p.asType()) : substitute(types.of(p.asType()),
            bound));
      }
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
    MethodRef ref = targets.method(best);
    if (!bound.isEmpty() && ref.target() instanceof dev.adjoint.processor.ir.Target.Opaque) {
      ref = new MethodRef(ref.owner(), ref.name(), bestParams, ref.paramNames(),
          substitute(ref.returnType(), bound), ref.isStatic(), ref.target());
    }
    return new Found(ref, best.getModifiers().contains(Modifier.STATIC), varargs);
  }
}
