package dev.adjoint.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.nn.Buffer;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What an optimizer does with the parts of a model that are not trained, and its errors. */
class OptimizerTest {
  record Lin(Tensor weight, Tensor bias) {}

  record Norm(Tensor weight, @Buffer Tensor runningMean, Tensor count) {}

  record Net(Lin fc1, Lin[] blocks, Norm norm, int hidden, String name) {}

  record Empty(int size, String name) {}

  private static Tensor t(double... v) {
    return Tensor.of(v, v.length);
  }

  private static Net net() {
    return new Net(new Lin(t(1, 2), null), new Lin[] {new Lin(t(3), t(4))},
        new Norm(t(5), t(6), Tensor.of(new long[] {7}, 1)), 32, "net");
  }

  private static Net grad() {
    return new Net(new Lin(t(1, 1), null), new Lin[] {new Lin(t(1), t(1))},
        new Norm(t(1), t(1), Tensor.of(new long[] {1}, 1)), 0, null);
  }

  @Test
  void onlyFloatingNonBufferTensorsAreTrained() {
    Net n = net();
    Net m = Sgd.builder(n, 0.5).weightDecay(0.1).build().step(n, grad());
    assertArrayEquals(new double[] {1 - 0.5 * 1.1, 2 - 0.5 * 1.2}, m.fc1().weight().toDoubleArray(),
        1e-15);
    assertNull(m.fc1().bias());
    assertEquals(4 - 0.5 * 1.4, m.blocks()[0].bias().item(), 1e-15);
    assertSame(n.norm().runningMean(), m.norm().runningMean(), "a buffer is left alone");
    assertSame(n.norm().count(), m.norm().count(), "an integer tensor is left alone");
    assertEquals(32, m.hidden());
    assertEquals("net", m.name());
    assertEquals(DType.FLOAT64, m.fc1().weight().dtype());
  }

  @Test
  void aNullGradientLeavesItsTensorAndStateAlone() {
    Net n = net();
    Optimizer<Net> opt = Adam.of(n, 0.1);
    Net g = grad();
    Net skip = new Net(new Lin(null, null), g.blocks(), g.norm(), 0, null);
    Net m = opt.step(n, skip);
    assertSame(n.fc1().weight(), m.fc1().weight());
    // fc1.weight's first real step is Adam's first step: |update| = lr for any gradient
    Net m2 = opt.step(m, g);
    assertEquals(1 - 0.1, m2.fc1().weight().get(0), 1e-6);
  }

  @Test
  void learningRateCanBeSetBetweenSteps() {
    Net n = net();
    Optimizer<Net> opt = Sgd.of(n, 0.1);
    opt.setLearningRate(0.25);
    assertEquals(0.25, opt.learningRate());
    assertEquals(1 - 0.25, opt.step(n, grad()).fc1().weight().get(0), 1e-15);
  }

  private static void fails(String message, Supplier<?> call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
    assertEquals(message, e.getMessage());
  }

  @Test
  void gradientsThatDoNotFitNameTheTensor() {
    Net n = net();
    Optimizer<Net> opt = Adam.of(n, 0.1);
    Net g = grad();
    Net wrongShape = new Net(new Lin(t(1, 2, 3), null), g.blocks(), g.norm(), 0, null);
    fails("Adam.step: fc1.weight: its gradient has shape [3] but the tensor has [2]",
        () -> opt.step(n, wrongShape));
    Net wrongType = new Net(new Lin(t(1, 1), null),
        new Lin[] {new Lin(t(1), Tensor.of(new float[] {1}, 1))}, g.norm(), 0, null);
    fails("Adam.step: blocks.0.bias: its gradient is FLOAT32 but the tensor is FLOAT64",
        () -> opt.step(n, wrongType));
    Net moreBlocks = new Net(n.fc1(), new Lin[] {new Lin(t(1), t(1)), new Lin(t(1), t(1))},
        n.norm(), 0, null);
    fails("Adam.step: the model has 9 tensor leaves and its gradient 7, but the optimizer was "
        + "made for a model with 7; the model's leaves: [fc1.weight, fc1.bias, blocks.0.weight, "
        + "blocks.0.bias, blocks.1.weight, blocks.1.bias, norm.weight, norm.runningMean, "
        + "norm.count]", () -> opt.step(moreBlocks, g));
    // the failed steps changed nothing: this is still the first step
    assertEquals(1 - 0.1, opt.step(n, g).fc1().weight().get(0), 1e-6);
  }

