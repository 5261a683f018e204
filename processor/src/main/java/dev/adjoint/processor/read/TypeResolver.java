package dev.adjoint.processor.read;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import dev.adjoint.processor.ir.IrType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Resolves type names written in a body (which javac has not attributed yet) the way Java's
 * scoping does for the cases Adjoint supports, and converts {@link TypeMirror}s to
 * {@link IrType}s.
 */
public final class TypeResolver {
  private final Elements elements;

  public TypeResolver(Elements elements) {
    this.elements = elements;
  }

  public Elements elements() {
    return elements;
  }

  /** The IR type of a type tree, or null when a name cannot be resolved. */
  public IrType resolve(Tree type, TypeElement context, CompilationUnitTree unit) {
    if (type instanceof PrimitiveTypeTree) {
      switch (((PrimitiveTypeTree) type).getPrimitiveTypeKind()) {
        case DOUBLE: return IrType.DOUBLE;
        case FLOAT: return IrType.FLOAT;
        case LONG: return IrType.LONG;
        case INT: return IrType.INT;
        case SHORT: return IrType.SHORT;
        case BYTE: return IrType.BYTE;
        case CHAR: return IrType.CHAR;
        case BOOLEAN: return IrType.BOOLEAN;
        case VOID: return IrType.VOID;
        default: return null;
      }
    }
    if (type instanceof ArrayTypeTree) {
      IrType element = resolve(((ArrayTypeTree) type).getType(), context, unit);
      return element == null ? null : IrType.arrayOf(element);
    }
    if (type instanceof ParameterizedTypeTree) {
      ParameterizedTypeTree p = (ParameterizedTypeTree) type;
      TypeElement raw = resolveTypeElement(p.getType(), context, unit);
      if (raw == null) return null;
      List<TypeName> args = new ArrayList<>();
      for (Tree a : p.getTypeArguments()) {
        IrType t = a instanceof com.sun.source.tree.WildcardTree ? null : resolve(a, context, unit);
        if (t == null || t.isPrimitive()) return IrType.object(ClassName.get(raw)); // as raw
        args.add(t.typeName());
      }
      return args.isEmpty() ? IrType.object(ClassName.get(raw))
          : IrType.object(com.palantir.javapoet.ParameterizedTypeName.get(ClassName.get(raw),
              args.toArray(new TypeName[0])));
    }
    TypeElement element = resolveTypeElement(type, context, unit);
    return element == null ? null : of(element.asType());
  }

  /** The class a name or qualified name denotes, or null. */
  public TypeElement resolveTypeElement(Tree tree, TypeElement context, CompilationUnitTree unit) {
    if (tree instanceof IdentifierTree) {
      return resolveSimple(((IdentifierTree) tree).getName().toString(), context, unit);
    }
    if (tree instanceof MemberSelectTree) {
      String qualified = tree.toString();
      TypeElement direct = elements.getTypeElement(qualified);
      if (direct != null) return direct;
      MemberSelectTree select = (MemberSelectTree) tree;
      TypeElement outer = resolveTypeElement(select.getExpression(), context, unit);
      if (outer != null) return memberType(outer, select.getIdentifier().toString());
    }
    return null;
  }

  /** Resolves a simple type name: enclosing and member types, imports, package, java.lang. */
  public TypeElement resolveSimple(String name, TypeElement context, CompilationUnitTree unit) {
    for (Element c = context; c instanceof TypeElement; c = c.getEnclosingElement()) {
      TypeElement type = (TypeElement) c;
      if (type.getSimpleName().contentEquals(name)) return type;
      TypeElement member = memberType(type, name);
      if (member != null) return member;
    }
    if (unit != null) {
      for (ImportTree imp : unit.getImports()) {
        if (imp.isStatic()) continue;
        String q = imp.getQualifiedIdentifier().toString();
        if (q.endsWith("." + name)) {
          TypeElement t = elements.getTypeElement(q);
          if (t != null) return t;
        }
      }
    }
    PackageElement pkg = elements.getPackageOf(context);
    String prefix = pkg.isUnnamed() ? "" : pkg.getQualifiedName() + ".";
    TypeElement same = elements.getTypeElement(prefix + name);
    if (same != null) return same;
    if (unit != null) {
      for (ImportTree imp : unit.getImports()) {
        String q = imp.getQualifiedIdentifier().toString();
        if (!imp.isStatic() && q.endsWith(".*")) {
          TypeElement t = elements.getTypeElement(q.substring(0, q.length() - 1) + name);
          if (t != null) return t;
        }
      }
    }
    return elements.getTypeElement("java.lang." + name);
  }

