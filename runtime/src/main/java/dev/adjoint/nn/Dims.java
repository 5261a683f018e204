package dev.adjoint.nn;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * Shape checks and shape arithmetic for the layers' forward methods. They take shapes
 * ({@code int[]}, not differentiated), so differentiated code calls them freely; each check
 * throws an {@link IllegalArgumentException} naming the layer, the input's shape and what the
 * layer expects.
 */
final class Dims {
  private Dims() {}

  /** The input of {@code op} must end in the {@code in} features of a {@code (out, in)} weight. */
  static void features(String op, int[] input, int[] weight) {
    int in = weight[1];
    if (input.length == 0 || input[input.length - 1] != in) {
      throw new IllegalArgumentException(op + ": input " + Shapes.str(input) + " must end in "
          + in + " features (weight " + Shapes.str(weight) + "); reshape it to (..., " + in + ")");
    }
  }

  /** The input's trailing dimensions must be {@code trailing}. */
  static void trailing(String op, int[] input, int[] trailing) {
    boolean fits = input.length >= trailing.length;
    for (int i = 0; fits && i < trailing.length; i++) {
      fits = input[input.length - trailing.length + i] == trailing[i];
    }
    if (!fits) {
      throw new IllegalArgumentException(op + ": input " + Shapes.str(input) + " does not end "
          + "in the normalized shape " + Shapes.str(trailing));
    }
  }

  /** The channel count of a batch-norm input {@code (N, C, ...)}, checked against the layer. */
  static int channels(String op, int[] input, Tensor weight, Tensor runningMean) {
    if (input.length < 2 || input.length > 4) {
      throw new IllegalArgumentException(op + ": expected an (N, C), (N, C, L) or (N, C, H, W) "
          + "input, got " + Shapes.str(input));
    }
    Tensor perChannel = weight != null ? weight : runningMean;
    if (perChannel != null && perChannel.size(0) != input[1]) {
      throw new IllegalArgumentException(op + ": input " + Shapes.str(input) + " has "
          + input[1] + " channels in dimension 1, the layer has " + perChannel.size(0));
    }
    return input[1];
  }

  /** Batch statistics need more than one value per channel (PyTorch's check). */
  static void severalPerChannel(String op, int[] input) {
    if (product(input) / input[1] <= 1) {
      throw new IllegalArgumentException(op + ": expected more than 1 value per channel when "
          + "training, got input " + Shapes.str(input) + "; use a larger batch or eval()");
    }
  }

  /** Queries (N, L, E), keys and values (N, S, E), or all three unbatched. */
  static void attention(String op, int[] q, int[] k, int[] v, int e, int heads) {
    boolean ranks = (q.length == 3 || q.length == 2) && k.length == q.length
        && v.length == q.length;
    boolean fits = ranks && q[q.length - 1] == e && k[k.length - 1] == e && v[v.length - 1] == e
        && k[k.length - 2] == v[v.length - 2] && (q.length == 2 || q[0] == k[0] && k[0] == v[0]);
    if (!fits) {
      throw new IllegalArgumentException(op + ": expected query (N, L, " + e + "), key and value "
          + "(N, S, " + e + ") (or all without N), got " + Shapes.str(q) + ", " + Shapes.str(k)
          + ", " + Shapes.str(v) + " (" + heads + " heads)");
    }
  }

  /**
   * The number of classes of log-probabilities {@code (N, C, ...)} or {@code (C)}, after checking
   * the labels (INT64, the shape without C, each a class or the ignored index), the class weights
   * ({@code (C)} or null) and the smoothing (in [0, 1]).
   */
  static int classLabels(String op, int[] logp, Tensor labels, Tensor weight, int ignoreIndex,
      double smoothing) {
    if (logp.length == 0) {
      throw new IllegalArgumentException(op + ": expected logits (N, C, ...) or (C), got a "
          + "scalar");
    }
    int classDim = logp.length == 1 ? 0 : 1;
    int classes = logp[classDim];
    int[] expected = new int[logp.length - 1];
    for (int i = 0, j = 0; i < logp.length; i++) {
      if (i != classDim) expected[j++] = logp[i];
    }
    if (labels.dtype() != DType.INT64 || !Arrays.equals(labels.shape(), expected)) {
      throw new IllegalArgumentException(op + ": labels must be INT64 class indices of shape "
          + Shapes.str(expected) + " for input " + Shapes.str(logp) + ", got " + labels.dtype()
          + " " + Shapes.str(labels.shape()));
    }
    if (weight != null && (weight.dim() != 1 || weight.size(0) != classes
        || !weight.dtype().isFloating())) {
      throw new IllegalArgumentException(op + ": class weights must be a floating tensor ["
          + classes + "], got " + weight.dtype() + " " + Shapes.str(weight.shape()));
    }
    if (!(smoothing >= 0 && smoothing <= 1)) {
      throw new IllegalArgumentException(op + ": label smoothing must be in [0, 1], got "
          + smoothing);
    }
    long[] v = labels.toLongArray();
    for (int i = 0; i < v.length; i++) {
      if ((v[i] < 0 || v[i] >= classes) && v[i] != ignoreIndex) {
        throw new IllegalArgumentException(op + ": label " + v[i] + " (element " + i + " of "
            + Shapes.str(labels.shape()) + ") is out of range for " + classes + " classes and is "
            + "not the ignored index " + ignoreIndex);
      }
    }
    return classes;
  }

