package dev.adjoint.tests.bench;

import dev.adjoint.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** CPU tensor kernels: float32 matmul on one and two threads, an element-wise op, a sum. */
public final class TensorBenchmarks {
  private TensorBenchmarks() {}

  /** Square float32 matmul. */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @State(Scope.Benchmark)
  public abstract static class Matmul {
    @Param({"256", "512", "1024", "2048"})
    public int n;

    Tensor a;
    Tensor b;

    @Setup
    public void setup() {
      a = Tensor.randn(new Random(1), n, n);
      b = Tensor.randn(new Random(2), n, n);
    }

    @Benchmark
    public Tensor matmul() {
      return a.matmul(b);
    }
  }

  /** One thread. */
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
      "-Dadjoint.threads=1"})
  public static class MatmulOneThread extends Matmul {}

  /** Two threads. */
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
      "-Dadjoint.threads=2"})
  public static class MatmulTwoThreads extends Matmul {}

  /** 16M float32 elements: add, sum, and a plain array copy for the machine's bandwidth. */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
  @State(Scope.Benchmark)
  public static class Elementwise {
    static final int N = 16 * 1024 * 1024;
    Tensor a;
    Tensor b;
    float[] src;
    float[] dst;

    @Setup
    public void setup() {
      a = Tensor.randn(new Random(1), N);
      b = Tensor.randn(new Random(2), N);
      src = a.toFloatArray();
      dst = new float[N];
    }

    @Benchmark
    public Tensor add() {
      return a.add(b);
    }

    @Benchmark
    public Tensor sum() {
      return a.sum();
    }

    @Benchmark
    public float[] copy() {
      System.arraycopy(src, 0, dst, 0, N);
      return dst;
    }
  }

  /** conv2d on a 64 x 32 x 32 x 32 batch, 32 output channels, 3 x 3 kernels, padding 1. */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @State(Scope.Benchmark)
  public abstract static class Conv {
    Tensor x;
    Tensor w;

    @Setup
    public void setup() {
      x = Tensor.randn(new Random(1), 64, 32, 32, 32);
      w = Tensor.randn(new Random(2), 32, 32, 3, 3);
    }

    @Benchmark
    public Tensor conv2d() {
      return x.conv2d(w, null, 1, 1, 1, 1);
    }
  }

  /** One thread. */
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
      "-Dadjoint.threads=1"})
  public static class ConvOneThread extends Conv {}

  /** Two threads. */
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
      "-Dadjoint.threads=2"})
  public static class ConvTwoThreads extends Conv {}
}
