package dev.adjoint.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.ad.ValueAndGrad;
import dev.adjoint.data.Batch;
import dev.adjoint.data.DataLoader;
import dev.adjoint.nn.ModelTree;
import dev.adjoint.nn.SafeTensors;
import dev.adjoint.optim.Adam;
import dev.adjoint.optim.ClipGrad;
import dev.adjoint.optim.LrScheduler;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Schedule;
import dev.adjoint.optim.Sgd;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import dev.adjoint.tests.corpus.Training;
import dev.adjoint.tests.corpus.Training_NetDerivatives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Generated gradients, optimizers, the data loader and SafeTensors together: a regression
 * trained to a small loss, with carried components and a null bias kept through every step;
 * and derivatives of a model with a null bias (null gradient, JVP and HVP against central
 * differences).
 */
class TrainingTest {
  private static Training.Net init(DType dtype) {
    SplittableRandom r = new SplittableRandom(1);
    return new Training.Net(
        new Training.Dense(Tensor.randn(dtype, r, 16, 3).mul(0.5), Tensor.zeros(dtype, 16)),
        new Training.Dense(Tensor.randn(dtype, r, 1, 16).mul(0.25), null), 16, "regressor");
  }

  private static double train(DType dtype, Function<Training.Net, Optimizer<Training.Net>> make,
      int epochs) {
    SplittableRandom r = new SplittableRandom(2);
    Tensor x = Tensor.randn(dtype, r, 256, 3);
    Tensor y = x.slice(1, 0, 1).mul(x.slice(1, 1, 2)).add(x.slice(1, 2, 3).sin());
    Training.Net net = init(dtype);
    Optimizer<Training.Net> opt = make.apply(net);
    LrScheduler sched = LrScheduler.of(opt, Schedule.linearWarmup(2, 0.5)
        .then(2, Schedule.cosine(epochs, 0)));
    double first = Training_NetDerivatives.lossValueAndGrad(net, x, y).value().item();
    for (int e = 0; e < epochs; e++) {
      for (Batch b : DataLoader.of(x, y, 32, true, 7)) {
        ValueAndGrad<Tensor, Training.Net> vg =
            Training_NetDerivatives.lossValueAndGrad(net, b.x(), b.y());
        assertNull(vg.grad().out().bias(), "the null bias has a null gradient");
        net = opt.step(net, ClipGrad.byNorm(vg.grad(), 5).grad());
      }
      sched.step();
    }
    assertEquals(16, net.width());
    assertEquals("regressor", net.name());
    assertNull(net.out().bias());
    assertEquals(dtype, net.hidden().weight().dtype());
    double last = Training_NetDerivatives.lossValueAndGrad(net, x, y).value().item();
    assertTrue(last < first / 5, dtype + ": loss " + first + " -> " + last);
    return last;
  }

  @Test
  void adamTrainsInFloat32AndFloat64() {
    train(DType.FLOAT32, n -> Adam.of(n, 0.02), 30);
    train(DType.FLOAT64, n -> Adam.of(n, 0.02), 30);
  }

  @Test
  void sgdWithNesterovMomentumTrains() {
    train(DType.FLOAT32, n -> Sgd.builder(n, 0.05).momentum(0.9).nesterov(true).build(), 30);
  }

  @Test
  void aNullBiasThroughJvpAndHvp() {
    Training.Net n = init(DType.FLOAT64);
    Training.Net v = ModelTree.of(n).map(init(DType.FLOAT64), t -> t.mul(0.3).sin());
    SplittableRandom r = new SplittableRandom(3);
    Tensor x = Tensor.randn(DType.FLOAT64, r, 8, 3);
    Tensor y = Tensor.randn(DType.FLOAT64, r, 8, 1);
    double eps = 1e-5;
    ModelTree<Training.Net> tree = ModelTree.of(n);
    Tensor[] p = tree.tensors(n);
    Tensor[] d = tree.tensors(v);
    Tensor[] plus = p.clone();
    Tensor[] minus = p.clone();
    for (int i = 0; i < p.length; i++) {
      if (p[i] == null) continue;
      plus[i] = p[i].add(d[i].mul(eps));
      minus[i] = p[i].sub(d[i].mul(eps));
    }
    Training.Net np = tree.rebuild(n, plus);
    Training.Net nm = tree.rebuild(n, minus);
    double fd = (Training_NetDerivatives.lossGrad(np, x, y).hidden().weight().sum().item()
        - Training_NetDerivatives.lossGrad(nm, x, y).hidden().weight().sum().item()) / (2 * eps);
    Training.Net hv = Training_NetDerivatives.lossHvp(n, x, y, v);
    assertNull(hv.out().bias());
    assertEquals(fd, hv.hidden().weight().sum().item(), 1e-7 * Math.max(1, Math.abs(fd)));
    double fdLoss = (Training_NetDerivatives.lossValueAndGrad(np, x, y).value().item()
        - Training_NetDerivatives.lossValueAndGrad(nm, x, y).value().item()) / (2 * eps);
    assertEquals(fdLoss, Training_NetDerivatives.lossJvp(n, x, y, v).tangent().item(),
        1e-7 * Math.max(1, Math.abs(fdLoss)));
  }

  @Test
  void trainedWeightsRoundTripThroughSafeTensors() throws IOException {
    Training.Net net = init(DType.FLOAT32);
    Path p = Files.createTempFile("net", ".safetensors");
    try {
      SafeTensors.save(p, net);
      assertEquals(Set.of("hidden.weight", "hidden.bias", "out.weight"),
          SafeTensors.read(p).keySet(), "no out.bias: it is null");
      Training.Net back = SafeTensors.load(p, init(DType.FLOAT64));
      assertArrayEquals(net.hidden().weight().toDoubleArray(),
          back.hidden().weight().toDoubleArray());
      assertEquals(DType.FLOAT64, back.hidden().weight().dtype(), "the template's dtype");
    } finally {
      Files.delete(p);
    }
  }
}
