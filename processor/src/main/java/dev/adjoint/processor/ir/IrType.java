package dev.adjoint.processor.ir;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.List;
import java.util.Objects;

/**
 * The types the intermediate form knows: primitives, arrays, records (user records and the
 * records Adjoint generates), and opaque reference types that are only carried along.
 */
public final class IrType {
  /** What kind of type this is. */
  public enum Kind {
    DOUBLE, FLOAT, LONG, INT, SHORT, BYTE, CHAR, BOOLEAN, VOID, ARRAY, RECORD, OBJECT, TAPE, TENSOR
  }

  public static final IrType DOUBLE = new IrType(Kind.DOUBLE, TypeName.DOUBLE, null, List.of());
  public static final IrType FLOAT = new IrType(Kind.FLOAT, TypeName.FLOAT, null, List.of());
  public static final IrType LONG = new IrType(Kind.LONG, TypeName.LONG, null, List.of());
  public static final IrType INT = new IrType(Kind.INT, TypeName.INT, null, List.of());
  public static final IrType SHORT = new IrType(Kind.SHORT, TypeName.SHORT, null, List.of());
  public static final IrType BYTE = new IrType(Kind.BYTE, TypeName.BYTE, null, List.of());
  public static final IrType CHAR = new IrType(Kind.CHAR, TypeName.CHAR, null, List.of());
  public static final IrType BOOLEAN = new IrType(Kind.BOOLEAN, TypeName.BOOLEAN, null, List.of());
  public static final IrType VOID = new IrType(Kind.VOID, TypeName.VOID, null, List.of());
  /** {@code dev.adjoint.tensor.Tensor}: differentiable, its own tangent type; null is zero. */
  public static final IrType TENSOR =
      new IrType(Kind.TENSOR, ClassName.get("dev.adjoint.tensor", "Tensor"), null, List.of());
  public static final IrType TAPE =
      new IrType(Kind.TAPE, ClassName.get("dev.adjoint.ad", "Tape"), null, List.of());

  /** A component of a record type. */
  public record Component(String name, IrType type) {}

  private final Kind kind;
  private final TypeName typeName;
  private final IrType element;
  private final List<Component> components;
  private final boolean immutable;

  private IrType(Kind kind, TypeName typeName, IrType element, List<Component> components) {
    this(kind, typeName, element, components, false);
  }

  private IrType(Kind kind, TypeName typeName, IrType element, List<Component> components,
      boolean immutable) {
    this.kind = kind;
    this.typeName = typeName;
    this.element = element;
    this.components = components;
    this.immutable = immutable;
  }

  /**
   * An object of a class whose instances never change (String, the boxes, enums): a call
   * cannot store anything into one it receives.
   */
  public static IrType immutableObject(TypeName name) {
    return new IrType(Kind.OBJECT, name, null, List.of(), true);
  }

  /** Whether values of this type never change (see {@link #immutableObject}). */
  public boolean isImmutable() {
    return immutable || kind == Kind.TENSOR || kind == Kind.RECORD || isPrimitive();
  }

  public static IrType arrayOf(IrType element) {
    return new IrType(Kind.ARRAY, ArrayTypeName.of(element.typeName), element, List.of());
  }

  public static IrType record(TypeName name, List<Component> components) {
    return new IrType(Kind.RECORD, name, null, List.copyOf(components));
  }

  public static IrType object(TypeName name) {
    return new IrType(Kind.OBJECT, name, null, List.of());
  }

  /** {@code Dual<R>}: a record of value and tangent, boxed where R is primitive. */
  public static IrType dual(IrType of) {
    ClassName dual = ClassName.get("dev.adjoint.ad", "Dual");
    return record(
        ParameterizedTypeName.get(dual, of.typeName.box()),
        List.of(new Component("value", of), new Component("tangent", of)));
  }

  /**
   * {@code DualN<R, R[]>}: a value and its tangents along several directions (the vector JVP's
   * result), the value boxed where R is primitive.
   */
  public static IrType dualN(IrType of) {
    ClassName dual = ClassName.get("dev.adjoint.ad", "DualN");
    IrType tangents = arrayOf(of);
    return record(
        ParameterizedTypeName.get(dual, of.typeName.box(), tangents.typeName),
        List.of(new Component("value", of), new Component("tangents", tangents)));
  }

  /** {@code ValueAndGrad<V, G>}. */
  public static IrType valueAndGrad(IrType value, IrType grad) {
    ClassName vg = ClassName.get("dev.adjoint.ad", "ValueAndGrad");
    return record(
        ParameterizedTypeName.get(vg, value.typeName.box(), grad.typeName.box()),
        List.of(new Component("value", value), new Component("grad", grad)));
  }

  public Kind kind() {
    return kind;
  }

  public TypeName typeName() {
    return typeName;
  }

  public IrType element() {
    return element;
  }

  public List<Component> components() {
    return components;
  }

  public Component component(String name) {
    for (Component c : components) {
      if (c.name().equals(name)) return c;
    }
    return null;
  }

  public boolean isFloating() {
    return kind == Kind.DOUBLE || kind == Kind.FLOAT;
  }

  public boolean isIntegral() {
    return kind == Kind.LONG || kind == Kind.INT || kind == Kind.SHORT || kind == Kind.BYTE
        || kind == Kind.CHAR;
  }

  public boolean isNumeric() {
    return isFloating() || isIntegral();
  }

  public boolean isPrimitive() {
    return isNumeric() || kind == Kind.BOOLEAN;
  }

  public boolean isArray() {
    return kind == Kind.ARRAY;
  }

  public boolean isTensor() {
    return kind == Kind.TENSOR;
  }

  public boolean isRecord() {
    return kind == Kind.RECORD;
  }

  /** double, float, arrays of them, and records with at least one such component. */
  public boolean isDifferentiable() {
    switch (kind) {
      case DOUBLE:
      case FLOAT:
        return true;
      case TENSOR:
        return true;
      case ARRAY:
        return element.isFloating() || element.kind == Kind.TENSOR;
      case RECORD:
        for (Component c : components) {
          if (c.type().isDifferentiable()) return true;
        }
        return false;
      default:
        return false;
    }
  }

  /** A tensor, an array of tensors, or a record holding one (nested too). */
  public boolean hasTensor() {
    if (isTensor()) return true;
    if (isArray()) return element.hasTensor();
    for (Component c : components) {
      if (c.type().hasTensor()) return true;
    }
    return false;
  }

  /** A number, or a record whose differentiated components are all numbers (nested too). */
  public boolean isNumbers() {
    if (isFloating()) return true;
    if (kind != Kind.RECORD) return false;
    for (Component c : components) {
      if (c.type().isDifferentiable() && !c.type().isNumbers()) return false;
    }
    return true;
  }

  /** Types a record may hold that are copied unchanged into its tangents and gradients. */
  public boolean isCarried() {
    return isIntegral() || kind == Kind.BOOLEAN || kind == Kind.OBJECT;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof IrType)) return false;
    IrType t = (IrType) o;
    return kind == t.kind && typeName.equals(t.typeName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, typeName);
  }

  @Override
  public String toString() {
    return typeName.toString();
  }
}
