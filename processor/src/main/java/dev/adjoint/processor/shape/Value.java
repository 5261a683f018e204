package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the analysis knows of one value of the intermediate form: a tensor's shape, an int as a
 * size, a boolean, a record by components, an array by elements, or nothing. Ints and booleans
 * remember whether they were computed from shapes ({@code x.dim() == 4}): code that a shape
 * decides whether to run is never reported, since another shape would not run it.
 */
sealed interface Value {
  Value TOP = new Top();
  /** An operation that provably throws: no path goes on from it. */
  Value FAILED = new Failed();

  /** Nothing known. */
  record Top() implements Value {}

  /** See {@link #FAILED}. */
  record Failed() implements Value {}

  /** A tensor; {@code nullable}: it may be null (an optional bias). */
  record Tensor(Shape shape, boolean isNull) implements Value {
    static Tensor of(Shape s) {
      return new Tensor(s, false);
    }
  }

  record Int(Dim value, boolean fromShape) implements Value {}

  /** {@code value} null when unknown. */
  record Bool(Boolean value, boolean fromShape) implements Value {}

  record Record(Map<String, Value> components) implements Value {
    Value get(String name) {
      Value v = components.get(name);
      return v == null ? TOP : v;
    }
  }

  record Array(List<Value> elements) implements Value {}

  static Value tensor(Shape s) {
    return Tensor.of(s);
  }

  static Value unknownTensor() {
    return Tensor.of(Shape.UNKNOWN);
  }

  /** Nothing known of a value of this type. */
  static Value unknownOf(dev.adjoint.processor.ir.IrType type) {
    if (type.isTensor()) return unknownTensor();
    if (type.isIntegral()) return new Int(Dim.UNKNOWN, false);
    if (type.kind() == dev.adjoint.processor.ir.IrType.Kind.BOOLEAN) return new Bool(null, false);
    return TOP;
  }

  static Value integer(Dim d) {
    return new Int(d, false);
  }

  /** The shape of a tensor value (unknown for anything else). */
  static Shape shapeOf(Value v) {
    return v instanceof Tensor ? ((Tensor) v).shape() : Shape.UNKNOWN;
  }

  /** Whether a value was computed from shapes. */
  static boolean fromShape(Value v) {
    return v instanceof Int && ((Int) v).fromShape() || v instanceof Bool && ((Bool) v).fromShape();
  }

  /** The same value marked as decided by shapes (assigned under a condition on shapes). */
  static Value markFromShape(Value v) {
    if (v instanceof Int) return new Int(((Int) v).value(), true);
    if (v instanceof Bool) return new Bool(((Bool) v).value(), true);
    return v;
  }

  /** What is true of both values (null: not reached). */
  static Value join(Value a, Value b) {
    if (a == null) return b;
    if (b == null || a.equals(b)) return a;
    if (a instanceof Tensor && b instanceof Tensor) {
      Tensor x = (Tensor) a;
      Tensor y = (Tensor) b;
      if (x.isNull()) return new Tensor(y.shape(), false);
      if (y.isNull()) return new Tensor(x.shape(), false);
      return Tensor.of(x.shape().join(y.shape()));
    }
    if (a instanceof Int && b instanceof Int) {
      Int x = (Int) a;
      Int y = (Int) b;
      return new Int(x.value().equals(y.value()) ? x.value() : Dim.UNKNOWN,
          x.fromShape() || y.fromShape());
    }
    if (a instanceof Bool && b instanceof Bool) {
      Bool x = (Bool) a;
      Bool y = (Bool) b;
      return new Bool(Objects.equals(x.value(), y.value()) ? x.value() : null,
          x.fromShape() || y.fromShape());
    }
    if (a instanceof Record && b instanceof Record) {
      Map<String, Value> c = new LinkedHashMap<>();
      for (Map.Entry<String, Value> e : ((Record) a).components().entrySet()) {
        c.put(e.getKey(), join(e.getValue(), ((Record) b).get(e.getKey())));
      }
      return new Record(c);
    }
    if (a instanceof Array && b instanceof Array
        && ((Array) a).elements().size() == ((Array) b).elements().size()) {
      List<Value> l = new ArrayList<>();
      for (int i = 0; i < ((Array) a).elements().size(); i++) {
        l.add(join(((Array) a).elements().get(i), ((Array) b).elements().get(i)));
      }
      return new Array(l);
    }
    if (a instanceof Tensor || b instanceof Tensor) return unknownTensor();
    if (a instanceof Int || b instanceof Int) {
      return new Int(Dim.UNKNOWN, fromShape(a) || fromShape(b));
    }
    if (a instanceof Bool || b instanceof Bool) return new Bool(null, fromShape(a) || fromShape(b));
    return TOP;
  }
}
