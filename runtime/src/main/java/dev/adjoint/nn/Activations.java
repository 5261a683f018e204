package dev.adjoint.nn;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;

/**
 * The activation functions of {@code torch.nn.functional} that {@link Tensor} does not have
 * itself ({@code relu}, {@code sigmoid}, {@code tanh}, {@code softmax} are on {@code Tensor}),
 * element-wise, with PyTorch's definitions, defaults and derivatives, including the derivative
 * PyTorch takes at each kink (leaky relu and elu at 0, hardtanh at its bounds, ...).
 *
 * <p>Each is built from tensor operations, so its derivatives of every order come from theirs.
 * Where a branch could overflow (the exponential in elu for large x), the branch not taken is
 * computed on a clamped input, so that no infinity meets a zero in the derivative. Parameters
 * (slopes, bounds, beta) are {@link NoDerivative}: hyperparameters, not inputs, as in PyTorch.
 */
public final class Activations {
  private Activations() {}

  // Package-private, not private: the generated ActivationsDerivatives reads them (a private
  // constant that is not a compile-time constant, such as Math.sqrt(0.5), would not compile).
  static final double SQRT1_2 = Math.sqrt(0.5);
  static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /** {@code x * Phi(x) = x/2 * (1 + erf(x / sqrt 2))}: PyTorch's default, exact GELU. */
  @Differentiable
  public static Tensor gelu(Tensor x) {
    return x.mul(x.mul(SQRT1_2).erf().add(1)).mul(0.5);
  }

  /**
   * GELU's tanh approximation ({@code approximate='tanh'}):
   * {@code x/2 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
   */
  @Differentiable
  public static Tensor geluTanh(Tensor x) {
    Tensor inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI);
    return x.mul(inner.tanh().add(1)).mul(0.5);
  }

  /** {@code x * sigmoid(x)} (swish). */
  @Differentiable
  public static Tensor silu(Tensor x) {
    return x.mul(x.sigmoid());
  }

  /** {@code x * tanh(softplus(x))}. */
  @Differentiable
  public static Tensor mish(Tensor x) {
    return x.mul(softplus(x).tanh());
  }

  /** Negative slope 0.01. */
  @Differentiable
  public static Tensor leakyRelu(Tensor x) {
    return leakyRelu(x, 0.01);
  }

  /** {@code x > 0 ? x : slope * x}; the derivative at 0 is the slope (PyTorch's). */
  @Differentiable
  public static Tensor leakyRelu(Tensor x, @NoDerivative double negativeSlope) {
    return Tensor.where(x.gt(0), x, x.mul(negativeSlope));
  }

  /** Alpha 1. */
  @Differentiable
  public static Tensor elu(Tensor x) {
    return elu(x, 1);
  }

  /** {@code x > 0 ? x : alpha (exp(x) - 1)}; the derivative at 0 is alpha (PyTorch's). */
  @Differentiable
  public static Tensor elu(Tensor x, @NoDerivative double alpha) {
    return Tensor.where(x.gt(0), x, negativePart(x).exp().sub(1).mul(alpha));
  }

  /** {@code scale * elu(x, alpha)} with the self-normalizing constants of PyTorch's selu. */
  @Differentiable
  public static Tensor selu(Tensor x) {
    return elu(x, SELU_ALPHA).mul(SELU_SCALE);
  }

  /** {@code x > 0 ? x : alpha (exp(x / alpha) - 1)}. */
  @Differentiable
  public static Tensor celu(Tensor x, @NoDerivative double alpha) {
    return Tensor.where(x.gt(0), x, negativePart(x).div(alpha).exp().sub(1).mul(alpha));
  }

  /** Beta 1, threshold 20. */
  @Differentiable
  public static Tensor softplus(Tensor x) {
    return softplus(x, 1, 20);
  }

  /**
   * {@code log(1 + exp(beta x)) / beta}, and {@code x} itself where {@code beta x > threshold}
   * (PyTorch's switch to linear, for numerical stability).
   */
  @Differentiable
  public static Tensor softplus(Tensor x, @NoDerivative double beta,
      @NoDerivative double threshold) {
    Tensor z = x.mul(beta);
    Tensor smooth = z.clamp(Double.NEGATIVE_INFINITY, threshold).exp().log1p().div(beta);
    return Tensor.where(z.gt(threshold), x, smooth);
  }

  /** {@code log(sigmoid(x)) = -softplus(-x)}, without overflow or cancellation. */
  @Differentiable
  public static Tensor logSigmoid(Tensor x) {
    // threshold 40: beyond it log1p(exp(z)) and z differ by less than z's rounding
    return softplus(x.neg(), 1, 40).neg();
  }

  /** Bounds -1 and 1. */
  @Differentiable
  public static Tensor hardtanh(Tensor x) {
    return hardtanh(x, -1, 1);
  }

  /**
   * {@code x} clamped to [min, max]; the derivative is 1 strictly inside and 0 on the bounds
   * (PyTorch's).
   */
  @Differentiable
  public static Tensor hardtanh(Tensor x, @NoDerivative double min, @NoDerivative double max) {
    return Tensor.where(x.gt(min).mul(x.lt(max)), x, x.clamp(min, max).detach());
  }

  /** {@code hardtanh(x, 0, 6)}. */
  @Differentiable
  public static Tensor relu6(Tensor x) {
    return hardtanh(x, 0, 6);
  }

  /** {@code clamp(x + 3, 0, 6) / 6}; derivative 1/6 strictly inside (-3, 3). */
  @Differentiable
  public static Tensor hardsigmoid(Tensor x) {
    Tensor shifted = x.add(3);
    return Tensor.where(x.gt(-3).mul(x.lt(3)), shifted.div(6),
        shifted.clamp(0, 6).div(6).detach());
  }

  /** {@code x * clamp(x + 3, 0, 6) / 6}; derivatives as PyTorch's at -3 and 3. */
  @Differentiable
  public static Tensor hardswish(Tensor x) {
    Tensor middle = Tensor.where(x.gt(3), x, x.mul(x.add(3)).div(6));
    return Tensor.where(x.lt(-3), x.zerosLike(), middle);
  }

  /** {@code x / (1 + |x|)}. */
  @Differentiable
  public static Tensor softsign(Tensor x) {
    return x.div(x.abs().add(1));
  }

  /** {@code min(x, 0)}: the branch of elu and celu that may reach the exponential. */
  @Differentiable
  static Tensor negativePart(Tensor x) {
    return x.clamp(Double.NEGATIVE_INFINITY, 0);
  }
}
