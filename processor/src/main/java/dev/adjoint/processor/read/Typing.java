package dev.adjoint.processor.read;

import com.palantir.javapoet.ClassName;
import dev.adjoint.processor.ir.IrType;

/** Java's rules for numeric promotion and widening, on IR types. */
final class Typing {
  static final IrType STRING = IrType.immutableObject(ClassName.get(String.class));

  private Typing() {}

  /** Binary numeric promotion (JLS 5.6.2). */
  static IrType promote(IrType a, IrType b) {
    if (a.kind() == IrType.Kind.DOUBLE || b.kind() == IrType.Kind.DOUBLE) return IrType.DOUBLE;
    if (a.kind() == IrType.Kind.FLOAT || b.kind() == IrType.Kind.FLOAT) return IrType.FLOAT;
    if (a.kind() == IrType.Kind.LONG || b.kind() == IrType.Kind.LONG) return IrType.LONG;
    return IrType.INT;
  }

  /** Unary numeric promotion (JLS 5.6.1). */
  static IrType promote(IrType a) {
    return a.isIntegral() && a.kind() != IrType.Kind.LONG ? IrType.INT : a;
  }

  private static int rank(IrType t) {
    switch (t.kind()) {
      case BYTE: return 1;
      case SHORT: return 2;
      case CHAR: return 2;
      case INT: return 3;
      case LONG: return 4;
      case FLOAT: return 5;
      case DOUBLE: return 6;
      default: return -1;
    }
  }

  /** The primitive a box type holds ({@code Double} holds double), or null. */
  static IrType unboxed(IrType t) {
    if (t.kind() != IrType.Kind.OBJECT || !(t.typeName() instanceof ClassName)) return null;
    switch (((ClassName) t.typeName()).canonicalName()) {
      case "java.lang.Double": return IrType.DOUBLE;
      case "java.lang.Float": return IrType.FLOAT;
      case "java.lang.Long": return IrType.LONG;
      case "java.lang.Integer": return IrType.INT;
      case "java.lang.Short": return IrType.SHORT;
      case "java.lang.Byte": return IrType.BYTE;
      case "java.lang.Character": return IrType.CHAR;
      case "java.lang.Boolean": return IrType.BOOLEAN;
      default: return null;
    }
  }

  /** The box of a primitive ({@code double} is boxed as {@code Double}). */
  static IrType boxed(IrType primitive) {
    return IrType.immutableObject(primitive.typeName().box());
  }

  /** Whether a value of type {@code from} may be passed where {@code to} is expected. */
  static boolean assignable(IrType from, IrType to) {
    if (from.equals(to)) return true;
    IrType unboxed = unboxed(from);
    if (unboxed != null && to.isPrimitive()) return assignable(unboxed, to); // unboxing
    if (from.isPrimitive() && to.kind() == IrType.Kind.OBJECT && from.kind() != IrType.Kind.VOID) {
      // boxing, then widening to a supertype of the box
      String box = from.typeName().box().toString();
      String target = to.typeName().toString();
      return target.equals(box) || target.equals("java.lang.Object")
          || target.equals("java.lang.Number") && from.isNumeric()
          || target.equals("java.lang.Comparable") || target.equals("java.io.Serializable");
    }
    if (from.kind() == IrType.Kind.OBJECT && from.typeName().equals(ClassName.OBJECT)
        && !to.isPrimitive()) {
      return true; // null (and values the reader knows only as Object): javac judges them
    }
    if (from.isNumeric() && to.isNumeric()) {
      if (from.kind() == IrType.Kind.CHAR) return rank(to) >= 3;
      if (to.kind() == IrType.Kind.CHAR) return false;
      return rank(from) <= rank(to);
    }
    if (to.kind() == IrType.Kind.OBJECT && to.typeName().equals(ClassName.OBJECT)) {
      return true;
    }
    if (!from.isPrimitive() && to.kind() == IrType.Kind.OBJECT) {
      // Reference types the reader does not model in detail: let javac judge them later.
      return from.kind() == IrType.Kind.OBJECT || from.kind() == IrType.Kind.RECORD
          || from.kind() == IrType.Kind.TENSOR
          || from.kind() == IrType.Kind.ARRAY && to.typeName().equals(ClassName.OBJECT);
    }
    return false;
  }

  /** Whether every parameter of {@code a} accepts the corresponding one of {@code b}. */
  static boolean moreSpecific(java.util.List<IrType> a, java.util.List<IrType> b) {
    for (int i = 0; i < a.size(); i++) {
      if (!assignable(a.get(i), b.get(i))) return false;
    }
    return true;
  }
}
