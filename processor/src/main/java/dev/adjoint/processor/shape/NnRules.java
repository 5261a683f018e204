package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.List;

/**
 * The layers, losses and activations of {@code dev.adjoint.nn}, with the shape rules of their
 * {@code forward} (and of the loss functions): what each takes and gives, and the mismatches
 * that make it throw. A layer's sizes are its components' shapes (from their {@code @Shape},
 * names bound per layer instance) and, for a convolution, its stride, padding and dilation.
 * Each rule checks only what the layer itself checks at run time.
 */
final class NnRules {
  private NnRules() {}

  private static final String NN = "dev.adjoint.nn.";

  static void register(OpTable t) {
    t.add(NN + "Linear", NnRules::linear, "forward(T)");
    t.add(NN + "Conv2d", NnRules::conv2d, "forward(T)");
    t.add(NN + "Embedding", NnRules::embedding, "forward(T)");
    t.add(NN + "LayerNorm", NnRules::layerNorm, "forward(T)");
    t.add(NN + "BatchNorm", NnRules::batchNorm, "forward(T)");
    t.add(NN + "Dropout", op -> Op.tensor(op.shape(1)), "forward(T,I)");
    t.add(NN + "MultiheadAttention", op -> attention(op, 1, 1, 1), "forward(T)", "forward(T,Z)");
    t.add(NN + "MultiheadAttention", op -> attention(op, 1, 2, 3), "forward(T,T,T,T)");
    t.add(NN + "Losses", op -> classLoss(op, true), "crossEntropy(T,T)", "nllLoss(T,T)");
    t.add(NN + "Losses", op -> classLoss(op, false), "crossEntropy(T,T,O)",
        "crossEntropy(T,T,I,D,O)", "crossEntropy(T,T,T,I,D,O)", "nllLoss(T,T,T,I,O)");
    t.add(NN + "Losses", op -> elementLoss(op, true), "mseLoss(T,T)", "l1Loss(T,T)",
        "binaryCrossEntropyWithLogits(T,T)");
    t.add(NN + "Losses", op -> elementLoss(op, false), "mseLoss(T,T,O)", "l1Loss(T,T,O)",
        "huberLoss(T,T,D,O)", "smoothL1Loss(T,T,D,O)", "binaryCrossEntropyWithLogits(T,T,T,T,O)");
    t.add(NN + "Activations", ElementwiseRules::same, "gelu(T)", "geluTanh(T)", "silu(T)",
        "mish(T)", "leakyRelu(T)", "leakyRelu(T,D)", "elu(T)", "elu(T,D)", "selu(T)",
        "celu(T,D)", "softplus(T)", "softplus(T,D,D)", "logSigmoid(T)", "hardtanh(T)",
        "hardtanh(T,D,D)", "relu6(T)", "hardsigmoid(T)", "hardswish(T)", "softsign(T)",
        "negativePart(T)");
  }

  /** A component of the layer (the receiver, argument 0): unknown when the layer is. */
  private static Value component(Op op, String name) {
    Value layer = op.arg(0);
    return layer instanceof Value.Record ? ((Value.Record) layer).get(name) : Value.TOP;
  }

  private static Shape shapeOf(Op op, String name) {
    return Value.shapeOf(component(op, name));
  }

  private static Dim intOf(Op op, String name) {
    Value v = component(op, name);
    return v instanceof Value.Int ? ((Value.Int) v).value() : Dim.UNKNOWN;
  }

  /** {@code (..., in)} to {@code (..., out)}, for a weight {@code (out, in)}. */
  static Value linear(Op op) {
    Shape x = op.shape(1);
    Shape w = shapeOf(op, "weight");
    Printer p = Printer.forAll(x, w);
    if (x.rankKnown() && x.rank() == 0) {
      return op.fail("the input is a scalar; it needs a last dimension of " + p.dim(w.fromEnd(1))
          + " features");
    }
    boolean matrix = w.rankKnown() && w.rank() == 2;
    Dim in = matrix ? w.dims.get(1) : Dim.UNKNOWN;
    Dim out = matrix ? w.dims.get(0) : Dim.UNKNOWN;
    Dim features = x.fromEnd(1);
    if (features.known() && in.known() && features.provablyDiffers(in)) {
      return op.fail("input " + p.shape(x) + " has " + p.dim(features) + " features in its last "
          + "dimension, but the weight " + p.shape(w) + " takes " + p.dim(in) + " (the weight is "
          + "[out, in]); give the layer " + p.dim(features) + " inputs, or fix the layer before");
    }
    if (!x.rankKnown() && x.dims.isEmpty()) return Op.tensor(new Shape(true, List.of(out)));
    List<Dim> dims = new ArrayList<>(x.dims);
    dims.set(dims.size() - 1, out);
    return Op.tensor(new Shape(x.open, dims));
  }

