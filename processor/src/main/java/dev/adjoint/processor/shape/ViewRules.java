package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Views and their kin: transpose, permute, reshape and view (one -1 solved from the element
 * count), flatten, squeeze, unsqueeze, broadcastTo, sumToSize, slice.
 */
final class ViewRules {
  private ViewRules() {}

  static void register(OpTable t) {
    t.tensor(ViewRules::transpose, "transpose(I,I)");
    t.tensor(ViewRules::permute, "permute([I)");
    t.tensor(ViewRules::reshape, "reshape([I)", "view([I)");
    t.tensor(op -> Op.tensor(Shape.of(op.shape(0).numel())), "flatten()");
    t.tensor(ViewRules::squeezeAll, "squeeze()");
    t.tensor(ViewRules::squeeze, "squeeze(I)");
    t.tensor(ViewRules::unsqueeze, "unsqueeze(I)");
    t.tensor(ViewRules::broadcastTo, "broadcastTo([I)");
    t.tensor(op -> {
      List<Dim> target = op.dims(1);
      return target == null ? Value.unknownTensor() : Op.tensor(Shape.of(target));
    }, "sumToSize([I)");
    t.tensor(ViewRules::slice, "slice(I,I,I)");
  }

  static Value transpose(Op op) {
    Shape s = op.shape(0);
    int a = op.axis(1, s, 0);
    int b = op.axis(2, s, 0);
    if (a == -2 || b == -2) return Value.unknownTensor();
    if (a < 0 || b < 0) return Op.tensor(s.rankKnown() ? s.forgetSizes() : Shape.UNKNOWN);
    return Op.tensor(s.with(a, s.dims.get(b)).with(b, s.dims.get(a)));
  }

  static Value permute(Op op) {
    Shape s = op.shape(0);
    List<Dim> order = op.dims(1);
    if (order == null) return s.rankKnown() ? Op.tensor(s.forgetSizes()) : Value.unknownTensor();
    int n = order.size();
    Printer p = Printer.forAll(s);
    if (s.rankKnown() && s.rank() != n || !s.rankKnown() && s.minRank() > n) {
      return op.fail(orderText(order) + " does not name every dimension of " + p.shape(s)
          + " once; list each of its " + (s.rankKnown() ? s.rank() + " " : "") + "dimensions");
    }
    // permute fixes the rank: an open shape has exactly n dimensions
    List<Dim> dims = new ArrayList<>();
    for (int i = 0; i < n - s.dims.size(); i++) dims.add(Dim.UNKNOWN);
    dims.addAll(s.dims);
    Shape full = Shape.of(dims);
    boolean[] seen = new boolean[n];
    List<Dim> out = new ArrayList<>();
    for (Dim d : order) {
      if (!d.isConstant()) return Op.tensor(full.forgetSizes());
      int axis = full.axis(d.value(), 0);
      if (axis < 0) {
        return op.fail("dimension " + d + " in " + orderText(order) + " is out of range for "
            + p.shape(s) + " (valid: " + -n + " to " + (n - 1) + ")");
      }
      if (seen[axis]) {
        return op.fail("dimension " + d + " repeats in " + orderText(order) + "; name each "
            + "dimension of " + p.shape(s) + " once");
      }
      seen[axis] = true;
      out.add(full.dims.get(axis));
    }
    return Op.tensor(Shape.of(out));
  }

  private static String orderText(List<Dim> order) {
    List<String> parts = new ArrayList<>();
    for (Dim d : order) parts.add(d.toString());
    return "(" + String.join(", ", parts) + ")";
  }

  static Value reshape(Op op) {
    Shape s = op.shape(0);
    List<Dim> target = op.dims(1);
    if (target == null) return Value.unknownTensor();
    int inferred = -1;
    Dim known = Dim.ONE;
    Printer p = Printer.forAll(s, Shape.of(target));
    String to = p.shape(Shape.of(target));
    for (int i = 0; i < target.size(); i++) {
      Dim d = target.get(i);
      if (d.isConstant() && d.value() == -1) {
        if (inferred >= 0) return op.fail("more than one -1 in " + to + "; at most one size "
            + "can be inferred");
        inferred = i;
      } else if (d.isConstant() && d.value() < 0) {
        return op.fail("negative size " + d + " in " + to);
      } else {
        known = known.times(d);
      }
    }
    Dim numel = s.numel();
    String from = p.shape(s) + " (" + p.dim(numel) + " elements)";
    if (inferred < 0) {
      if (numel.known() && known.known() && numel.provablyDiffers(known)) {
        return op.fail("cannot view " + from + " as " + to + " (" + p.dim(known)
            + " elements); the element counts must agree: compute the sizes from the input "
            + "(x.size(0), -1) or fix the declared shapes");
      }
      return Op.tensor(Shape.of(target));
    }
    Dim solved = numel.exactDiv(known);
    if (!solved.known() && numel.known() && known.known()) {
      String witness = notAMultiple(numel, known);
      if (witness != null) {
        return op.fail("cannot view " + from + " as " + to + ": " + p.dim(numel)
            + " is not a multiple of " + p.dim(known) + witness + "; the sizes given must "
            + "divide the element count: check them against the input's shape");
      }
    }
    List<Dim> out = new ArrayList<>(target);
    out.set(inferred, solved);
    return Op.tensor(Shape.of(out));
  }

