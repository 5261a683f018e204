package dev.adjoint.tensor;

/**
 * The backend SPI: one implementation per device. {@link Tensor} checks shapes, dtypes and
 * devices and lays out views; a backend only runs kernels on the tensors it is given, which are
 * all on its device. Results are new, contiguous tensors.
 */
public interface Backend {
  /** The device this backend serves. */
  Device device();

  /** A zero-filled buffer. */
  Storage allocate(DType dtype, int length);

  /** A buffer holding a copy of a {@code float[]}, {@code double[]} or {@code long[]}. */
  Storage upload(Object array);

  /** The elements of a tensor in row-major order, as {@code float[]}, {@code double[]}... */
  Object download(Tensor t);

  /** Element-wise {@code op(x)}. */
  Tensor unary(UnaryOp op, Tensor x, double parameter);

  /** Element-wise {@code op(a, b)}; both already broadcast to {@code shape}. */
  Tensor binary(BinaryOp op, Tensor a, Tensor b, int[] shape, DType result);

  /** {@code cond != 0 ? a : b}, all three already broadcast to {@code shape}. */
  Tensor where(Tensor cond, Tensor a, Tensor b, int[] shape);

  /** A reduction over one dimension ({@code dim} >= 0) or all ({@code dim} = -1). */
  Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim);

  /** {@code [..., m, k] @ [..., k, n]}, batch dimensions already equal. */
  Tensor matmul(Tensor a, Tensor b);

  /** A contiguous copy of any view, converted to {@code dtype}. */
  Tensor copy(Tensor x, DType dtype);

  /** {@code out[..., i, ...] = x[..., index[i], ...]} along {@code dim}; index is INT64, 1-D. */
  Tensor indexSelect(Tensor x, int dim, Tensor index);

  /** {@code out[i][j] = x[i][index[i][j]]} along {@code dim} (PyTorch's gather). */
  Tensor gather(Tensor x, int dim, Tensor index);

  /** Concatenation along {@code dim} of tensors with equal other dimensions and dtype. */
  Tensor cat(Tensor[] xs, int dim);

  /**
   * im2col: {@code [N, C, H, W]} to {@code [N, C*k*k, OH*OW]}, each column one k x k window
   * (outside the image: {@code padValue}).
   */
  Tensor unfold(Tensor x, Window w, double padValue);

  /**
   * {@code conv2d} of {@code [N, C, H, W]} with {@code [O, C, k, k]} (one group, no bias) as
   * {@code [N, O, OH*OW]}, or null where this backend has no kernel of its own for these
   * operands: the caller then composes {@link #unfold} and {@link #matmul}.
   */
  default Tensor conv2d(Tensor x, Tensor weight, Window w) {
    return null;
  }

  /**
   * The input gradient of a one-group {@link #conv2d}: {@code grad} {@code [N, O, OH, OW]} and
   * {@code weight} {@code [O, C, k, k]} back to {@code [N, C, H, W]} ({@code inputShape}), or
   * null where the caller should compose {@link #matmul} and {@link #fold}.
   */
  default Tensor conv2dInputGrad(Tensor grad, Tensor weight, int[] inputShape, Window w) {
    return null;
  }

  /**
   * The weight gradient of a one-group {@link #conv2d}: {@code [O, C, k, k]} from the input
   * {@code [N, C, H, W]} and {@code grad} {@code [N, O, OH, OW]}, summed over the batch, or null
   * where the caller should compose {@link #unfold} and {@link #matmul}.
   */
  default Tensor conv2dWeightGrad(Tensor input, Tensor grad, int[] weightShape, Window w) {
    return null;
  }

  /**
   * Max pooling of {@code [N, C, H, W]} with padding read as -inf: {@code {values, indices}},
   * both {@code [N, C, OH, OW]}, the indices INT64 and flat within each {@code H x W} plane
   * (PyTorch's {@code max_pool2d_with_indices}); the first maximum in window order wins, and
   * NaN propagates. Null where the caller should compose {@link #unfold} and reductions.
   */
  default Tensor[] maxPool2d(Tensor x, Window w) {
    return null;
  }

  /**
   * The adjoint of {@link #gather}: zeros of {@code shape} (in src's dtype) with
   * {@code out[..., index[i], ...] += src[..., i, ...]} along {@code dim}; {@code src} has
   * index's shape. Null where the caller should compose (a one-hot product).
   */
  default Tensor gatherBackward(int[] shape, int dim, Tensor index, Tensor src) {
    return null;
  }

  /**
   * relu's derivative applied to {@code g}: {@code g * (x > 0)} in g's dtype, {@code g} and
   * {@code x} of one shape. Null where the caller should compose a comparison and a product.
   */
  default Tensor reluBackward(Tensor g, Tensor x) {
    return null;
  }

  /**
   * One optimizer step of one parameter, fused: {@code [param', state'...]} from the parameter,
   * its gradient (same shape and dtype, any layout) and its state ({@link
   * ParamUpdate#stateCount} tensors, null before the first step). Results are new tensors; the
   * inputs are left as they are. The default composes ordinary tensor operations ({@link
   * ParamUpdate#compose}), so that every device runs every optimizer; a backend overrides it
   * with one pass over the elements that writes the new parameter and state and nothing else.
   */
  default Tensor[] update(ParamUpdate update, Tensor param, Tensor grad, Tensor[] state) {
    return update.compose(param, grad, state);
  }

  /** col2im, the adjoint of {@link #unfold}: windows summed back into {@code [N, C, H, W]}. */
  Tensor fold(Tensor cols, int channels, int height, int width, Window w);

  /** A square sliding window: size, stride, padding, dilation. */
  record Window(int kernel, int stride, int padding, int dilation) {
    /** Output size along a dimension of {@code size}. */
    public int out(int size) {
      return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
    }
  }

  /**
   * Element-wise unary operations, named as the {@link Tensor} methods they serve. The
   * {@code parameter} of {@link #unary} is the exponent of {@code POW} and the bound of
   * {@code CLAMP_MIN}/{@code CLAMP_MAX}; {@code STEP} is 1 where x &gt; 0, else 0 (relu's
   * derivative).
   */
  enum UnaryOp {
    NEG, EXP, LOG, SQRT, ABS, TANH, SIGMOID, RELU, SIN, COS, POW, CLAMP_MIN, CLAMP_MAX, SIGN,
    STEP, LOG1P, ERF
  }

  /** Element-wise binary operations; comparisons give 1 or 0. */
  enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, GT, LT, EQ
  }

  /** Reductions; ARGMAX gives INT64 indices. */
  enum ReduceOp {
    SUM, MAX, ARGMAX
  }
}