  /**
   * Whether a value of class {@code from} can never be passed as {@code to}: both are classes
   * the compiler knows and {@code to} is not among {@code from}'s supertypes. Overloads such as
   * {@code to(DType)} and {@code to(Device)} are told apart by this; anything the reader cannot
   * see is left for javac to judge.
   */
  public boolean knownUnrelated(IrType from, IrType to) {
    if (!(from.typeName() instanceof ClassName) || !(to.typeName() instanceof ClassName)
        || from.typeName().equals(ClassName.OBJECT)) {
      return false; // Object is how the reader types null: javac judges
    }
    TypeElement a = elements.getTypeElement(((ClassName) from.typeName()).canonicalName());
    TypeElement b = elements.getTypeElement(((ClassName) to.typeName()).canonicalName());
    return a != null && b != null && !isSupertype(b, a, new HashSet<>());
  }

  private static boolean isSupertype(TypeElement sup, TypeElement type, Set<TypeElement> seen) {
    if (type.equals(sup)) return true;
    if (!seen.add(type)) return false;
    List<TypeMirror> parents = new ArrayList<>(type.getInterfaces());
    parents.add(type.getSuperclass());
    for (TypeMirror p : parents) {
      if (p instanceof DeclaredType
          && isSupertype(sup, (TypeElement) ((DeclaredType) p).asElement(), seen)) {
        return true;
      }
    }
    return false;
  }

  private static TypeElement memberType(TypeElement type, String name) {
    for (TypeElement member : ElementFilter.typesIn(type.getEnclosedElements())) {
      if (member.getSimpleName().contentEquals(name)) return member;
    }
    return null;
  }

  public IrType of(TypeMirror mirror) {
    return of(mirror, new HashSet<>());
  }

  private IrType of(TypeMirror mirror, Set<String> seen) {
    switch (mirror.getKind()) {
      case DOUBLE: return IrType.DOUBLE;
      case FLOAT: return IrType.FLOAT;
      case LONG: return IrType.LONG;
      case INT: return IrType.INT;
      case SHORT: return IrType.SHORT;
      case BYTE: return IrType.BYTE;
      case CHAR: return IrType.CHAR;
      case BOOLEAN: return IrType.BOOLEAN;
      case VOID: return IrType.VOID;
      case ARRAY: return IrType.arrayOf(of(((ArrayType) mirror).getComponentType(), seen));
      case DECLARED: {
        TypeElement element = (TypeElement) ((DeclaredType) mirror).asElement();
        String name = element.getQualifiedName().toString();
        if (name.equals("dev.adjoint.tensor.Tensor")) return IrType.TENSOR;
        if (element.getKind() == ElementKind.RECORD && ((DeclaredType) mirror).getTypeArguments()
            .isEmpty() && seen.add(name)) {
          List<IrType.Component> components = new ArrayList<>();
          for (RecordComponentElement c : element.getRecordComponents()) {
            components.add(new IrType.Component(c.getSimpleName().toString(),
                of(c.asType(), seen)));
          }
          seen.remove(name);
          return IrType.record(ClassName.get(element), components);
        }
        if (element.getKind() == ElementKind.ENUM || name.equals("java.lang.String")
            || name.startsWith("java.lang.") && Typing.unboxed(IrType.object(
                ClassName.get(element))) != null) {
          return IrType.immutableObject(TypeName.get(mirror));
        }
        return IrType.object(TypeName.get(mirror));
      }
      default:
        return IrType.object(TypeName.get(mirror));
    }
  }
}
