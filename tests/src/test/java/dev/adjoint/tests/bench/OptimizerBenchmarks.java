package dev.adjoint.tests.bench;

import dev.adjoint.optim.Adam;
import dev.adjoint.optim.AdamW;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.RmsProp;
import dev.adjoint.optim.Sgd;
import dev.adjoint.tensor.ParamUpdate;
import dev.adjoint.tensor.Tensor;
import java.util.SplittableRandom;
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
 * One optimizer step over the parameters of the MLP 784-256-256-10 (269,322 float32 values),
 * gradients given: the fused update of each optimizer, and Adam written out with tensor
 * operations (what the backend SPI's default runs, and what a hand-written update costs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
    "-Dadjoint.threads=1"})
@State(Scope.Benchmark)
public class OptimizerBenchmarks {
  /** The MLP's parameters, in PyTorch's Linear layout. */
  public record Mlp(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3) {
    static Mlp random(long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      return new Mlp(Tensor.randn(r, 256, 784), Tensor.randn(r, 256), Tensor.randn(r, 256, 256),
          Tensor.randn(r, 256), Tensor.randn(r, 10, 256), Tensor.randn(r, 10));
    }

    Tensor[] all() {
      return new Tensor[] {w1, b1, w2, b2, w3, b3};
    }
  }

  Mlp model;
  Mlp grad;
  Optimizer<Mlp> sgd;
  Optimizer<Mlp> sgdMomentum;
  Optimizer<Mlp> adam;
  Optimizer<Mlp> adamW;
  Optimizer<Mlp> rmsProp;
  Tensor[][] composedState;
  long composedStep;

  @Setup
  public void setup() {
    model = Mlp.random(1);
    grad = Mlp.random(2);
    sgd = Sgd.of(model, 1e-6);
    sgdMomentum = Sgd.of(model, 1e-6, 0.9);
    adam = Adam.of(model, 1e-6);
    adamW = AdamW.of(model, 1e-6);
    rmsProp = RmsProp.of(model, 1e-6);
    composedState = new Tensor[6][2];
  }

  @Benchmark
  public Mlp sgd() {
    return sgd.step(model, grad);
  }

  @Benchmark
  public Mlp sgdMomentum() {
    return sgdMomentum.step(model, grad);
  }

  @Benchmark
  public Mlp adam() {
    return adam.step(model, grad);
  }

  @Benchmark
  public Mlp adamW() {
    return adamW.step(model, grad);
  }

  @Benchmark
  public Mlp rmsProp() {
    return rmsProp.step(model, grad);
  }

  /** Adam as ordinary tensor operations: a temporary tensor per arithmetic step. */
  @Benchmark
  public Tensor[] adamComposed() {
    ParamUpdate u = new ParamUpdate.Adam(1e-6, 0.9, 0.999, 1e-8, 0, false, false, false,
        ++composedStep);
    Tensor[] p = model.all();
    Tensor[] g = grad.all();
    Tensor[] out = new Tensor[6];
    for (int i = 0; i < 6; i++) {
      Tensor[] r = u.compose(p[i], g[i], composedState[i]);
      out[i] = r[0];
      composedState[i] = new Tensor[] {r[1], r[2]};
    }
    return out;
  }
}
