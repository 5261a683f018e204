package dev.adjoint.nn;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.Shape;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * A lookup table, {@code torch.nn.Embedding}: INT64 indices of any shape {@code (...)} to
 * {@code (..., dim)}.
 *
 * @param weight {@code (num, dim)}
 * @param paddingIdx a row that receives no gradient (its output is still the row's value, as in
 *     PyTorch), or null for none; a boxed {@code Integer} so that null says none, and so that it
 *     is carried, not differentiated
 */
public record Embedding(@Shape("Num, Dim") Tensor weight, Integer paddingIdx) {
  /** PyTorch's initialization: N(0, 1); no padding row; FLOAT32. */
  public static Embedding init(RandomGenerator random, int num, int dim) {
    return init(DType.FLOAT32, random, num, dim, null);
  }

  /**
   * N(0, 1), the padding row (negative counts from the end, as in PyTorch) set to zeros, in the
   * given dtype.
   */
  public static Embedding init(DType dtype, RandomGenerator random, int num, int dim,
      Integer paddingIdx) {
    Integer pad = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + num : paddingIdx;
    if (pad != null && (pad < 0 || pad >= num)) {
      throw new IllegalArgumentException("Embedding.init: padding index " + paddingIdx
          + " is out of range for " + num + " embeddings");
    }
    Tensor w = Init.normal(dtype, random, 0, 1, num, dim);
    if (pad != null) {
      Tensor isPad = Tensor.arange(DType.INT64, 0, num).eq(pad).unsqueeze(1);
      w = Tensor.where(isPad, Tensor.zeros(dtype, 1, 1), w); // +0, as fill_(0)
    }
    return new Embedding(w, pad);
  }

  /** The rows of {@code indices} (INT64, any shape, values in {@code [0, num)}). */
  @Differentiable
  @Shape("..., Dim")
  public Tensor forward(@NoDerivative Tensor indices) {
    int num = weight.size(0);
    Dims.indices("Embedding.forward", indices, num);
    Tensor flat = indices.reshape(-1);
    Tensor rows = weight.indexSelect(0, flat);
    if (paddingIdx != null) {
      // the padding row's value, cut from the gradient
      Tensor isPad = flat.eq(paddingIdx.intValue()).unsqueeze(1);
      rows = Tensor.where(isPad, rows.detach(), rows);
    }
    return rows.reshape(Dims.append(indices.shape(), weight.size(1)));
  }

  public int numEmbeddings() {
    return weight.size(0);
  }

  public int embeddingDim() {
    return weight.size(1);
  }
}
