package dev.adjoint.cuda.check;

import dev.adjoint.cuda.Cuda;
import dev.adjoint.cuda.CudaTestHooks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPU check in one run: the parity suite (every op and rule, CUDA against the CPU), then
 * the benchmarks with their PyTorch peer run in the same process tree on the same card, and one
 * table. Exit status 0 when every check passed (and CUDA is available), 1 otherwise.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp 'lib/*' dev.adjoint.cuda.check.DeviceCheck
 *     [--seed N] [--size N] [--parity-only] [--peer "python3 torch_peer.py"] [--matmul 4096]
 *     [--smoke]   (benchmarks only, one call each: that they run, not how fast)
 * </pre>
 */
public final class DeviceCheck {
  private DeviceCheck() {}

  public static void main(String[] args) throws Exception {
    long seed = System.nanoTime();
    int size = 4;
    boolean parityOnly = false;
    String peer = null;
    int matmul = 4096;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seed": seed = Long.parseLong(args[++i]); break;
        case "--size": size = Integer.parseInt(args[++i]); break;
        case "--parity-only": parityOnly = true; break;
        case "--peer": peer = args[++i]; break;
        case "--matmul": matmul = Integer.parseInt(args[++i]); break;
        case "--smoke": Benchmarks.smoke = true; break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String reason = Cuda.unavailableReason();
    if (reason != null) {
      System.out.println(reason);
      System.exit(2);
    }
    System.out.println("device: " + Cuda.deviceName());
    System.out.println("parity suite: seed " + seed + ", size " + size
        + " (rerun with --seed " + seed + ")");
    long t0 = System.nanoTime();
    Report report = Benchmarks.smoke ? new Report() : new ParitySuite(seed, size).run();
    System.out.printf("parity suite: %d checks in %.1f s%n", report.size(),
        (System.nanoTime() - t0) / 1e9);
    report.print(System.out);
    boolean ok = report.failures().isEmpty();
    if (!parityOnly) {
      Map<String, Double> ours = Benchmarks.run(matmul);
      Map<String, Double> theirs = peer == null ? Map.of() : peer(peer, matmul);
      long[] counters = CudaTestHooks.allocatorCounters();
      System.out.println();
      table(ours, theirs, matmul);
      Cuda.MemoryStats m = Cuda.memoryStats();
      System.out.printf("allocator: %d cuMemAlloc calls, %d collections requested, %d MiB "
          + "reserved, %d MiB cached%n", counters[0], counters[1], m.reserved() >> 20,
          m.cached() >> 20);
    }
    System.exit(ok ? 0 : 1);
  }

  private static void table(Map<String, Double> ours, Map<String, Double> theirs, int n) {
    String[][] rows = {
        {"matmul_fp32_gflops", "float32 matmul " + n + "² (GFLOP/s, exact FMA vs torch.mm)",
            "hi"},
        {"matmul_tf32_gflops", "float32 matmul " + n + "² (GFLOP/s, TF32 vs TF32)", "hi"},
        {"mlp_step_ms", "MLP 784-256-256-10 step, batch 128 (ms)", "lo"},
        {"cnn_step_ms", "CNN 1-16-32 step, batch 64 of 28x28 (ms)", "lo"}};
    System.out.printf("%-58s %12s %12s %14s%n", "benchmark", "Adjoint", "PyTorch",
        "Adjoint/PyTorch");
    for (String[] r : rows) {
      Double a = ours.get(r[0]);
      Double t = theirs.get(r[0]);
      String ratio = a == null || t == null || r[2].isEmpty() ? "" : String.format("%.2f%s",
          a / t, r[2].equals("hi") ? " (higher is better)" : " (lower is better)");
      System.out.printf("%-58s %12s %12s %14s%n", r[1], fmt(a), fmt(t), ratio);
    }
  }

  private static String fmt(Double v) {
    return v == null ? "-" : v >= 100 ? String.format("%.0f", v) : String.format("%.3f", v);
  }

  /** Runs the PyTorch peer and reads its "name value" lines. */
  static Map<String, Double> peer(String command, int matmul) throws IOException,
      InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", command + " --matmul " + matmul));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = p.waitFor();
    Map<String, Double> r = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^(\\w+) ([-0-9.eE+]+)$").matcher(out);
    while (m.find()) r.put(m.group(1), Double.parseDouble(m.group(2)));
    if (status != 0 || r.isEmpty()) {
      System.out.println("the PyTorch peer failed (status " + status + "):\n" + out.trim());
    } else {
      for (String line : out.split("\n")) if (line.startsWith("#")) System.out.println(line);
    }
    return r;
  }
}
