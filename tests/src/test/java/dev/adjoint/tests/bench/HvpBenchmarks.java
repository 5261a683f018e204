package dev.adjoint.tests.bench;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import dev.adjoint.tests.corpus.Tensors;
import dev.adjoint.tests.corpus.Tensors_MlpDerivatives;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Gradient and Hessian-vector product of a two-layer MLP's cross-entropy, float32, one thread:
 * x [256, 784], w1 [784, 256], w2 [256, 10] (the model of {@code peers/mlp_hvp.py}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
    "-Dadjoint.threads=1"})
public class HvpBenchmarks {
  static final int N = 256;
  static final int D = 784;
  static final int H = 256;
  static final int C = 10;

  Tensors.Mlp model;
  Tensors.Mlp direction;
  Tensor x;
  Tensor labels;

  @Setup
  public void setup() {
    Random r = new Random(0);
    model = new Tensors.Mlp(randn(r, 0.05, D, H), randn(r, 0.05, H), randn(r, 0.05, H, C),
        randn(r, 0.05, C));
    direction = new Tensors.Mlp(randn(r, 1, D, H), randn(r, 1, H), randn(r, 1, H, C),
        randn(r, 1, C));
    x = randn(r, 1, N, D);
    long[] l = new long[N];
    for (int i = 0; i < N; i++) l[i] = r.nextInt(C);
    labels = Tensor.of(l, N);
  }

  private static Tensor randn(Random r, double scale, int... shape) {
    return Tensor.randn(DType.FLOAT32, r, shape).mul(scale);
  }

  @Benchmark
  public Tensors.Mlp grad() {
    return Tensors_MlpDerivatives.lossGrad(model, x, labels);
  }

  @Benchmark
  public Tensors.Mlp hvp() {
    return Tensors_MlpDerivatives.lossHvp(model, x, labels, direction);
  }
}
