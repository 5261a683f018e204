package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Tensors made from a shape ({@code zeros}, {@code randn}, {@code Tensor.of}, ...), and the
 * queries that turn a shape back into ints ({@code shape()}, {@code size(d)}, {@code dim()},
 * {@code numel()}), which are marked as computed from shapes.
 */
final class CreationRules {
  private CreationRules() {}

  static void register(OpTable t) {
    t.tensor(op -> fromShapeArg(op, op.arity() - 1),
        "zeros([I)", "zeros(O,[I)", "ones([I)", "ones(O,[I)", "full(D,[I)", "full(O,D,[I)",
        "of([D,[I)", "of([I,[I)", "of(O,[D,[I)", "randn(O,[I)", "randn(O,O,[I)", "rand(O,[I)",
        "rand(O,O,[I)");
    t.tensor(op -> Op.tensor(Shape.scalar()), "scalar(D)", "scalar(O,D)");
    t.tensor(op -> Op.tensor(Shape.of(op.dim(0))), "arange(I)");
    t.tensor(op -> Op.tensor(Shape.of(op.dim(2).minus(op.dim(1)))), "arange(O,I,I)");
    t.tensor(CreationRules::shape, "shape()");
    t.tensor(op -> sizeOf(op), "size(I)");
    t.tensor(op -> {
      Shape s = op.shape(0);
      return new Value.Int(s.rankKnown() ? Dim.constant(s.rank()) : Dim.UNKNOWN, true);
    }, "dim()");
    t.tensor(op -> new Value.Int(op.shape(0).numel(), true), "numel()");
  }

  private static Value fromShapeArg(Op op, int i) {
    List<Dim> dims = op.dims(i);
    return dims == null ? Value.unknownTensor() : Op.tensor(Shape.of(dims));
  }

  private static Value shape(Op op) {
    Shape s = op.shape(0);
    if (!s.rankKnown()) return Value.TOP;
    List<Value> dims = new ArrayList<>();
    for (Dim d : s.dims) dims.add(new Value.Int(d, true));
    return new Value.Array(dims);
  }

  private static Value sizeOf(Op op) {
    Shape s = op.shape(0);
    int a = op.axis(1, s, 0);
    return new Value.Int(a >= 0 ? s.dims.get(a) : Dim.UNKNOWN, true);
  }
}
