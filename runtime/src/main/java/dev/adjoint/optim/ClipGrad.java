package dev.adjoint.optim;

import dev.adjoint.nn.ModelTree;
import dev.adjoint.tensor.Tensor;
import java.util.Objects;

/**
 * Gradient clipping over a whole gradient record, as PyTorch's
 * {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_} over a model's
 * parameters: the leaves that an optimizer trains (non-null floating tensors that are not
 * {@link dev.adjoint.nn.Buffer}s) count and are scaled; the others are copied.
 */
public final class ClipGrad {
  private ClipGrad() {}

  /** A clipped gradient and the total norm it had before clipping. */
  public record Clipped<M>(M grad, double totalNorm) {}

  /** {@code byNorm(grad, maxNorm, 2, false)}. */
  public static <M> Clipped<M> byNorm(M grad, double maxNorm) {
    return byNorm(grad, maxNorm, 2, false);
  }

  /** {@code byNorm(grad, maxNorm, normType, false)}. */
  public static <M> Clipped<M> byNorm(M grad, double maxNorm, double normType) {
    return byNorm(grad, maxNorm, normType, false);
  }

  /**
   * PyTorch's {@code clip_grad_norm_}: the total {@code normType}-norm of all gradients as one
   * vector ({@code Double.POSITIVE_INFINITY} for the largest magnitude); if
   * {@code maxNorm / (total + 1e-6)} is below 1, every gradient times that factor. A NaN or
   * infinite total scales the gradients by it (PyTorch's default) unless
   * {@code errorIfNonfinite}, which throws.
   */
  public static <M> Clipped<M> byNorm(M grad, double maxNorm, double normType,
      boolean errorIfNonfinite) {
    Objects.requireNonNull(grad, "grad");
    ModelTree<M> tree = ModelTree.of(grad);
    Tensor[] g = tree.tensors(grad);
    boolean[] counted = counted(tree, grad, g);
    double total = totalNorm(g, counted, normType);
    if (errorIfNonfinite && !Double.isFinite(total)) {
      throw new IllegalArgumentException("ClipGrad.byNorm: the total norm of order " + normType
          + " of the gradients is " + total + ", so it cannot be clipped; pass "
          + "errorIfNonfinite = false to scale the gradients by it anyway");
    }
    double coef = maxNorm / (total + 1e-6);
    if (!(coef >= 1)) {
      for (int i = 0; i < g.length; i++) if (counted[i]) g[i] = g[i].mul(coef);
      grad = tree.rebuild(grad, g);
    }
    return new Clipped<>(grad, total);
  }

  /** The total {@code normType}-norm of the gradients that {@link #byNorm} counts. */
  public static double totalNorm(Object grad, double normType) {
    Objects.requireNonNull(grad, "grad");
    @SuppressWarnings("unchecked")
    ModelTree<Object> tree = (ModelTree<Object>) ModelTree.of(grad.getClass());
    Tensor[] g = tree.tensors(grad);
    return totalNorm(g, counted(tree, grad, g), normType);
  }

  /** PyTorch's {@code clip_grad_value_}: every gradient element clamped to ±{@code clip}. */
  public static <M> M byValue(M grad, double clipValue) {
    Objects.requireNonNull(grad, "grad");
    if (!(clipValue >= 0)) {
      throw new IllegalArgumentException("ClipGrad.byValue: clip value " + clipValue
          + " must be >= 0");
    }
    ModelTree<M> tree = ModelTree.of(grad);
    Tensor[] g = tree.tensors(grad);
    boolean[] counted = counted(tree, grad, g);
    for (int i = 0; i < g.length; i++) if (counted[i]) g[i] = g[i].clamp(-clipValue, clipValue);
    return tree.rebuild(grad, g);
  }

  private static <M> boolean[] counted(ModelTree<M> tree, M grad, Tensor[] g) {
    boolean[] buffers = tree.buffers(grad);
    boolean[] out = new boolean[g.length];
    for (int i = 0; i < g.length; i++) {
      out[i] = !buffers[i] && g[i] != null && g[i].dtype().isFloating();
    }
    return out;
  }

  private static double totalNorm(Tensor[] g, boolean[] counted, double p) {
    if (!(p > 0)) {
      throw new IllegalArgumentException("ClipGrad: norm type " + p + " must be positive "
          + "(or Double.POSITIVE_INFINITY)");
    }
    double acc = 0;
    for (int i = 0; i < g.length; i++) {
      if (!counted[i] || g[i].numel() == 0) continue;
      if (p == Double.POSITIVE_INFINITY) {
        acc = Math.max(acc, g[i].abs().max().item());
      } else if (p == 2) {
        acc += g[i].mul(g[i]).sum().item();
      } else {
        acc += g[i].abs().pow(p).sum().item();
      }
    }
    if (p == Double.POSITIVE_INFINITY) return acc;
    return p == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / p);
  }
}
