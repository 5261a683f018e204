package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Element-wise operations: one operand keeps its shape; two or three broadcast as NumPy does
 * (aligned from the last dimension, a missing or size-1 dimension repeats).
 */
final class ElementwiseRules {
  private ElementwiseRules() {}

  static void register(OpTable t) {
    t.tensor(ElementwiseRules::same,
        "neg()", "exp()", "log()", "log1p()", "sqrt()", "abs()", "tanh()", "sigmoid()", "relu()",
        "erf()", "sin()", "cos()", "sign()", "pow(D)", "clamp(D,D)", "add(D)", "sub(D)", "mul(D)",
        "div(D)", "gt(D)", "lt(D)", "eq(D)", "to(O)", "detach()", "contiguous()", "zerosLike()",
        "onesLike()");
    t.tensor(ElementwiseRules::binary, "add(T)", "sub(T)", "mul(T)", "div(T)", "pow(T)",
        "maximum(T)", "minimum(T)", "gt(T)", "lt(T)", "eq(T)");
    t.tensor(op -> {
      Shape s = broadcast(op, op.shape(0), op.shape(1));
      return s == null ? Value.unknownTensor() : Op.tensor(broadcastOrFail(op, s, op.shape(2)));
    }, "where(T,T,T)");
  }

  static Value same(Op op) {
    return Op.tensor(op.shape(0));
  }

  static Value binary(Op op) {
    Shape s = broadcast(op, op.shape(0), op.shape(1));
    return s == null ? Value.unknownTensor() : Op.tensor(s);
  }

  private static Shape broadcastOrFail(Op op, Shape a, Shape b) {
    Shape s = broadcast(op, a, b);
    return s == null ? Shape.UNKNOWN : s;
  }

  /**
   * The broadcast shape of {@code a} and {@code b}, or null after reporting two sizes that
   * differ while neither is 1. A size broadcasts against an unknown one only when it cannot
   * be 1.
   */
  static Shape broadcast(Op op, Shape a, Shape b) {
    int n = Math.max(a.dims.size(), b.dims.size());
    // the first mismatch from the right, as the sizes are aligned
    for (int k = 1; k <= Math.min(a.dims.size(), b.dims.size()); k++) {
      Dim da = a.fromEnd(k);
      Dim db = b.fromEnd(k);
      if (da.known() && db.known() && !da.equals(db) && da.provablyDiffers(db)
          && da.provablyDiffers(Dim.ONE) && db.provablyDiffers(Dim.ONE)) {
        Printer p = Printer.forAll(a, b);
        op.fail(p.shape(a) + " and " + p.shape(b) + " do not broadcast: sizes " + p.dim(da)
            + " and " + p.dim(db) + " (dimension " + -k + ", counting from the end) differ "
            + "and neither is 1; give the operand that should repeat a dimension of size 1 "
            + "there (unsqueeze, or keepDim = true in the reduction that made it), or "
            + "transpose the other");
        return null;
      }
    }
    List<Dim> out = new ArrayList<>();
    for (int k = n; k >= 1; k--) {
      boolean hasA = k <= a.dims.size();
      boolean hasB = k <= b.dims.size();
      Dim da = a.fromEnd(k);
      Dim db = b.fromEnd(k);
      if (!hasA && !a.open) {
        out.add(db);
      } else if (!hasB && !b.open) {
        out.add(da);
      } else if (da.known() && db.known()) {
        out.add(da.equals(db) || db.isOne() ? da : da.isOne() ? db : Dim.UNKNOWN);
      } else {
        Dim known = da.known() ? da : db;
        out.add(known.known() && known.provablyDiffers(Dim.ONE) ? known : Dim.UNKNOWN);
      }
    }
    return new Shape(a.open || b.open, out);
  }
}
