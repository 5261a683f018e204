package dev.adjoint.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer configuration against PyTorch 1.13's own steps (single-tensor path) on the
 * same parameters and gradients, five steps, in float32 and float64.
 */
class OptimizerReferenceTest {
  record Params(Tensor p0, Tensor p1) {}

  private static final int STEPS = 5;

  /** The Java side of each configuration of pytorch_reference.py's OPTIMIZERS. */
  private static final Map<String, Function<Params, Optimizer<Params>>> CONFIGS =
      new LinkedHashMap<>();

  static {
    CONFIGS.put("sgd", m -> Sgd.of(m, 0.1));
    CONFIGS.put("sgd_momentum", m -> Sgd.of(m, 0.1, 0.9));
    CONFIGS.put("sgd_dampening", m -> Sgd.builder(m, 0.05).momentum(0.8).dampening(0.3).build());
    CONFIGS.put("sgd_nesterov", m -> Sgd.builder(m, 0.1).momentum(0.9).nesterov(true)
        .weightDecay(0.01).build());
    CONFIGS.put("sgd_decay_maximize", m -> Sgd.builder(m, 0.1).weightDecay(0.1).maximize(true)
        .build());
    CONFIGS.put("adam", m -> Adam.of(m, 0.01));
    CONFIGS.put("adam_decay_amsgrad", m -> Adam.builder(m, 0.01).weightDecay(0.1).amsgrad(true)
        .build());
    CONFIGS.put("adam_betas_maximize", m -> Adam.builder(m, 0.02).betas(0.8, 0.99).eps(1e-6)
        .maximize(true).build());
    CONFIGS.put("adamw", m -> AdamW.of(m, 0.01));
    CONFIGS.put("adamw_amsgrad", m -> AdamW.builder(m, 0.01).weightDecay(0.1).amsgrad(true)
        .build());
    CONFIGS.put("rmsprop", m -> RmsProp.of(m, 0.01));
    CONFIGS.put("rmsprop_centered_momentum", m -> RmsProp.builder(m, 0.01).alpha(0.9).eps(1e-6)
        .weightDecay(0.1).momentum(0.9).centered(true).build());
    CONFIGS.put("rmsprop_momentum_maximize", m -> RmsProp.builder(m, 0.01).momentum(0.5)
        .maximize(true).build());
    CONFIGS.put("rmsprop_centered", m -> RmsProp.builder(m, 0.01).centered(true).build());
    CONFIGS.put("adam_skip", m -> Adam.of(m, 0.01));
    CONFIGS.put("sgd_momentum_steplr", m -> Sgd.of(m, 0.1, 0.9));
  }

  @Test
  void everyReferenceConfigurationIsTested() {
    TreeSet<String> inFile = new TreeSet<>();
    for (String k : PyTorchReference.tensors().keySet()) {
      if (k.endsWith(".f32.step0.p0")) inFile.add(k.substring(0, k.indexOf(".f32.")));
    }
    assertEquals(inFile, new TreeSet<>(CONFIGS.keySet()));
  }

  @Test
  void float32StepsMatchPyTorch() {
    double worst = 0;
    for (String name : CONFIGS.keySet()) worst = Math.max(worst, run(name, DType.FLOAT32));
    // PyTorch's float32 kernels fuse some multiply-adds; the rest is the same arithmetic
    assertTrue(worst < 1e-6, "worst float32 relative error " + worst);
  }

  @Test
  void float64StepsMatchPyTorch() {
    double worst = 0;
    for (String name : CONFIGS.keySet()) worst = Math.max(worst, run(name, DType.FLOAT64));
    assertTrue(worst < 1e-13, "worst float64 relative error " + worst);
  }

  /** Runs one configuration; returns the largest error relative to max(1, |reference|). */
  private static double run(String name, DType dtype) {
    Params m = new Params(PyTorchReference.get("init.p0").to(dtype),
        PyTorchReference.get("init.p1").to(dtype));
    Optimizer<Params> opt = CONFIGS.get(name).apply(m);
    LrScheduler sched = name.endsWith("steplr") ? LrScheduler.of(opt, Schedule.step(2, 0.5))
        : null;
    String dn = dtype == DType.FLOAT32 ? "f32" : "f64";
    double worst = 0;
    for (int k = 0; k < STEPS; k++) {
      Tensor g1 = name.equals("adam_skip") && (k == 1 || k == 2) ? null
          : PyTorchReference.get("grad" + k + ".p1").to(dtype);
      Params g = new Params(PyTorchReference.get("grad" + k + ".p0").to(dtype), g1);
      m = opt.step(m, g);
      if (sched != null) sched.step();
      assertEquals(dtype, m.p0().dtype(), name + ": the model keeps its dtype");
      String at = name + "." + dn + ".step" + k;
      worst = Math.max(worst, error(at + ".p0", m.p0(), PyTorchReference.get(at + ".p0")));
      worst = Math.max(worst, error(at + ".p1", m.p1(), PyTorchReference.get(at + ".p1")));
    }
    return worst;
  }

  static double error(String what, Tensor actual, Tensor expected) {
    double[] a = actual.toDoubleArray();
    double[] e = expected.toDoubleArray();
    assertEquals(e.length, a.length, what);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      double err = Math.abs(a[i] - e[i]) / Math.max(1, Math.abs(e[i]));
      assertTrue(err < 1e-4, what + "[" + i + "]: " + a[i] + " vs PyTorch " + e[i]);
      worst = Math.max(worst, err);
    }
    return worst;
  }
}