  /** {@code (N, C, H, W)} or an unbatched {@code (C, H, W)}, with the layer's hyperparameters. */
  static Value conv2d(Op op) {
    Shape x = op.shape(1);
    Printer p = Printer.forAll(x);
    if (x.rankKnown() && x.rank() != 3 && x.rank() != 4 || x.minRank() > 4) {
      return op.fail("expected an input (N, C, H, W) or (C, H, W), got " + p.shape(x)
          + (x.rankKnown() && x.rank() == 2 ? "; an image needs its channels: unsqueeze(0)"
              : "; reshape it to images first"));
    }
    boolean unbatched = x.rankKnown() && x.rank() == 3;
    Shape batched = unbatched ? withBatch(x) : x;
    Op conv = op.delegate(List.of(Value.tensor(batched), component(op, "weight"),
        component(op, "bias")));
    Value y = ImageRules.conv(conv, intOf(op, "stride"), intOf(op, "padding"),
        intOf(op, "dilation"), intOf(op, "groups"));
    if (conv.failed()) return Value.FAILED;
    Shape s = Value.shapeOf(y);
    if (!x.rankKnown() && s.rankKnown() && s.rank() == 4) {
      // (N, out, H', W') or (out, H', W'): either way the shape ends with the last three
      return Op.tensor(new Shape(true, s.dims.subList(1, 4)));
    }
    if (!unbatched) return y;
    return Op.tensor(s.rankKnown() ? new Shape(false, s.dims.subList(1, s.dims.size())) : s);
  }

  private static Shape withBatch(Shape s) {
    List<Dim> dims = new ArrayList<>();
    dims.add(Dim.ONE);
    dims.addAll(s.dims);
    return Shape.of(dims);
  }

  /** Indices of any shape {@code (...)} to {@code (..., dim)}, for a weight {@code (num, dim)}. */
  static Value embedding(Op op) {
    Shape ids = op.shape(1);
    Shape w = shapeOf(op, "weight");
    Dim dim = w.rankKnown() && w.rank() == 2 ? w.dims.get(1) : Dim.UNKNOWN;
    List<Dim> dims = new ArrayList<>(ids.dims);
    dims.add(dim);
    return Op.tensor(new Shape(ids.open, dims));
  }

  /** The input's shape, which must end with the weight's (the normalized shape). */
  static Value layerNorm(Op op) {
    Shape x = op.shape(1);
    Value weight = component(op, "weight");
    Shape w = Value.shapeOf(weight);
    if (weight instanceof Value.Tensor && !((Value.Tensor) weight).isNull() && w.rankKnown()) {
      Printer p = Printer.forAll(x, w);
      if (x.rankKnown() && x.rank() < w.rank()) {
        return op.fail("input " + p.shape(x) + " has fewer dimensions than the normalized shape "
            + p.shape(w));
      }
      for (int k = 1; k <= w.rank(); k++) {
        Dim a = x.fromEnd(k);
        Dim b = w.fromEnd(k);
        if (a.known() && b.known() && a.provablyDiffers(b)) {
          return op.fail("input " + p.shape(x) + " does not end with the normalized shape "
              + p.shape(w) + ": dimension " + -k + " is " + p.dim(a) + ", not " + p.dim(b)
              + "; normalize over the input's trailing dimensions");
        }
      }
    }
    return Op.tensor(x);
  }

  /** {@code (N, C, ...)} kept, C being the size of the per-channel weight and statistics. */
  static Value batchNorm(Op op) {
    Shape x = op.shape(1);
    Printer p = Printer.forAll(x);
    if (x.rankKnown() && x.rank() < 2) {
      return op.fail("expected an input (N, C), (N, C, L) or (N, C, H, W), got " + p.shape(x)
          + "; a single sample needs unsqueeze(0) for the batch");
    }
    Dim c = at(x, 1);
    for (String name : List.of("weight", "runningMean")) {
      Value v = component(op, name);
      Shape s = Value.shapeOf(v);
      if (!(v instanceof Value.Tensor) || ((Value.Tensor) v).isNull() || !s.rankKnown()
          || s.rank() != 1) {
        continue;
      }
      Dim per = s.dims.get(0);
      if (c.known() && per.known() && c.provablyDiffers(per)) {
        Printer q = Printer.forAll(x, s);
        return op.fail("input " + q.shape(x) + " has " + q.dim(c) + " channels (dimension 1), "
            + "but the layer's " + name + " is " + q.shape(s) + "; build the layer with "
            + q.dim(c) + " features, or move the channels to dimension 1");
      }
    }
    return Op.tensor(x);
  }

  /** Dimension {@code i} of a shape of known rank, else unknown. */
  private static Dim at(Shape s, int i) {
    return s.rankKnown() && i < s.rank() ? s.dims.get(i) : Dim.UNKNOWN;
  }

