package dev.adjoint.nn;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * Parameter initializers with {@code torch.nn.init}'s definitions: its fan computation
 * ({@link #fanIn}, {@link #fanOut}), its gains ({@link #gain}), and its bounds and standard
 * deviations. Samples come from the given generator (PyTorch's generator draws other numbers, so
 * values match PyTorch in distribution, not element by element). Every initializer returns a
 * new FLOAT32 tensor, or one of the given dtype; samples are drawn in double and rounded, so a
 * float64 model and a float32 one initialized from equal seeds hold the same values.
 */
public final class Init {
  private Init() {}

  /** The nonlinearities {@link #gain} knows, as {@code torch.nn.init.calculate_gain} names them. */
  public enum Nonlinearity {
    LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D, SIGMOID,
    TANH, RELU, LEAKY_RELU, SELU
  }

  /** Which fan the Kaiming initializers preserve the variance of. */
  public enum FanMode {
    /** Forward pass: the variance of activations. PyTorch's default. */
    FAN_IN,
    /** Backward pass: the variance of gradients. */
    FAN_OUT
  }

  /**
   * The recommended gain for a nonlinearity ({@code calculate_gain}): 1 for linear, convolutions
   * and sigmoid; 5/3 for tanh; sqrt(2) for relu; {@code sqrt(2 / (1 + slope^2))} for leaky relu
   * with {@code param} as the negative slope; 3/4 for selu. {@code param} is read only for leaky
   * relu, where NaN means PyTorch's default slope 0.01.
   */
  public static double gain(Nonlinearity nonlinearity, double param) {
    switch (nonlinearity) {
      case TANH:
        return 5.0 / 3;
      case RELU:
        return Math.sqrt(2.0);
      case LEAKY_RELU: {
        double slope = Double.isNaN(param) ? 0.01 : param;
        return Math.sqrt(2.0 / (1 + slope * slope));
      }
      case SELU:
        return 3.0 / 4;
      default:
        return 1;
    }
  }

  /** {@link #gain(Nonlinearity, double)} with no parameter (leaky relu: slope 0.01). */
  public static double gain(Nonlinearity nonlinearity) {
    return gain(nonlinearity, Double.NaN);
  }

  /**
   * {@code shape[1]} times the receptive field ({@code shape[2] * shape[3] * ...}): the number of
   * inputs that each output of a {@code Linear} weight (out, in) or a {@code Conv2d} weight
   * (out, in/groups, kH, kW) sums over.
   */
  public static int fanIn(int... shape) {
    requireMatrix("fanIn", shape);
    return shape[1] * receptiveField(shape);
  }

  /** {@code shape[0]} times the receptive field. */
  public static int fanOut(int... shape) {
    requireMatrix("fanOut", shape);
    return shape[0] * receptiveField(shape);
  }

  private static void requireMatrix(String op, int[] shape) {
    if (shape.length < 2) {
      throw new IllegalArgumentException("Init." + op + ": fan in and fan out cannot be computed "
          + "for a tensor with fewer than 2 dimensions (shape " + Shapes.str(shape) + ")");
    }
  }

  private static int receptiveField(int[] shape) {
    int r = 1;
    for (int i = 2; i < shape.length; i++) r *= shape[i];
    return r;
  }

  private static int fan(String op, FanMode mode, int[] shape) {
    requireMatrix(op, shape);
    return mode == FanMode.FAN_IN ? fanIn(shape) : fanOut(shape);
  }

  /** Samples of U(low, high). */
  public static Tensor uniform(RandomGenerator random, double low, double high, int... shape) {
    return uniform(DType.FLOAT32, random, low, high, shape);
  }

  public static Tensor uniform(DType dtype, RandomGenerator random, double low, double high,
      int... shape) {
    if (!(low <= high)) {
      throw new IllegalArgumentException("Init.uniform: low " + low + " is above high " + high);
    }
    return Tensor.rand(DType.FLOAT64, random, shape).mul(high - low).add(low).to(dtype);
  }

  /** Samples of N(mean, std^2). */
  public static Tensor normal(RandomGenerator random, double mean, double std, int... shape) {
    return normal(DType.FLOAT32, random, mean, std, shape);
  }

  public static Tensor normal(DType dtype, RandomGenerator random, double mean, double std,
      int... shape) {
    if (!(std >= 0)) {
      throw new IllegalArgumentException("Init.normal: std " + std + " is negative");
    }
    return Tensor.randn(DType.FLOAT64, random, shape).mul(std).add(mean).to(dtype);
  }

  /**
   * Samples of N(mean, std^2) redrawn until they fall in [low, high] ({@code trunc_normal_}, whose
   * defaults are mean 0, std 1, [-2, 2]).
   */
  public static Tensor truncatedNormal(DType dtype, RandomGenerator random, double mean,
      double std, double low, double high, int... shape) {
    if (!(std > 0) || !(low < high) || mean + 6 * std < low || mean - 6 * std > high) {
      throw new IllegalArgumentException("Init.truncatedNormal: mean " + mean + ", std " + std
          + " and [" + low + ", " + high + "] need std > 0 and an interval within 6 std of the "
          + "mean");
    }
    double[] d = new double[Shapes.numel(shape)];
    for (int i = 0; i < d.length; i++) {
      double v;
      do {
        v = mean + std * random.nextGaussian();
      } while (v < low || v > high);
      d[i] = v;
    }
    return Tensor.of(d, shape).to(dtype);
  }

  public static Tensor zeros(DType dtype, int... shape) {
    return Tensor.zeros(dtype, shape);
  }

  public static Tensor ones(DType dtype, int... shape) {
    return Tensor.ones(dtype, shape);
  }

  public static Tensor constant(DType dtype, double value, int... shape) {
    return Tensor.full(dtype, value, shape);
  }

  /**
   * {@code kaiming_uniform_}: U(-b, b) with {@code b = gain * sqrt(3 / fan)}, the gain of
   * {@code nonlinearity} with parameter {@code a} (the negative slope of a leaky relu).
   * {@code Linear} and {@code Conv2d} initialize their weights with {@code a = sqrt(5)},
   * {@code FAN_IN}, {@code LEAKY_RELU}: {@code b = 1 / sqrt(fanIn)}.
   */
  public static Tensor kaimingUniform(DType dtype, RandomGenerator random, double a,
      FanMode mode, Nonlinearity nonlinearity, int... shape) {
    double std = gain(nonlinearity, a) / Math.sqrt(fan("kaimingUniform", mode, shape));
    double bound = Math.sqrt(3.0) * std;
    return uniform(dtype, random, -bound, bound, shape);
  }

  /** PyTorch's defaults: a = 0, fan in, leaky relu (gain sqrt(2)); FLOAT32. */
  public static Tensor kaimingUniform(RandomGenerator random, int... shape) {
    return kaimingUniform(DType.FLOAT32, random, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU,
        shape);
  }

  /** {@code kaiming_normal_}: N(0, std^2) with {@code std = gain / sqrt(fan)}. */
  public static Tensor kaimingNormal(DType dtype, RandomGenerator random, double a,
      FanMode mode, Nonlinearity nonlinearity, int... shape) {
    double std = gain(nonlinearity, a) / Math.sqrt(fan("kaimingNormal", mode, shape));
    return normal(dtype, random, 0, std, shape);
  }

  /** PyTorch's defaults: a = 0, fan in, leaky relu; FLOAT32. */
  public static Tensor kaimingNormal(RandomGenerator random, int... shape) {
    return kaimingNormal(DType.FLOAT32, random, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU,
        shape);
  }

  /**
   * {@code xavier_uniform_} (Glorot): U(-b, b) with
   * {@code b = gain * sqrt(6 / (fanIn + fanOut))}.
   */
  public static Tensor xavierUniform(DType dtype, RandomGenerator random, double gain,
      int... shape) {
    requireMatrix("xavierUniform", shape);
    double bound = gain * Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
    return uniform(dtype, random, -bound, bound, shape);
  }

  /** Gain 1, FLOAT32. */
  public static Tensor xavierUniform(RandomGenerator random, int... shape) {
    return xavierUniform(DType.FLOAT32, random, 1, shape);
  }

  /** {@code xavier_normal_}: N(0, std^2) with {@code std = gain * sqrt(2 / (fanIn + fanOut))}. */
  public static Tensor xavierNormal(DType dtype, RandomGenerator random, double gain,
      int... shape) {
    requireMatrix("xavierNormal", shape);
    double std = gain * Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape)));
    return normal(dtype, random, 0, std, shape);
  }

  /** Gain 1, FLOAT32. */
  public static Tensor xavierNormal(RandomGenerator random, int... shape) {
    return xavierNormal(DType.FLOAT32, random, 1, shape);
  }

  /**
   * The default initialization of {@code Linear} and {@code Conv2d} weights
   * ({@code kaiming_uniform_(a=sqrt(5))}): U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
   */
  static Tensor layerWeight(DType dtype, RandomGenerator random, int... shape) {
    return kaimingUniform(dtype, random, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU,
        shape);
  }

  /** Their biases: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) of the weight's fan in (0 when it is 0). */
  static Tensor layerBias(DType dtype, RandomGenerator random, int fanIn, int size) {
    double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    return uniform(dtype, random, -bound, bound, size);
  }
}
