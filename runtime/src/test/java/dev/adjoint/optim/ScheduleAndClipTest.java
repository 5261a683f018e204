package dev.adjoint.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.nn.Buffer;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules and gradient clipping against PyTorch 1.13's own. */
class ScheduleAndClipTest {
  record Grads(Tensor g0, Tensor g1) {}

  record WithBuffer(Tensor w, @Buffer Tensor stats) {}

  /** The Java side of pytorch_reference.py's schedules (base rate 0.1). */
  private static Map<String, Schedule> schedules() {
    Map<String, Schedule> m = new LinkedHashMap<>();
    m.put("step", Schedule.step(3, 0.5));
    m.put("multistep", Schedule.multiStep(0.3, 2, 5, 9));
    m.put("exponential", Schedule.exponential(0.8));
    m.put("cosine", Schedule.cosine(5, 0.001));
    m.put("linear", Schedule.linear(0.25, 1.0, 4));
    m.put("constant", Schedule.constant(0.5, 3));
    m.put("warmup_cosine", Schedule.linearWarmup(3, 0.1).then(3, Schedule.cosine(8, 0)));
    m.put("chained", Schedule.step(3, 0.5).times(Schedule.exponential(0.9)));
    m.put("chained_linear", Schedule.linear(0.5, 1, 4).times(Schedule.exponential(0.9)));
    return m;
  }

  @Test
  void schedulesGivePyTorchsRatesEpochByEpoch() {
    for (Map.Entry<String, Schedule> e : schedules().entrySet()) {
      double[] expected = PyTorchReference.get("sched." + e.getKey()).toDoubleArray();
      Optimizer<Grads> opt = Sgd.of(new Grads(Tensor.zeros(1), Tensor.zeros(1)), 0.1);
      LrScheduler s = LrScheduler.of(opt, e.getValue());
      for (int epoch = 0; epoch < expected.length; epoch++) {
        if (epoch > 0) s.step();
        assertEquals(epoch, s.epoch());
        assertEquals(expected[epoch], opt.learningRate(), 1e-12 * expected[0],
            e.getKey() + " at epoch " + epoch);
      }
      assertEquals(0.1, s.baseLr());
    }
  }

  private static Grads grads() {
    return new Grads(PyTorchReference.get("clip.g0").to(DType.FLOAT32),
        PyTorchReference.get("clip.g1").to(DType.FLOAT32));
  }

  @Test
  void clipByNormAsClipGradNorm() {
    double[][] cases = {{0.5, 2}, {100, 2}, {0.3, Double.POSITIVE_INFINITY}, {1, 1.5}};
    String[] names = {"norm2_clipped", "norm2_unclipped", "inf", "p1_5"};
    for (int c = 0; c < cases.length; c++) {
      String at = "clip." + names[c];
      ClipGrad.Clipped<Grads> r = ClipGrad.byNorm(grads(), cases[c][0], cases[c][1]);
      assertEquals(PyTorchReference.get(at + ".norm").item(), r.totalNorm(), 1e-6, at);
      OptimizerReferenceTest.error(at + ".g0", r.grad().g0(), PyTorchReference.get(at + ".g0"));
      OptimizerReferenceTest.error(at + ".g1", r.grad().g1(), PyTorchReference.get(at + ".g1"));
      assertEquals(DType.FLOAT32, r.grad().g0().dtype());
    }
    Grads g = grads();
    assertSame(g, ClipGrad.byNorm(g, 100).grad(), "nothing to clip: the same gradient");
  }

  @Test
  void clipByValueAsClipGradValue() {
    Grads r = ClipGrad.byValue(grads(), 0.7);
    OptimizerReferenceTest.error("value.g0", r.g0(), PyTorchReference.get("clip.value.g0"));
    OptimizerReferenceTest.error("value.g1", r.g1(), PyTorchReference.get("clip.value.g1"));
  }

  @Test
  void buffersAndNullGradientsAreNeitherCountedNorScaled() {
    WithBuffer g = new WithBuffer(Tensor.of(new double[] {3, 4}, 2), Tensor.full(100, 2));
    ClipGrad.Clipped<WithBuffer> r = ClipGrad.byNorm(g, 1);
    assertEquals(5, r.totalNorm(), 1e-12);
    assertEquals(100, r.grad().stats().get(0));
    assertEquals(3 / (5 + 1e-6), r.grad().w().get(0), 1e-12);
    assertEquals(0, ClipGrad.totalNorm(new Grads(null, null), 2));
  }

  @Test
  void nonFiniteNorms() {
    Grads g = new Grads(Tensor.of(new double[] {Double.NaN, 1}, 2), Tensor.zeros(1));
    assertEquals(true, Double.isNaN(ClipGrad.byNorm(g, 1).grad().g0().get(1)),
        "PyTorch's default: scaled by NaN");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClipGrad.byNorm(g, 1, 2, true));
    assertEquals("ClipGrad.byNorm: the total norm of order 2.0 of the gradients is NaN, so it "
        + "cannot be clipped; pass errorIfNonfinite = false to scale the gradients by it anyway",
        e.getMessage());
  }

  @Test
  void invalidSettings() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClipGrad.byNorm(grads(), 1, 0));
    assertEquals("ClipGrad: norm type 0.0 must be positive (or Double.POSITIVE_INFINITY)",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ClipGrad.byValue(grads(), -1));
    assertEquals("ClipGrad.byValue: clip value -1.0 must be >= 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Schedule.step(0, 0.5));
    assertEquals("Schedule.step: stepSize 0 must be at least 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Schedule.linear(0, 1, 5));
    assertEquals("Schedule.linear: start factor 0.0 must be in (0, 1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Schedule.constant(2, 5));
    assertEquals("Schedule.constant: factor 2.0 must be in [0, 1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Schedule.constant().then(-1, Schedule.constant()));
    assertEquals("Schedule.then: milestone -1 must be >= 0", e.getMessage());
  }
}