  /**
   * Query {@code (N, L, E)} (or {@code (L, E)}), key and value {@code (N, S, E)}, E the second
   * dimension of {@code inProjWeight}: the query's shape.
   */
  static Value attention(Op op, int q, int k, int v) {
    Shape query = op.shape(q);
    Shape key = op.shape(k);
    Shape value = op.shape(v);
    Shape w = shapeOf(op, "inProjWeight");
    Dim e = w.rankKnown() && w.rank() == 2 ? w.dims.get(1) : Dim.UNKNOWN;
    Printer p = Printer.forAll(query, key, value, w);
    String got = p.shape(query) + (k == q ? "" : ", key " + p.shape(key) + ", value "
        + p.shape(value));
    for (Shape s : List.of(query, key, value)) {
      if (s.rankKnown() && s.rank() != 2 && s.rank() != 3 || s.minRank() > 3) {
        return op.fail("expected a query (N, L, E) or (L, E), got " + got);
      }
    }
    if (query.rankKnown() && (key.rankKnown() && key.rank() != query.rank()
        || value.rankKnown() && value.rank() != query.rank())) {
      return op.fail("query, key and value need the same number of dimensions, got " + got);
    }
    String[] names = {"query", "key", "value"};
    Shape[] all = {query, key, value};
    for (int i = 0; i < 3; i++) {
      Dim last = all[i].fromEnd(1);
      if (last.known() && e.known() && last.provablyDiffers(e)) {
        return op.fail("the " + names[i] + " " + p.shape(all[i]) + " has " + p.dim(last)
            + " features, but the layer's embedding size is " + p.dim(e) + " (inProjWeight "
            + p.shape(w) + "); project it to " + p.dim(e) + " first");
      }
    }
    Dim s = key.fromEnd(2);
    Dim sv = value.fromEnd(2);
    if (s.known() && sv.known() && s.provablyDiffers(sv)) {
      return op.fail("key " + p.shape(key) + " and value " + p.shape(value) + " differ in "
          + "length (" + p.dim(s) + " and " + p.dim(sv) + "); each key needs its value");
    }
    if (query.rankKnown() && query.rank() == 3) {
      for (Shape other : List.of(key, value)) {
        Dim a = query.dims.get(0);
        Dim b = at(other, 0);
        if (a.known() && b.known() && a.provablyDiffers(b)) {
          return op.fail("query " + p.shape(query) + " and " + p.shape(other) + " differ in the "
              + "batch dimension (" + p.dim(a) + " and " + p.dim(b) + ")");
        }
      }
    }
    return Op.tensor(query);
  }

  /**
   * Logits {@code (N, C, d...)} (or {@code (C)}) and INT64 labels of the logits' shape without
   * the class dimension; a scalar when the reduction is the default mean.
   */
  static Value classLoss(Op op, boolean mean) {
    Shape logits = op.shape(0);
    Shape labels = op.shape(1);
    Printer p = Printer.forAll(logits, labels);
    if (logits.rankKnown() && logits.rank() == 0) {
      return op.fail("expected logits (N, C, ...) or (C), got a scalar");
    }
    if (logits.rankKnown()) {
      int classDim = logits.rank() == 1 ? 0 : 1;
      List<Dim> expected = new ArrayList<>(logits.dims);
      expected.remove(classDim);
      Shape want = Shape.of(expected);
      boolean bad = labels.rankKnown() && labels.rank() != expected.size()
          || !labels.rankKnown() && labels.minRank() > expected.size();
      for (int k = 1; !bad && k <= Math.min(labels.dims.size(), expected.size()); k++) {
        Dim a = labels.fromEnd(k);
        Dim b = want.fromEnd(k);
        bad = a.known() && b.known() && a.provablyDiffers(b);
      }
      if (bad) {
        Printer q = Printer.forAll(logits, labels, want);
        String hint = labels.rankKnown() && labels.rank() == expected.size() + 1
            && labels.fromEnd(1).isOne() ? "; squeeze the labels' last dimension" : "";
        return op.fail("labels " + q.shape(labels) + " do not fit logits " + q.shape(logits)
            + ": the labels need the logits' shape without the class dimension, "
            + q.shape(want) + hint);
      }
    }
    return mean ? Op.tensor(Shape.scalar()) : Value.unknownTensor();
  }

  /** A prediction and a target of equal shapes (not broadcast); a scalar for the mean. */
  static Value elementLoss(Op op, boolean mean) {
    Shape a = op.shape(0);
    Shape b = op.shape(1);
    boolean differ = a.rankKnown() && b.rankKnown() && a.rank() != b.rank()
        || a.rankKnown() && b.minRank() > a.rank() || b.rankKnown() && a.minRank() > b.rank();
    for (int k = 1; !differ && k <= Math.min(a.dims.size(), b.dims.size()); k++) {
      differ = a.fromEnd(k).known() && b.fromEnd(k).known()
          && a.fromEnd(k).provablyDiffers(b.fromEnd(k));
    }
    if (differ) {
      Printer p = Printer.forAll(a, b);
      return op.fail("prediction " + p.shape(a) + " and target " + p.shape(b) + " differ in "
          + "shape (Adjoint does not broadcast them, unlike PyTorch, since that is rarely "
          + "meant); reshape one to the other");
    }
    return mean ? Op.tensor(Shape.scalar()) : Value.unknownTensor();
  }
}
