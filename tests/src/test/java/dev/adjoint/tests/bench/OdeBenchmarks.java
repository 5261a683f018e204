package dev.adjoint.tests.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The ODE integrator: primal, generated derivatives, hand-written gradient, the peer. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class OdeBenchmarks {
  double[] p = {1.1, 0.4, 0.1, 0.4};
  double[] y0 = {10, 10};
  double[] pDot = {0.3, -0.2, 0.5, 0.1};
  double[] y0Dot = {1, -1};

  @Benchmark
  public double primal() {
    return Problems.lotkaVolterra(p, y0);
  }

  @Benchmark
  public ProblemsDerivatives.LotkaVolterraGrad grad() {
    return ProblemsDerivatives.lotkaVolterraGrad(p, y0);
  }

  @Benchmark
  public double jvp() {
    return ProblemsDerivatives.lotkaVolterraJvp(p, y0, pDot, y0Dot).tangent();
  }

  @Benchmark
  public double[] handWritten() {
    return HandWritten.lotkaVolterraGrad(p, y0);
  }

  @Benchmark
  public double[] derivativeStructure() {
    return WithDerivativeStructure.lotkaVolterraGrad(p, y0);
  }
}
