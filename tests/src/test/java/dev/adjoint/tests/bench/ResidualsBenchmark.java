package dev.adjoint.tests.bench;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import dev.adjoint.tests.bench.ResidualPrograms.Rnn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * What keeping residuals buys, in one run (issue 11): (a) gradient ÷ primal of a chain of
 * helpers of depth 1 to 4 in a loop, with residuals and with every helper {@code @Checkpoint};
 * (b) a 1,000-step RNN (hidden 256, batch 32, float32): time of its gradient and the smallest
 * heap it runs in (a fresh JVM per probe, serial GC), with residuals, with the step
 * {@code @Checkpoint}, and in √n checkpointed segments, beside a one-step gradient; (c) the same
 * RNN in PyTorch 1.13 with and without {@code torch.utils.checkpoint}.
 *
 * <p>{@code mvn -q install -DskipTests && mvn -q -pl tests exec:exec@residuals-bench}; its
 * arguments (`-Dexec.args` does not reach exec:exec, run the class directly to pass them):
 * the number of steps (1000) and the parts to run ({@code abc}).
 */
public final class ResidualsBenchmark {
  private ResidualsBenchmark() {}

  static final int HIDDEN = 256;
  static final int BATCH = 32;
  static final int INPUT = 32;

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length > 0 && args[0].equals("probe")) {
      probe(args[1], Integer.parseInt(args[2]));
      return;
    }
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    String parts = args.length > 1 ? args[1] : "abc";
    if (parts.contains("a")) depthTable();
    if (parts.contains("b")) rnnTable(steps);
    if (parts.contains("c")) torchTable(steps);
  }

  // ---- (a)

  private static void depthTable() {
    double[] x = new Random(1).doubles(10_000, -1, 1).toArray();
    System.out.println("(a) a helper chain of depth d, called 10,000 times in a loop");
    System.out.printf("%-6s %12s %12s %10s %14s %10s%n", "depth", "primal", "gradient",
        "grad/prim", "@Checkpoint", "grad/prim");
    for (int d = 1; d <= 4; d++) { // a first pass warms every variant up
      int depth = d;
      median(() -> primal(depth, x));
      median(() -> gradient(depth, x, false));
      median(() -> gradient(depth, x, true));
    }
    for (int d = 1; d <= 4; d++) {
      int depth = d;
      double primal = median(() -> primal(depth, x));
      double grad = median(() -> gradient(depth, x, false));
      double recomputed = median(() -> gradient(depth, x, true));
      System.out.printf("%-6d %9.1f us %9.1f us %9.2fx %11.1f us %9.2fx%n", d, primal, grad,
          grad / primal, recomputed, recomputed / primal);
    }
  }

  private static double primal(int depth, double[] x) {
    switch (depth) {
      case 1: return ResidualPrograms.depth1(x);
      case 2: return ResidualPrograms.depth2(x);
      case 3: return ResidualPrograms.depth3(x);
      default: return ResidualPrograms.depth4(x);
    }
  }

  private static double gradient(int depth, double[] x, boolean recompute) {
    double[] g;
    if (recompute) {
      switch (depth) {
        case 1: g = ResidualProgramsDerivatives.checkpointed1Grad(x); break;
        case 2: g = ResidualProgramsDerivatives.checkpointed2Grad(x); break;
        case 3: g = ResidualProgramsDerivatives.checkpointed3Grad(x); break;
        default: g = ResidualProgramsDerivatives.checkpointed4Grad(x); break;
      }
    } else {
      switch (depth) {
        case 1: g = ResidualProgramsDerivatives.depth1Grad(x); break;
        case 2: g = ResidualProgramsDerivatives.depth2Grad(x); break;
        case 3: g = ResidualProgramsDerivatives.depth3Grad(x); break;
        default: g = ResidualProgramsDerivatives.depth4Grad(x); break;
      }
    }
    return g[0];
  }

  /**
   * Median microseconds of a call, after warming it up for about a second: 21 samples, each a
   * batch of calls of at least 20 ms, so that the timer and one collection do not decide it.
   */
  private static double median(Supplier<Object> call) {
    long end = System.nanoTime() + 1_000_000_000L;
    Object sink = null;
    int calls = 0;
    long start = System.nanoTime();
    while (System.nanoTime() < end) {
      sink = call.get();
      calls++;
    }
    int batch = (int) Math.max(1, 20e6 * calls / (System.nanoTime() - start));
    double[] times = new double[21];
    for (int i = 0; i < times.length; i++) {
      long t0 = System.nanoTime();
      for (int j = 0; j < batch; j++) sink = call.get();
      times[i] = (System.nanoTime() - t0) / 1e3 / batch;
    }
    if (sink == null) throw new AssertionError();
    Arrays.sort(times);
    return times[times.length / 2];
  }

  // ---- (b)

  static Rnn model() {
    Random r = new Random(7);
    double s = 1 / Math.sqrt(HIDDEN);
    return new Rnn(Tensor.randn(DType.FLOAT32, r, INPUT, HIDDEN).mul(s),
        Tensor.randn(DType.FLOAT32, r, HIDDEN, HIDDEN).mul(s),
        Tensor.zeros(DType.FLOAT32, HIDDEN));
  }

  static Tensor inputs(int steps) {
    return Tensor.randn(DType.FLOAT32, new Random(8), steps, BATCH, INPUT);
  }

  static int segmentLength(int steps) {
    return Math.max(1, (int) Math.round(Math.sqrt(steps)));
  }

  static Rnn gradient(String variant, Rnn m, Tensor h0, Tensor xs) {
    switch (variant) {
      case "residuals":
        return ResidualProgramsDerivatives.lossGrad(m, h0, xs);
      case "checkpoint":
        return ResidualProgramsDerivatives.checkpointedLossGrad(m, h0, xs);
      case "segments":
        return ResidualProgramsDerivatives.segmentedLossGrad(m, h0, xs,
            segmentLength(xs.size(0)));
      default:
        throw new IllegalArgumentException(variant);
    }
  }

  /** One gradient in this JVM (the heap-floor probe): exits non-zero on OutOfMemoryError. */
  private static void probe(String variant, int steps) {
    Rnn m = model();
    Tensor xs = inputs(steps);
    Tensor h0 = Tensor.zeros(DType.FLOAT32, BATCH, HIDDEN);
    Rnn g = gradient(variant, m, h0, xs);
    System.out.println("ok " + g.wh().abs().sum().item());
  }

  private static void rnnTable(int steps) throws IOException, InterruptedException {
    Rnn m = model();
    Tensor xs = inputs(steps);
    Tensor h0 = Tensor.zeros(DType.FLOAT32, BATCH, HIDDEN);
    // the three must agree: the same gradient, computed three ways
    Rnn a = gradient("residuals", m, h0, xs);
    for (String v : new String[] {"checkpoint", "segments"}) {
      Rnn b = gradient(v, m, h0, xs);
      double diff = a.wh().sub(b.wh()).abs().max().item();
      if (diff > 1e-6) throw new AssertionError(v + " differs from residuals by " + diff);
    }
    System.out.println();
    System.out.printf("(b) RNN, %d steps, hidden %d, batch %d, input %d, float32; segments of %d"
        + " steps%n", steps, HIDDEN, BATCH, INPUT, segmentLength(steps));
    double primal = seconds(() -> ResidualPrograms.loss(m, h0, xs));
    int oneStep = heapFloor("residuals", 1);
    System.out.printf("primal %.3f s; a one-step gradient runs in %d MB%n", primal, oneStep);
    System.out.printf("%-12s %10s %9s %10s %12s %12s%n", "", "gradient", "/primal", "heap floor",
        "beyond 1-step", "/residuals");
    // the three variants take turns, round after round, so that a slow moment of the machine
    // (a collection, another process) falls on all of them alike
    String[] variants = {"residuals", "checkpoint", "segments"};
    double[][] rounds = new double[variants.length][9];
    for (String v : variants) gradient(v, m, h0, xs); // warm-up
    for (int r = 0; r < rounds[0].length; r++) {
      for (int i = 0; i < variants.length; i++) {
        String v = variants[i];
        rounds[i][r] = seconds(() -> gradient(v, m, h0, xs), 1);
      }
    }
    double residualTime = 0;
    int residualExtra = 0;
    for (int i = 0; i < variants.length; i++) {
      String v = variants[i];
      Arrays.sort(rounds[i]);
      double t = rounds[i][rounds[i].length / 2];
      int floor = heapFloor(v, steps);
      if (v.equals("residuals")) {
        residualTime = t;
        residualExtra = floor - oneStep;
      }
      System.out.printf("%-12s %8.3f s %8.2fx %7d MB %10d MB %6.2f/%.2fx%n", v, t, t / primal,
          floor, floor - oneStep, (floor - oneStep) / (double) residualExtra, t / residualTime);
    }
    System.out.println("(/residuals: memory beyond a one-step gradient / time, against the "
        + "residual version)");
  }

  /** Median seconds of a call over 9 runs, after two to warm it up. */
  private static double seconds(Supplier<Object> call) {
    for (int i = 0; i < 2; i++) call.get();
    double[] times = new double[9];
    for (int i = 0; i < times.length; i++) times[i] = seconds(call, 1);
    Arrays.sort(times);
    return times[times.length / 2];
  }

  /** Seconds of {@code runs} calls. */
  private static double seconds(Supplier<Object> call, int runs) {
    long t0 = System.nanoTime();
    for (int i = 0; i < runs; i++) call.get();
    return (System.nanoTime() - t0) / 1e9;
  }


  /** The smallest -Xmx (MB, to 1 MB) a fresh JVM computes the gradient in. */
  private static int heapFloor(String variant, int steps) throws IOException,
      InterruptedException {
    int lo = 2;
    int hi = 8;
    while (!runs(variant, steps, hi)) {
      lo = hi;
      hi *= 2;
      if (hi > 16384) throw new IllegalStateException("no heap fits " + variant);
    }
    while (hi - lo > 1) {
      int mid = (lo + hi) / 2;
      if (runs(variant, steps, mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  private static boolean runs(String variant, int steps, int mb) throws IOException,
      InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + mb + "m", "-Xms" + Math.min(mb, 8)
        + "m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.vector",
        "-cp", System.getProperty("java.class.path"), ResidualsBenchmark.class.getName(),
        "probe", variant, Integer.toString(steps)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    return p.waitFor() == 0 && out.contains("ok ");
  }

  // ---- (c)

  private static void torchTable(int steps) throws IOException, InterruptedException {
    System.out.println();
    System.out.println("(c) the same RNN in PyTorch 1.13 (one thread)");
    for (String variant : new String[] {"saved", "checkpoint_step", "segments"}) {
      // run.sh's OpenBLAS set-up (the AVX-512 kernels, one thread)
      TensorBenchmarkReport.run(List.of("env", "OPENBLAS_CORETYPE=SkylakeX",
          "OPENBLAS_NUM_THREADS=1", "LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread",
          "/usr/bin/python3", "src/test/resources/peers/rnn_checkpoint.py",
          Integer.toString(steps), Integer.toString(HIDDEN), Integer.toString(BATCH),
          Integer.toString(INPUT), variant)); // echoes the peer's line
    }
  }
}
