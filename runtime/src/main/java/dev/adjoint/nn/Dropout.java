package dev.adjoint.nn;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Inverted dropout, {@code torch.nn.Dropout}: in training mode each element is zeroed with
 * probability {@code p} and the others are scaled by {@code 1 / (1 - p)}, so that the expected
 * output is the input; in eval mode it is the identity.
 *
 * <p><b>Randomness is an argument.</b> {@link #forward(Tensor, long)} takes a seed, and the mask
 * is a function of the seed and the input's shape only (a {@link SplittableRandom} of that seed
 * fills it). Derivative code may run a forward pass again ({@code @Checkpoint} recomputes the
 * methods it marks, and each generated method runs the forward itself), and a generator that
 * moved on would then draw another mask than the one the output was computed with. With a
 * seed, every recomputation draws the same mask, as with JAX's random keys. Draw one seed per
 * step from a seeded generator of your own ({@code random.nextLong()}), and give each dropout of
 * a model its own ({@code seed + 1}, {@code seed + 2}, ...).
 *
 * @param p the probability of zeroing an element, in [0, 1] (boxed so that it is carried, not
 *     differentiated)
 * @param training whether to drop anything
 */
public record Dropout(Double p, boolean training) {
  public Dropout {
    if (p == null || !(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("Dropout: the probability p must be in [0, 1], got " + p);
    }
  }

  /** In training mode. */
  public static Dropout of(double p) {
    return new Dropout(p, true);
  }

  public Dropout train() {
    return new Dropout(p, true);
  }

  public Dropout eval() {
    return new Dropout(p, false);
  }

  @Differentiable
  public Tensor forward(Tensor x, @NoDerivative long seed) {
    double drop = p.doubleValue();
    if (!training || drop == 0) return x;
    return x.mul(mask(x.shape(), x.dtype(), drop, seed));
  }

  /** 0 where dropped, {@code 1 / (1 - p)} elsewhere (0 everywhere at p = 1). */
  static Tensor mask(int[] shape, DType dtype, double p, long seed) {
    Tensor u = Tensor.rand(DType.FLOAT64, new SplittableRandom(seed), shape);
    return u.gt(p).to(dtype).mul(p == 1 ? 0 : 1 / (1 - p));
  }
}