  @Test
  void aModelWhoseTensorsChangedShapeIsNotTheOneTheStateIsFor() {
    Lin a = new Lin(t(1, 2), t(0));
    Optimizer<Lin> opt = Sgd.of(a, 0.1, 0.9);
    opt.step(a, new Lin(t(1, 1), t(1)));
    Lin b = new Lin(t(1, 2, 3), t(0));
    fails("Sgd.step: weight: the tensor is FLOAT64 [3] but the optimizer's state for it is "
        + "FLOAT64 [2]: is this the model the optimizer was made for?",
        () -> opt.step(b, new Lin(t(1, 1, 1), t(1))));
  }

  @Test
  void aModelWithoutTensors() {
    fails("Adam: Empty has no floating-point tensor to train (leaves: []); a model is a record "
        + "with Tensor components", () -> Adam.of(new Empty(1, "x"), 0.1));
  }

  @Test
  void invalidHyperparameters() {
    Lin m = new Lin(t(1), t(1));
    fails("Sgd: invalid learning rate (must be >= 0): -0.1", () -> Sgd.of(m, -0.1));
    fails("Sgd: invalid momentum (must be >= 0): -0.5", () -> Sgd.of(m, 0.1, -0.5));
    fails("Sgd: invalid weight decay (must be >= 0): -1.0", () -> Sgd.of(m, 0.1, 0, -1));
    fails("Sgd: Nesterov momentum requires a momentum and zero dampening (momentum 0.0, "
        + "dampening 0.0)", () -> Sgd.builder(m, 0.1).nesterov(true).build());
    fails("Sgd: Nesterov momentum requires a momentum and zero dampening (momentum 0.9, "
        + "dampening 0.1)",
        () -> Sgd.builder(m, 0.1).momentum(0.9).dampening(0.1).nesterov(true).build());
    fails("Adam: invalid beta parameter at index 0 (must be in [0, 1)): 1.0",
        () -> Adam.builder(m, 0.1).betas(1, 0.999).build());
    fails("AdamW: invalid beta parameter at index 1 (must be in [0, 1)): -0.1",
        () -> AdamW.builder(m, 0.1).betas(0.9, -0.1).build());
    fails("Adam: invalid epsilon value (must be >= 0): -1.0E-8",
        () -> Adam.builder(m, 0.1).eps(-1e-8).build());
    fails("AdamW: invalid weight decay (must be >= 0): -0.01", () -> AdamW.of(m, 0.1, -0.01));
    fails("RmsProp: invalid alpha value (must be >= 0): -0.99",
        () -> RmsProp.builder(m, 0.1).alpha(-0.99).build());
    fails("RmsProp: invalid momentum value (must be >= 0): -1.0",
        () -> RmsProp.builder(m, 0.1).momentum(-1).build());
    Optimizer<Lin> opt = Sgd.of(m, 0.1);
    fails("Sgd: invalid learning rate (must be >= 0): -1.0", () -> {
      opt.setLearningRate(-1);
      return null;
    });
  }

  @Test
  void describesItself() {
    Lin m = new Lin(t(1), t(1));
    assertEquals("AdamW(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.01, "
        + "amsgrad=false, maximize=false)", AdamW.of(m, 1e-3).toString());
    assertEquals("Sgd(lr=0.1, momentum=0.9, dampening=0.0, weightDecay=0.0, nesterov=true, "
        + "maximize=false)", Sgd.builder(m, 0.1).momentum(0.9).nesterov(true).build().toString());
  }
}
