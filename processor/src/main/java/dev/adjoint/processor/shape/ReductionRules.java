package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Reductions (a dimension removed, or kept as 1 with {@code keepDim}; all of them for the
 * overloads without a dimension) and the softmax family (shape kept, dimension checked).
 */
final class ReductionRules {
  private ReductionRules() {}

  static void register(OpTable t) {
    t.tensor(op -> Op.tensor(Shape.scalar()), "sum()", "mean()", "max()");
    t.tensor(op -> reduce(op, op.bool(2)), "sum(I,Z)", "mean(I,Z)", "max(I,Z)");
    t.tensor(op -> reduce(op, false), "argmax(I)", "logSumExp(I)");
    t.tensor(ReductionRules::alongDim, "softmax(I)", "logSoftmax(I)");
  }

  /** Dimension {@code arg 1} removed ({@code keepDim} false) or kept with size 1. */
  static Value reduce(Op op, Boolean keepDim) {
    Shape s = op.shape(0);
    int a = op.axis(1, s, 0);
    if (a == -2) return Value.unknownTensor();
    if (a < 0 || keepDim == null) {
      if (!s.rankKnown()) return Value.unknownTensor();
      int rank = keepDim == null ? -1 : keepDim ? s.rank() : s.rank() - 1;
      if (rank < 0) return Value.unknownTensor();
      List<Dim> dims = new ArrayList<>();
      for (int i = 0; i < rank; i++) dims.add(Dim.UNKNOWN);
      return Op.tensor(Shape.of(dims));
    }
    if (keepDim) return Op.tensor(s.with(a, Dim.ONE));
    List<Dim> dims = new ArrayList<>(s.dims);
    dims.remove(a);
    return Op.tensor(new Shape(s.open, dims));
  }

  static Value alongDim(Op op) {
    Shape s = op.shape(0);
    int a = op.axis(1, s, 0);
    return a == -2 ? Value.unknownTensor() : Op.tensor(s);
  }
}
