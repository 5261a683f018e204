package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code matmul} with PyTorch's rules: a 1-D left operand is a row, a 1-D right operand a
 * column (the added dimension removed again), leading batch dimensions broadcast.
 */
final class MatmulRules {
  private MatmulRules() {}

  static void register(OpTable t) {
    t.tensor(MatmulRules::matmul, "matmul(T)");
  }

  /** 1 or 2 and more when known, 0 when the operand has no dimension, -1 when unknown. */
  private static int kind(Shape s) {
    if (s.rankKnown()) return Math.min(s.rank(), 2);
    return s.dims.size() >= 2 ? 2 : -1;
  }

  static Value matmul(Op op) {
    Shape a = op.shape(0);
    Shape b = op.shape(1);
    Printer p = Printer.forAll(a, b);
    int ka = kind(a);
    int kb = kind(b);
    if (ka == 0 || kb == 0) {
      return op.fail(p.shape(a) + " x " + p.shape(b) + ": both operands need at least one "
          + "dimension; use mul for a scalar");
    }
    Dim inA = a.fromEnd(1);
    Dim inB = kb == 1 ? b.fromEnd(1) : kb == 2 ? b.fromEnd(2) : Dim.UNKNOWN;
    if (inA.known() && inB.known() && inA.provablyDiffers(inB)) {
      String left = ka == 1 ? "the length of the vector" : "the last dimension";
      String right = kb == 1 ? "the length of the vector" : "the first dimension of the matrix"
          + (b.rankKnown() && b.rank() == 2 ? "" : " (second to last)");
      return op.fail(p.shape(a) + " x " + p.shape(b) + ": inner dimensions " + p.dim(inA)
          + " and " + p.dim(inB) + " differ; " + left + " on the left must equal " + right
          + " on the right: transpose the operand stored the other way round "
          + "(transpose(0, 1) for a weight), or fix its @Shape");
    }
    if (ka == 1 && kb == 1) return Op.tensor(Shape.scalar());
    if (ka == 1 && kb == 2) return Op.tensor(without(b, 2));
    if (ka == 2 && kb == 1) return Op.tensor(without(a, 1));
    if (ka == 2 && kb == 2) {
      Shape batchA = new Shape(a.open, a.dims.subList(0, a.dims.size() - 2));
      Shape batchB = new Shape(b.open, b.dims.subList(0, b.dims.size() - 2));
      Shape batch = ElementwiseRules.broadcast(new Op(op.name, List.of(), m -> op.fail(
          p.shape(a) + " x " + p.shape(b) + ": batch dimensions " + p.shape(batchA) + " and "
              + p.shape(batchB) + " do not broadcast; give both the same leading dimensions, "
              + "or size 1 where one should repeat")), batchA, batchB);
      if (batch == null) return Value.unknownTensor();
      List<Dim> dims = new ArrayList<>(batch.dims);
      dims.add(a.fromEnd(2));
      dims.add(b.fromEnd(1));
      return Op.tensor(new Shape(batch.open, dims));
    }
    if (kb == 2 && ka == -1) {
      // a row (M) or a batch of matrices (..., N, M): either way the shape ends with M
      return Op.tensor(new Shape(true, List.of(b.fromEnd(1))));
    }
    return Value.unknownTensor();
  }

  /** {@code s} without its {@code k}-th dimension from the end. */
  private static Shape without(Shape s, int k) {
    List<Dim> dims = new ArrayList<>(s.dims);
    dims.remove(dims.size() - k);
    return new Shape(s.open, dims);
  }
}
