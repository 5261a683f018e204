package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Indexing and joining: indexSelect (rows picked by a 1-D index), gather (the index's shape,
 * as many dimensions as the input), cat (sizes along the dimension add up, symbolically) and
 * stack (equal shapes, a new dimension as long as the list).
 */
final class IndexingRules {
  private IndexingRules() {}

  static void register(OpTable t) {
    t.tensor(IndexingRules::indexSelect, "indexSelect(I,T)");
    t.tensor(IndexingRules::gather, "gather(I,T)");
    t.tensor(IndexingRules::cat, "cat(I,[T)");
    t.tensor(IndexingRules::stack, "stack(I,[T)");
  }

  static Value indexSelect(Op op) {
    Shape s = op.shape(0);
    Shape index = op.shape(2);
    int a = op.axis(1, s, 0);
    if (a == -2) return Value.unknownTensor();
    if (index.rankKnown() && index.rank() != 1) {
      Printer p = Printer.forAll(index);
      return op.fail("the index must be 1-D, but is " + p.shape(index) + "; flatten() it, and "
          + "reshape the result");
    }
    if (a < 0) return s.rankKnown() ? Op.tensor(s.forgetSizes()) : Value.unknownTensor();
    return Op.tensor(s.with(a, index.fromEnd(1)));
  }

  static Value gather(Op op) {
    Shape s = op.shape(0);
    Shape index = op.shape(2);
    int a = op.axis(1, s, 0);
    if (a == -2) return Value.unknownTensor();
    Printer p = Printer.forAll(s, index);
    boolean ranksDiffer = s.rankKnown() && index.rankKnown() && s.rank() != index.rank()
        || s.rankKnown() && index.minRank() > s.rank()
        || index.rankKnown() && s.minRank() > index.rank();
    if (ranksDiffer) {
      String fix = index.rankKnown() && s.rankKnown() && index.rank() + 1 == s.rank()
          ? "; unsqueeze the index where it picks (index.unsqueeze(" + (a >= 0 ? a : "dim")
              + "))" : "; give the index one dimension per input dimension";
      return op.fail("the index " + p.shape(index) + " must have as many dimensions as the "
          + "input " + p.shape(s) + fix);
    }
    if (s.rankKnown() && index.rankKnown() && a >= 0) {
      for (int i = 0; i < s.rank(); i++) {
        Dim over = index.dims.get(i).minus(s.dims.get(i));
        if (i != a && over.isConstant() && over.value() > 0) {
          return op.fail("the index " + p.shape(index) + " is larger than the input "
              + p.shape(s) + " in dimension " + i);
        }
      }
    }
    return Op.tensor(index);
  }

  static Value cat(Op op) {
    List<Shape> xs = op.shapes(1);
    if (xs == null || xs.isEmpty()) return Value.unknownTensor();
    Shape first = xs.get(0);
    Printer p = Printer.forAll(xs.toArray());
    for (Shape x : xs) {
      if (x.rankKnown() && first.rankKnown() && x.rank() != first.rank()) {
        return op.fail(p.shape(first) + " and " + p.shape(x) + " have different numbers of "
            + "dimensions; unsqueeze the one that lacks a dimension");
      }
    }
    Shape ref = null;
    for (Shape x : xs) {
      if (x.rankKnown()) ref = x;
    }
    if (ref == null) return Value.unknownTensor();
    int a = op.axis(0, ref, 0);
    if (a == -2) return Value.unknownTensor();
    if (a < 0) return Op.tensor(ref.forgetSizes());
    int rank = ref.rank();
    Dim total = Dim.ZERO;
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < rank; i++) out.add(null);
    for (Shape x : xs) {
      if (!x.rankKnown()) {
        total = Dim.UNKNOWN;
        continue;
      }
      for (int i = 0; i < rank; i++) {
        Dim d = x.dims.get(i);
        if (i == a) {
          total = total.plus(d);
          continue;
        }
        Dim prev = out.get(i);
        if (prev == null || !prev.known()) {
          out.set(i, d);
        } else if (d.known() && d.provablyDiffers(prev)) {
          return op.fail(p.shape(first) + " and " + p.shape(x) + " differ in dimension " + i
              + " (" + p.dim(prev) + " and " + p.dim(d) + "), which is not the one joined ("
              + op.constant(0) + "); join along dimension " + i + ", or make the other sizes "
              + "agree");
        }
      }
    }
    out.set(a, total);
    for (int i = 0; i < rank; i++) {
      if (out.get(i) == null) out.set(i, Dim.UNKNOWN);
    }
    return Op.tensor(Shape.of(out));
  }

  static Value stack(Op op) {
    List<Shape> xs = op.shapes(1);
    if (xs == null || xs.isEmpty()) return Value.unknownTensor();
    Printer p = Printer.forAll(xs.toArray());
    Shape joined = xs.get(0);
    for (Shape x : xs) {
      Shape first = xs.get(0);
      boolean differ = x.rankKnown() && first.rankKnown() && x.rank() != first.rank();
      for (int k = 1; !differ && k <= Math.min(x.dims.size(), first.dims.size()); k++) {
        Dim a = x.fromEnd(k);
        Dim b = first.fromEnd(k);
        differ = a.known() && b.known() && a.provablyDiffers(b);
      }
      if (differ) {
        return op.fail("shapes " + p.shape(first) + " and " + p.shape(x) + " differ; stack "
            + "needs equal shapes (cat joins along an existing dimension)");
      }
      joined = joined.join(x);
    }
    int a = op.axis(0, joined, 1);
    if (a < 0) return Value.unknownTensor();
    List<Dim> out = new ArrayList<>(joined.dims);
    out.add(a, Dim.constant(xs.size()));
    return Op.tensor(new Shape(joined.open, out));
  }
}
