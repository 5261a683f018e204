package dev.adjoint.nn;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * Multi-head scaled dot-product attention, {@code torch.nn.MultiheadAttention} with
 * {@code batch_first=True}: queries {@code (N, L, E)} attend to keys and values
 * {@code (N, S, E)} (unbatched {@code (L, E)} and {@code (S, E)} work too) and give
 * {@code (N, L, E)}. Per head h of {@code numHeads}, with {@code d = E / numHeads}:
 * {@code softmax(q_h k_h^T / sqrt(d) + mask) v_h}, the heads concatenated and projected by
 * {@code outProj}. No attention dropout, and keys and values have the embedding size of the
 * queries ({@code kdim = vdim = E}).
 *
 * @param inProjWeight {@code (3E, E)}: the query, key and value projections stacked, as
 *     PyTorch's {@code in_proj_weight}
 * @param inProjBias {@code (3E)}, or null without biases
 * @param outProj {@code (E, E)}, PyTorch's {@code out_proj}
 * @param numHeads the number of heads; E must be divisible by it
 */
public record MultiheadAttention(@Named("in_proj_weight") @Shape("3*E, E") Tensor inProjWeight,
    @Named("in_proj_bias") @Shape("3*E") Tensor inProjBias, @Named("out_proj") Linear outProj, int numHeads) {
  /**
   * PyTorch's initialization: {@code in_proj_weight} Xavier-uniform, {@code in_proj_bias} and
   * the output bias zeros, the output weight as {@link Linear#init}'s; with biases, FLOAT32.
   */
  public static MultiheadAttention init(RandomGenerator random, int embedDim, int numHeads) {
    return init(DType.FLOAT32, random, embedDim, numHeads, true);
  }

  public static MultiheadAttention init(DType dtype, RandomGenerator random, int embedDim,
      int numHeads, boolean bias) {
    if (numHeads < 1 || embedDim % numHeads != 0) {
      throw new IllegalArgumentException("MultiheadAttention.init: embedDim " + embedDim
          + " must be divisible by numHeads " + numHeads);
    }
    Tensor in = Init.xavierUniform(dtype, random, 1, 3 * embedDim, embedDim);
    Linear out = Linear.init(dtype, random, embedDim, embedDim, bias);
    if (bias) out = new Linear(out.weight(), Tensor.zeros(dtype, embedDim));
    return new MultiheadAttention(in, bias ? Tensor.zeros(dtype, 3 * embedDim) : null, out,
        numHeads);
  }

  /**
   * An additive mask {@code (size, size)} that keeps each position from attending to later
   * ones: 0 on and below the diagonal, -inf above
   * ({@code Transformer.generate_square_subsequent_mask}).
   */
  public static Tensor causalMask(DType dtype, int size) {
    Tensor rows = Tensor.arange(DType.INT64, 0, size).unsqueeze(1);
    Tensor cols = Tensor.arange(DType.INT64, 0, size).unsqueeze(0);
    Tensor later = cols.gt(rows).to(dtype);
    return Tensor.where(later, Tensor.full(dtype, Double.NEGATIVE_INFINITY, 1),
        Tensor.zeros(dtype, 1));
  }

  // forward(x) calls forward(x, false), not forward(x, x, x, null), for the same reason as in
  // Losses: the two reverse sweeps would otherwise be named alike.

  /** Self-attention: {@code forward(x, x, x, null)}. */
  @Differentiable
  public Tensor forward(Tensor x) {
    return forward(x, false);
  }

  /** Self-attention, with the causal mask when {@code causal}. */
  @Differentiable
  public Tensor forward(Tensor x, boolean causal) {
    Tensor mask = causal ? causalMask(x.dtype(), x.size(-2)) : null;
    return forward(x, x, x, mask);
  }

  /**
   * Attention of {@code query} to {@code key} and {@code value}, with an additive float
   * {@code attnMask} (null for none) of shape {@code (L, S)} or {@code (N * numHeads, L, S)}, as
   * PyTorch's float masks: it is added to the scaled scores before the softmax, so -inf forbids.
   */
  @Differentiable
  public Tensor forward(Tensor query, Tensor key, Tensor value, @NoDerivative Tensor attnMask) {
    Dims.attention("MultiheadAttention.forward", query.shape(), key.shape(), value.shape(),
        inProjWeight.size(1), numHeads);
    if (query.dim() == 2) {
      return forward(query.unsqueeze(0), key.unsqueeze(0), value.unsqueeze(0), attnMask)
          .squeeze(0);
    }
    int e = inProjWeight.size(1);
    Tensor q = project(query, 0, e);
    Tensor k = project(key, 1, e);
    Tensor v = project(value, 2, e);
    int n = query.size(0);
    int heads = numHeads;
    int d = e / heads;
    Tensor qh = q.reshape(n, -1, heads, d).transpose(1, 2).div(Math.sqrt(d));
    Tensor kh = k.reshape(n, -1, heads, d).transpose(1, 2);
    Tensor vh = v.reshape(n, -1, heads, d).transpose(1, 2);
    Tensor scores = qh.matmul(kh.transpose(2, 3));
    if (attnMask != null) {
      scores = scores.add(attnMask.dim() == 3 ? attnMask.reshape(n, heads,
          attnMask.size(1), attnMask.size(2)) : attnMask);
    }
    Tensor heads3 = scores.softmax(-1).matmul(vh).transpose(1, 2).reshape(n, -1, e);
    return outProj.forward(heads3);
  }

  /**
   * The {@code part}-th of the stacked projections (0 query, 1 key, 2 value) applied to x.
   * Package-private: the generated class calls it (a private instance method would not compile).
   */
  @Differentiable
  Tensor project(Tensor x, int part, int e) {
    Tensor w = inProjWeight.slice(0, part * e, (part + 1) * e);
    Tensor b = inProjBias == null ? null : inProjBias.slice(0, part * e, (part + 1) * e);
    return new Linear(w, b).forward(x);
  }

  public int embedDim() {
    return inProjWeight.size(1);
  }
}
