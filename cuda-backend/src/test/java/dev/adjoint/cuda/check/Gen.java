package dev.adjoint.cuda.check;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/** Fresh random inputs of one floating dtype (the suite runs each case in float64 and float32). */
public final class Gen {
  final RandomGenerator random;
  final DType dtype;

  Gen(RandomGenerator random, DType dtype) {
    this.random = random;
    this.dtype = dtype;
  }

  /** Standard normal values. */
  public Tensor rand(int... shape) {
    return Tensor.randn(DType.FLOAT64, random, shape).to(dtype);
  }

  /** Values in [0.5, 2.5): for log, sqrt, pow and divisors. */
  public Tensor positive(int... shape) {
    return Tensor.rand(DType.FLOAT64, random, shape).mul(2).add(0.5).to(dtype);
  }

  /** INT64 values in [0, bound). */
  public Tensor index(int bound, int... shape) {
    int n = 1;
    for (int s : shape) n *= s;
    long[] v = new long[n];
    for (int i = 0; i < n; i++) v[i] = random.nextInt(bound);
    return Tensor.of(v, shape);
  }

  /** A 0/1 INT64 mask. */
  public Tensor mask(int... shape) {
    return index(2, shape);
  }

  /** Integers in [-bound, bound] as this dtype (ties and exact comparisons). */
  public Tensor small(int bound, int... shape) {
    return index(2 * bound + 1, shape).sub(Tensor.scalar(DType.INT64, bound)).to(dtype);
  }

  public double scalar() {
    return Math.round(random.nextGaussian() * 100) / 40.0;
  }
}
