package dev.adjoint.processor.shape;

import java.util.List;

/**
 * Image operations on NCHW tensors: conv2d, max and average pooling, unfold and fold. Output
 * sizes follow {@code (size + 2*padding - dilation*(kernel - 1) - 1) / stride + 1}, as integer
 * arithmetic on literals and as symbolic expressions on names.
 */
final class ImageRules {
  private ImageRules() {}

  static void register(OpTable t) {
    t.tensor(op -> conv(op, Dim.ONE, Dim.ZERO, Dim.ONE, Dim.ONE), "conv2d(T)");
    t.tensor(op -> conv(op, op.dim(3), op.dim(4), op.dim(5), op.dim(6)),
        "conv2d(T,T,I,I,I,I)");
    t.tensor(ImageRules::pool, "maxPool2d(I,I,I)", "avgPool2d(I,I,I)");
    t.tensor(ImageRules::unfold, "unfold(I,I,I,I)");
    t.tensor(ImageRules::fold, "fold(I,I,I,I,I,I)");
    t.tensor(op -> {
      List<Dim> s = op.dims(0);
      return s == null ? Value.unknownTensor() : Op.tensor(Shape.of(s));
    }, "conv2dInputGrad([I,T,T,I,I,I,I)");
    t.tensor(op -> {
      List<Dim> s = op.dims(1);
      return s == null ? Value.unknownTensor() : Op.tensor(Shape.of(s));
    }, "conv2dWeightGrad(T,[I,T,I,I,I,I)");
  }

  /** The output size along an input size. */
  static Dim out(Dim size, Dim kernel, Dim stride, Dim padding, Dim dilation) {
    Dim span = dilation.times(kernel.minus(Dim.ONE)).plus(Dim.ONE);
    return size.plus(Dim.constant(2).times(padding)).minus(span).windowDiv(stride).plus(Dim.ONE);
  }

  private static boolean fourD(Op op, Shape s, String what, Printer p) {
    if (s.rankKnown() && s.rank() != 4 || s.minRank() > 4) {
      op.fail("expected " + what + " [N, C, H, W], got " + p.shape(s) + "; a single image needs "
          + "unsqueeze(0) for the batch");
      return false;
    }
    return true;
  }

  /** The 4 dimensions of an NCHW shape, unknown where not known. */
  private static Dim at(Shape s, int i) {
    return s.fromEnd(4 - i);
  }

  static Value conv(Op op, Dim stride, Dim padding, Dim dilation, Dim groups) {
    Shape x = op.shape(0);
    Shape w = op.shape(1);
    Printer p = Printer.forAll(x, w);
    if (!fourD(op, x, "an input", p)) return Value.unknownTensor();
    if (w.rankKnown() && w.rank() != 4 || w.minRank() > 4) {
      return op.fail("expected a weight [out, in/groups, k, k], got " + p.shape(w));
    }
    Dim c = at(x, 1);
    Dim inPerGroup = at(w, 1);
    Dim k = at(w, 2);
    Dim expected = inPerGroup.times(groups);
    if (c.known() && expected.known() && c.provablyDiffers(expected)) {
      String g = groups.isOne() ? "" : " x groups " + p.dim(groups);
      return op.fail("input " + p.shape(x) + " has " + p.dim(c) + " channels, but weight "
          + p.shape(w) + " expects " + p.dim(inPerGroup) + g + " (the weight is [out, "
          + "in/groups, k, k]); make the weight's second dimension the input's channels");
    }
    if (k.known() && at(w, 3).known() && k.provablyDiffers(at(w, 3))) {
      return op.fail("only square kernels are supported, got weight " + p.shape(w));
    }
    if (op.arity() > 2 && !op.isNull(2)) {
      Shape b = op.shape(2);
      Dim o = at(w, 0);
      boolean bad = b.rankKnown() && b.rank() != 1
          || b.dims.size() == 1 && b.fromEnd(1).known() && o.known()
              && b.fromEnd(1).provablyDiffers(o);
      if (bad) {
        return op.fail("the bias must be [" + p.dim(o) + "] (one per output channel of weight "
            + p.shape(w) + "), got " + Printer.forAll(b, w).shape(b));
      }
    }
    Dim oh = out(at(x, 2), k, stride, padding, dilation);
    Dim ow = out(at(x, 3), k, stride, padding, dilation);
    if (!fits(op, oh, ow, x, "a " + p.dim(k) + "x" + p.dim(k) + " kernel", p)) {
      return Value.unknownTensor();
    }
    return Op.tensor(Shape.of(at(x, 0), at(w, 0), oh, ow));
  }

  private static boolean fits(Op op, Dim oh, Dim ow, Shape x, String window, Printer p) {
    boolean small = oh.isConstant() && oh.value() < 1 || ow.isConstant() && ow.value() < 1;
    if (small) {
      op.fail(window + " (with this padding, stride and dilation) does not fit input "
          + p.shape(x) + "; pad the input or use a smaller kernel");
    }
    return !small;
  }

  static Value pool(Op op) {
    Shape x = op.shape(0);
    Printer p = Printer.forAll(x);
    if (!fourD(op, x, "an input", p)) return Value.unknownTensor();
    Dim k = op.dim(1);
    Dim s = op.dim(2);
    Dim pad = op.dim(3);
    if (k.isConstant() && pad.isConstant() && 2 * pad.value() > k.value()) {
      return op.fail("padding " + pad + " is more than half the kernel " + k);
    }
    Dim oh = out(at(x, 2), k, s, pad, Dim.ONE);
    Dim ow = out(at(x, 3), k, s, pad, Dim.ONE);
    if (!fits(op, oh, ow, x, "a " + k + "x" + k + " window", p)) return Value.unknownTensor();
    return Op.tensor(Shape.of(at(x, 0), at(x, 1), oh, ow));
  }

  static Value unfold(Op op) {
    Shape x = op.shape(0);
    Printer p = Printer.forAll(x);
    if (!fourD(op, x, "an input", p)) return Value.unknownTensor();
    Dim k = op.dim(1);
    Dim oh = out(at(x, 2), k, op.dim(2), op.dim(3), op.dim(4));
    Dim ow = out(at(x, 3), k, op.dim(2), op.dim(3), op.dim(4));
    if (!fits(op, oh, ow, x, "a " + k + "x" + k + " window", p)) return Value.unknownTensor();
    return Op.tensor(Shape.of(at(x, 0), at(x, 1).times(k).times(k), oh.times(ow)));
  }

  static Value fold(Op op) {
    Shape x = op.shape(0);
    if (x.rankKnown() && x.rank() != 3) {
      return op.fail("expected columns [N, C*k*k, L], got " + Printer.forAll(x).shape(x));
    }
    Dim k = op.dim(3);
    Dim c = x.fromEnd(2).exactDiv(k.times(k));
    return Op.tensor(Shape.of(x.fromEnd(3), c, op.dim(1), op.dim(2)));
  }
}
