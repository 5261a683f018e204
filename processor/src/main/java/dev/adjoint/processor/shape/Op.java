package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One call of a tensor operation as its shape rule sees it: the operation's name and what is
 * known of its arguments (the receiver first), and where to report a mismatch it proves.
 */
final class Op {
  final String name;
  private final List<Value> args;
  private final Consumer<String> failures;
  private boolean failed;

  Op(String name, List<Value> args, Consumer<String> failures) {
    this.name = name;
    this.args = args;
    this.failures = failures;
  }

  /**
   * The same operation on other arguments (a layer's rule handing its tensors to an operation's
   * rule): what that rule proves is reported as this operation's.
   */
  Op delegate(List<Value> arguments) {
    return new Op(name, arguments, m -> {
      failed = true;
      failures.accept(m);
    });
  }

  int arity() {
    return args.size();
  }

  Value arg(int i) {
    return args.get(i);
  }

  Shape shape(int i) {
    return Value.shapeOf(args.get(i));
  }

  /** Whether argument {@code i} is the constant null. */
  boolean isNull(int i) {
    return args.get(i) instanceof Value.Tensor && ((Value.Tensor) args.get(i)).isNull();
  }

  /** An int argument as a size (unknown when not an int). */
  Dim dim(int i) {
    Value v = args.get(i);
    return v instanceof Value.Int ? ((Value.Int) v).value() : Dim.UNKNOWN;
  }

  /** An int argument known to be a constant, or null. */
  Long constant(int i) {
    Dim d = dim(i);
    return d.isConstant() ? d.value() : null;
  }

  /** A boolean argument, or null when unknown. */
  Boolean bool(int i) {
    Value v = args.get(i);
    return v instanceof Value.Bool ? ((Value.Bool) v).value() : null;
  }

  /** An {@code int[]} argument as sizes, or null when its elements are not known. */
  List<Dim> dims(int i) {
    Value v = args.get(i);
    if (!(v instanceof Value.Array)) return null;
    List<Dim> out = new ArrayList<>();
    for (Value e : ((Value.Array) v).elements()) {
      out.add(e instanceof Value.Int ? ((Value.Int) e).value() : Dim.UNKNOWN);
    }
    return out;
  }

  /** A {@code Tensor[]} argument's shapes, or null when its elements are not known. */
  List<Shape> shapes(int i) {
    Value v = args.get(i);
    if (!(v instanceof Value.Array)) return null;
    List<Shape> out = new ArrayList<>();
    for (Value e : ((Value.Array) v).elements()) out.add(Value.shapeOf(e));
    return out;
  }

  /**
   * Reports a proven mismatch ({@code name: } is put in front): the operation throws, so no
   * path goes on from it.
   */
  Value fail(String message) {
    failed = true;
    failures.accept(name + ": " + message);
    return Value.FAILED;
  }

  boolean failed() {
    return failed;
  }

  static Value tensor(Shape s) {
    return Value.tensor(s);
  }

  /**
   * Axis {@code i}'s argument resolved against {@code s} (with {@code extra} more dimensions
   * allowed, for unsqueeze): an index into {@code s.dims}, -1 when it cannot be told; after
   * reporting an axis out of range, -2.
   */
  int axis(int i, Shape s, int extra) {
    Long a = constant(i);
    if (a == null) return -1;
    int index = s.axis(a, extra);
    if (index == -2) {
      int rank = s.rank() + extra;
      if (rank == 0) {
        fail("dimension " + a + " is out of range for a tensor with no dimensions (a scalar, "
            + Printer.forAll(s).shape(s) + "); give it one first, e.g. reshape(1)");
      } else {
        fail("dimension " + a + " is out of range for " + Printer.forAll(s).shape(s)
            + " (valid: " + -rank + " to " + (rank - 1)
            + "); count dimensions from 0, or from -1 at the end");
      }
    }
    return index;
  }
}
