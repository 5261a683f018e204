package dev.adjoint.tests.bench;

import dev.adjoint.nn.SafeTensors;
import dev.adjoint.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * One system's side of {@link TrainingStepReport}, in a JVM of its own (thread counts are fixed
 * at start-up in both Adjoint and PyTorch): {@code TrainingStepRun DATA adjoint|djl THREADS
 * [WORKLOAD...]}, or {@code TrainingStepRun DATA heap WORKLOAD STEPS} (run under a small
 * {@code -Xmx}: does the step fit?), or {@code TrainingStepRun - matmul N}. Prints one
 * {@code RESULT} line per workload, which the report parses.
 */
public final class TrainingStepRun {
  private TrainingStepRun() {}

  /** Steps recorded for the loss comparison, before warm-up. */
  static final int LOSS_STEPS = 10;

  public static void main(String[] args) throws Exception {
    String system = args[1];
    if (system.equals("matmul")) {
      matmul(Integer.parseInt(args[2]));
      return;
    }
    Map<String, Tensor> data = SafeTensors.read(Path.of(args[0]));
    if (system.equals("heap")) {
      // Only this workload's weights and batches stay reachable.
      String prefix = TrainingStep.model(args[2]) + ".";
      data = new java.util.HashMap<>(data);
      data.keySet().removeIf(k -> !k.startsWith(prefix));
      heap(data, args[2], Integer.parseInt(args[3]));
      return;
    }
    String[] workloads = args.length > 3 ? Arrays.copyOfRange(args, 3, args.length)
        : TrainingStep.WORKLOADS;
    for (String w : workloads) {
      try (TrainingStep step = system.equals("djl") ? new DjlTrainingStep(w, data)
          : new AdjointTrainingStep(w, data)) {
        run(system, w, step);
      }
    }
  }

  private static void run(String system, String workload, TrainingStep step) {
    double[] losses = new double[LOSS_STEPS];
    for (int i = 0; i < LOSS_STEPS; i++) losses[i] = step.step(i, true);
    boolean cnn = TrainingStep.model(workload).equals("cnn");
    // Warm-up: enough steps for the JIT, and at least two seconds of them.
    int i = LOSS_STEPS;
    long until = System.nanoTime() + 2_000_000_000L;
    for (int w = 0; w < (cnn ? 30 : 200) || System.nanoTime() < until; w++) step.step(i++, false);
    int steps = cnn ? 100 : 500;
    double[] ms = new double[steps];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long[] ids = threads.getAllThreadIds();
    long alloc0 = sum(threads.getThreadAllocatedBytes(ids));
    long cpu0 = os.getProcessCpuTime();
    for (int k = 0; k < steps; k++) {
      long t0 = System.nanoTime();
      step.step(i++, false);
      ms[k] = (System.nanoTime() - t0) / 1e6;
    }
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e6 / steps;
    long alloc = (sum(threads.getThreadAllocatedBytes(threads.getAllThreadIds())) - alloc0)
        / steps;
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "RESULT %s %s median=%.4f p10=%.4f p90=%.4f cpu=%.4f "
        + "loss0=%.7f loss9=%.7f alloc=%d%n", system, workload, ms[steps / 2], ms[steps / 10],
        ms[steps * 9 / 10], cpu, losses[0], losses[LOSS_STEPS - 1], system.equals("djl") ? -1
        : alloc);
  }

  private static long sum(long[] v) {
    long s = 0;
    for (long x : v) s += Math.max(0, x);
    return s;
  }

  /** Runs the step {@code steps} times; the JVM's -Xmx decides whether it fits. */
  private static void heap(Map<String, Tensor> data, String workload, int steps) {
    try (TrainingStep step = new AdjointTrainingStep(workload, data)) {
      for (int i = 0; i < steps; i++) step.step(i, false);
    }
    System.out.printf(Locale.ROOT, "RESULT heap %s ok max=%d%n", workload,
        Runtime.getRuntime().maxMemory());
  }

  /** float32 {@code n x n} matmul, median GFLOP/s over repeats. */
  private static void matmul(int n) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    Tensor a = Tensor.randn(r, n, n);
    Tensor b = Tensor.randn(r, n, n);
    for (int i = 0; i < 10; i++) a.matmul(b);
    double[] gf = new double[30];
    for (int i = 0; i < gf.length; i++) {
      long t0 = System.nanoTime();
      a.matmul(b);
      gf[i] = 2.0 * n * n * n / (System.nanoTime() - t0);
    }
    Arrays.sort(gf);
    System.out.printf(Locale.ROOT, "RESULT adjoint matmul%d gflops=%.2f%n", n, gf[gf.length / 2]);
  }
}