  /** The permutation that moves dimension 1 (the classes) last: {@code [0, 2, ..., 1]}. */
  static int[] classLast(int rank) {
    int[] order = new int[rank];
    for (int i = 0; i < rank; i++) order[i] = i;
    if (rank > 2) {
      for (int i = 1; i < rank - 1; i++) order[i] = i + 1;
      order[rank - 1] = 1;
    }
    return order;
  }

  /** Element-wise losses want a prediction and a target of one shape. */
  static void sameShape(String op, int[] prediction, int[] target) {
    if (!Arrays.equals(prediction, target)) {
      throw new IllegalArgumentException(op + ": prediction " + Shapes.str(prediction)
          + " and target " + Shapes.str(target) + " differ in shape; reshape one (PyTorch "
          + "would broadcast them, which is rarely what is meant)");
    }
  }

  static void positive(String op, String name, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException(op + ": " + name + " must be positive, got " + value);
    }
  }

  /** The input must have one of the given ranks. */
  static void rankIn(String op, int[] input, String layout, int... ranks) {
    for (int r : ranks) {
      if (input.length == r) return;
    }
    throw new IllegalArgumentException(op + ": expected a " + layout + " input, got "
        + Shapes.str(input));
  }

  /** Dimension {@code dim} of the input must be {@code size}. */
  static void sizeIs(String op, int[] input, int dim, int size, String what) {
    if (input.length <= dim || input[dim] != size) {
      throw new IllegalArgumentException(op + ": input " + Shapes.str(input) + " must have "
          + size + " " + what + " in dimension " + dim);
    }
  }

  /** INT64 indices in {@code [0, size)}. */
  static void indices(String op, Tensor indices, int size) {
    if (indices.dtype() != DType.INT64) {
      throw new IllegalArgumentException(op + ": indices must be INT64, got " + indices.dtype()
          + " " + Shapes.str(indices.shape()));
    }
    long[] v = indices.toLongArray();
    for (int i = 0; i < v.length; i++) {
      if (v[i] < 0 || v[i] >= size) {
        throw new IllegalArgumentException(op + ": index " + v[i] + " (element " + i + " of "
            + Shapes.str(indices.shape()) + ") is out of range for " + size + " rows");
      }
    }
  }

  /** A copy of {@code shape} with its last size replaced. */
  static int[] withLast(int[] shape, int last) {
    int[] s = shape.clone();
    s[s.length - 1] = last;
    return s;
  }

  /** {@code shape} followed by {@code more}. */
  static int[] append(int[] shape, int... more) {
    int[] s = Arrays.copyOf(shape, shape.length + more.length);
    System.arraycopy(more, 0, s, shape.length, more.length);
    return s;
  }

  /** The leading dimensions of {@code shape} and the product of its last {@code k}. */
  static int[] flattenTrailing(int[] shape, int k) {
    int[] s = Arrays.copyOf(shape, shape.length - k + 1);
    int n = 1;
    for (int i = shape.length - k; i < shape.length; i++) n *= shape[i];
    s[s.length - 1] = n;
    return s;
  }

  /** {@code [1, c, 1, ...]} with {@code rank} dimensions: a per-channel value broadcast. */
  static int[] channel(int rank, int c) {
    int[] s = new int[rank];
    Arrays.fill(s, 1);
    s[1] = c;
    return s;
  }

  static int product(int[] shape) {
    return Shapes.numel(shape);
  }
}
