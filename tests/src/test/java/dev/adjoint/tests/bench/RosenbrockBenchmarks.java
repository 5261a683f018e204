package dev.adjoint.tests.bench;

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

/** Rosenbrock: primal, generated derivatives, hand-written gradient, DerivativeStructure. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RosenbrockBenchmarks {
  @Param({"100", "1000"})
  public int n;

  double[] x;
  double[] v;

  @Setup
  public void setup() {
    Random r = new Random(42);
    x = new double[n];
    v = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextGaussian();
      v[i] = r.nextGaussian();
    }
  }

  @Benchmark
  public double rosenbrockPrimal() {
    return Problems.rosenbrock(x);
  }

  @Benchmark
  public double[] rosenbrockGrad() {
    return ProblemsDerivatives.rosenbrockGrad(x);
  }

  @Benchmark
  public double rosenbrockJvp() {
    return ProblemsDerivatives.rosenbrockJvp(x, v).tangent();
  }

  @Benchmark
  public double[] rosenbrockHandWritten() {
    return HandWritten.rosenbrockGrad(x);
  }

  @Benchmark
  public double[] rosenbrockDerivativeStructure() {
    return WithDerivativeStructure.rosenbrockGrad(x);
  }
}