  /**
   * Why {@code n} is not a multiple of {@code k}: " (for B = 1)" when all names at 1 (or 2)
   * give a counterexample, or "" for constants; null when that cannot be shown. Valid only for
   * rigid names, which must fit every value.
   */
  private static String notAMultiple(Dim n, Dim k) {
    for (long v = 1; v <= 2; v++) {
      Long a = n.rigidValueAt(v);
      Long b = k.rigidValueAt(v);
      if (a == null || b == null) return null;
      if (b == 0 || a % b != 0) {
        if (n.isConstant() && k.isConstant()) return "";
        java.util.Set<Sym> syms = new java.util.TreeSet<>();
        n.syms(syms);
        k.syms(syms);
        List<String> at = new ArrayList<>();
        for (Sym s : syms) at.add(s.name + " = " + v);
        return " (for " + String.join(", ", at) + ")";
      }
    }
    return null;
  }

  static Value squeezeAll(Op op) {
    Shape s = op.shape(0);
    if (!s.rankKnown()) return Value.unknownTensor();
    List<Dim> out = new ArrayList<>();
    for (Dim d : s.dims) {
      if (d.isOne()) continue;
      if (!d.known() || !d.provablyDiffers(Dim.ONE)) return Value.unknownTensor();
      out.add(d);
    }
    return Op.tensor(Shape.of(out));
  }

  static Value squeeze(Op op) {
    Shape s = op.shape(0);
    int a = op.axis(1, s, 0);
    if (a == -2) return Value.unknownTensor();
    if (a < 0) return Value.unknownTensor();
    Dim d = s.dims.get(a);
    if (d.isOne()) {
      List<Dim> out = new ArrayList<>(s.dims);
      out.remove(a);
      return Op.tensor(new Shape(s.open, out));
    }
    if (d.known() && d.provablyDiffers(Dim.ONE)) return Op.tensor(s); // as PyTorch: unchanged
    return Value.unknownTensor();
  }

  static Value unsqueeze(Op op) {
    Shape s = op.shape(0);
    int a = op.axis(1, s, 1);
    if (a == -2) return Value.unknownTensor();
    if (a < 0) return s.rankKnown() ? Op.tensor(Shape.of(unknowns(s.rank() + 1)))
        : Value.unknownTensor();
    List<Dim> out = new ArrayList<>(s.dims);
    out.add(a, Dim.ONE);
    return Op.tensor(new Shape(s.open, out));
  }

  private static List<Dim> unknowns(int n) {
    List<Dim> l = new ArrayList<>();
    for (int i = 0; i < n; i++) l.add(Dim.UNKNOWN);
    return l;
  }

  static Value broadcastTo(Op op) {
    Shape s = op.shape(0);
    List<Dim> target = op.dims(1);
    if (target == null) return Value.unknownTensor();
    Shape t = Shape.of(target);
    Printer p = Printer.forAll(s, t);
    if (s.minRank() > target.size()) {
      return op.fail("cannot broadcast " + p.shape(s) + " to fewer dimensions " + p.shape(t));
    }
    for (int k = 1; k <= s.dims.size(); k++) {
      Dim d = s.fromEnd(k);
      Dim to = t.fromEnd(k);
      if (d.known() && to.known() && !d.equals(to) && d.provablyDiffers(to)
          && d.provablyDiffers(Dim.ONE)) {
        return op.fail("cannot broadcast " + p.shape(s) + " to " + p.shape(t) + ": size "
            + p.dim(d) + " (dimension " + -k + ", counting from the end) is neither 1 nor "
            + p.dim(to) + "; unsqueeze where it should repeat");
      }
    }
    return Op.tensor(t);
  }

  static Value slice(Op op) {
    Shape s = op.shape(0);
    int a = op.axis(1, s, 0);
    if (a == -2) return Value.unknownTensor();
    if (a < 0) return s.rankKnown() ? Op.tensor(s.forgetSizes()) : Value.unknownTensor();
    Dim n = s.dims.get(a);
    Dim start = bound(op.dim(2), n);
    Dim end = bound(op.dim(3), n);
    Printer p = Printer.forAll(s, n);
    String range = "[" + op.dim(2) + ", " + op.dim(3) + ")";
    String where = " for dimension " + op.constant(1) + " of size " + p.dim(n) + " (shape "
        + p.shape(s) + ")";
    if (start.known() && end.known()) {
      Dim len = end.minus(start);
      boolean bad = len.isConstant() && len.value() < 0
          || start.isConstant() && start.value() < 0
          || n.known() && end.minus(n).isConstant() && end.minus(n).value() > 0;
      if (bad) return op.fail(range + " is out of range" + where + "; slice(dim, start, end) "
          + "keeps start (inclusive) to end (exclusive)");
      return Op.tensor(s.with(a, len)); // the run time checks the bounds
    }
    return Op.tensor(s.with(a, Dim.UNKNOWN));
  }

  /** A slice bound as an index: negatives count from the end; unknown if its sign is. */
  private static Dim bound(Dim b, Dim n) {
    if (b.isConstant()) return b.value() < 0 ? n.plus(b) : b;
    return b.nonNegative() ? b : Dim.UNKNOWN;
  }
}
