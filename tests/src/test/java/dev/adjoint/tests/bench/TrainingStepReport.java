package dev.adjoint.tests.bench;

import dev.adjoint.nn.SafeTensors;
import dev.adjoint.tensor.Tensor;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training step side by side with PyTorch, in one run: Adjoint, PyTorch 2.7.1 on the JVM
 * (DJL 0.36, offline) and Debian's PyTorch 1.13 (OpenBLAS at its best), on the same weights and
 * batches (written here to one safetensors file that all three read), at 1 and 2 threads. Each
 * system runs in a process of its own per thread count; the workloads are an MLP 784-256-256-10
 * at batch 128 with SGD and with Adam, and a small CNN at batch 64 with SGD ({@link
 * StepModels}). Prints median milliseconds per step, the ratios, Adjoint's allocation per step,
 * the losses of the first and tenth steps of every system (they must agree), the smallest heap
 * the steps run in, and float32 1024^2 matmul against numpy on OpenBLAS.
 *
 * <p>The systems take turns, {@code -Dtrain.rounds} times (3 by default), and each figure is the
 * fastest of its rounds: on a virtual machine of two cores, a step on two threads ran 1.5x
 * slower for seconds at a time (as if the host had put both cores on one), whichever system
 * was running, so one round per system could compare a slow spell with a quiet one.
 *
 * <p>{@code mvn -q install -DskipTests && mvn -q -pl tests -Pdjl exec:exec@train-bench}
 * ({@code -Dtrain.threads=1} for one thread count only, {@code -Dtrain.rounds=1} for speed).
 */
public final class TrainingStepReport {
  private TrainingStepReport() {}

  private static final Pattern RESULT = Pattern.compile(
      "RESULT (\\S+) (\\S+) median=(\\S+) p10=(\\S+) p90=(\\S+) cpu=(\\S+) loss0=(\\S+) "
      + "loss9=(\\S+) alloc=(\\S+)");
  private static final Pattern TORCH = Pattern.compile(
      "torch (\\S+) (\\S+) (\\S+) threads=\\d+ median=(\\S+) p10=(\\S+) p90=(\\S+) "
      + "loss0=(\\S+) loss9=(\\S+)");

  /** One system's figures for one workload at one thread count. */
  record Result(double median, double p10, double p90, double cpu, double loss0, double loss9,
      long alloc) {}

  public static void main(String[] args) throws Exception {
    int[] threadCounts = Arrays.stream(System.getProperty("train.threads", "1,2").split(","))
        .mapToInt(Integer::parseInt).toArray();
    Path dir = Path.of("target", "train-step");
    Files.createDirectories(dir);
    installPeers();
    Path data = dir.resolve("data.safetensors");
    writeData(data);
    double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Map<String, Result> results = new HashMap<>();
    Map<String, Double> matmul = new HashMap<>();
    String torchVersion = "1.13";
    int rounds = Math.max(1, Integer.getInteger("train.rounds", 3));
    for (int round = 0; round < rounds; round++) {
      for (int t : threadCounts) {
        for (String line : javaChild(t, List.of(data.toString(), "adjoint", Integer.toString(t)))) {
          parse(line, "adjoint", t, results);
        }
        for (String line : javaChild(t, List.of(data.toString(), "djl", Integer.toString(t)))) {
          parse(line, "djl", t, results);
        }
        for (String w : TrainingStep.WORKLOADS) {
          String[] mo = w.split("-");
          for (String line : python(t, "train_step.py", data.toString(), mo[0], mo[1],
              Integer.toString(t))) {
            Matcher m = TORCH.matcher(line);
            if (!m.find()) continue;
            torchVersion = m.group(1);
            keepFastest(results, key("torch", w, t), new Result(d(m.group(4)), d(m.group(5)),
                d(m.group(6)), Double.NaN, d(m.group(7)), d(m.group(8)), -1));
          }
        }
        for (String line : javaChild(t, List.of("-", "matmul", "1024"))) {
          Matcher m = Pattern.compile("RESULT adjoint matmul1024 gflops=(\\S+)").matcher(line);
          if (m.find()) matmul.merge("adjoint" + t, d(m.group(1)), Math::max);
        }
        for (String line : python(t, "matmul.py", "1024")) {
          Matcher m = Pattern.compile("numpy \\S+ matmul1024 gflops=(\\S+)").matcher(line);
          if (m.find()) matmul.merge("numpy" + t, d(m.group(1)), Math::max);
        }
      }
    }
    Map<String, String> heap = new LinkedHashMap<>();
    heap.put("mlp-sgd", smallestHeap(data, "mlp-sgd", new int[] {8, 10, 12, 14, 16, 20, 24, 32}));
    heap.put("cnn-sgd", smallestHeap(data, "cnn-sgd", new int[] {24, 32, 40, 48, 64, 96, 128}));
    double load1 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

    System.out.println();
    System.out.printf(Locale.ROOT, "Training step, median ms per step (p10-p90), the fastest of "
        + "%d rounds taken in turn; load average %.2f before, %.2f after; %s, %d cores%n", rounds,
        load0, load1,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.printf("%-9s %3s %22s %22s %22s %8s %8s %10s%n", "workload", "thr", "Adjoint",
        "PyTorch 2.7.1 (DJL)", "PyTorch " + torchVersion, "A/DJL", "A/PT" + torchVersion.substring(
        0, Math.min(4, torchVersion.length())), "alloc/step");
    for (String w : TrainingStep.WORKLOADS) {
      for (int t : threadCounts) {
        Result a = results.get(key("adjoint", w, t));
        Result j = results.get(key("djl", w, t));
        Result p = results.get(key("torch", w, t));
        System.out.printf(Locale.ROOT, "%-9s %3d %22s %22s %22s %8s %8s %10s%n", w, t,
            cell(a), cell(j), cell(p), times(ratio(a, j)), times(ratio(a, p)),
            a == null ? "-" : String.format(Locale.ROOT, "%.1f MB", a.alloc / 1e6));
      }
    }
    System.out.println("Losses of the first and tenth steps (Adjoint / DJL / PyTorch " + torchVersion
        + "):");
    for (String w : TrainingStep.WORKLOADS) {
      for (int t : threadCounts) {
        Result a = results.get(key("adjoint", w, t));
        Result j = results.get(key("djl", w, t));
        Result p = results.get(key("torch", w, t));
        System.out.printf(Locale.ROOT, "  %-9s %d thr: step 1 %s, step 10 %s%n", w, t,
            losses(a, j, p, true), losses(a, j, p, false));
      }
    }
    for (int t : threadCounts) {
      double a = matmul.getOrDefault("adjoint" + t, Double.NaN);
      double n = matmul.getOrDefault("numpy" + t, Double.NaN);
      System.out.printf(Locale.ROOT, "float32 matmul 1024^2, %d thread(s): Adjoint %.1f GFLOP/s, "
          + "numpy/OpenBLAS %.1f: %.0f%%%n", t, a, n, 100 * a / n);
    }
    for (Map.Entry<String, String> e : heap.entrySet()) {
      System.out.println("Smallest -Xmx (of those tried) that 300 " + e.getKey() + " steps run in: "
          + e.getValue());
    }
  }

  private static String key(String system, String workload, int threads) {
    return system + " " + workload + " " + threads;
  }

  private static double d(String s) {
    return Double.parseDouble(s);
  }

  private static void parse(String line, String system, int threads, Map<String, Result> out) {
    Matcher m = RESULT.matcher(line);
    if (!m.find() || !m.group(1).equals(system)) return;
    keepFastest(out, key(system, m.group(2), threads), new Result(d(m.group(3)), d(m.group(4)),
        d(m.group(5)), d(m.group(6)), d(m.group(7)), d(m.group(8)), Long.parseLong(m.group(9))));
  }

  /** Keeps the round with the smallest median of a system, workload and thread count. */
  private static void keepFastest(Map<String, Result> out, String key, Result r) {
    out.merge(key, r, (a, b) -> b.median < a.median ? b : a);
  }

  private static String cell(Result r) {
    return r == null ? "-" : String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", r.median, r.p10,
        r.p90);
  }

  private static String times(double ratio) {
    return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
  }

  /**
   * Debian's PyTorch 1.13, numpy and OpenBLAS, installed with apt-get where missing (a fresh
   * machine has none of them); without them the PyTorch 1.13 column stays empty, and says why.
   */
  private static void installPeers() throws IOException, InterruptedException {
    String need = "";
    if (!pythonImports("torch")) need += " python3-torch";
    if (!pythonImports("numpy")) need += " python3-numpy";
    if (!new File("/usr/lib/x86_64-linux-gnu/openblas-pthread").isDirectory()) {
      need += " libopenblas0-pthread";
    }
    if (need.isEmpty()) return;
    System.out.println("installing the Python peers:" + need);
    Process p = new ProcessBuilder("sh", "-c", "apt-get update -qq && apt-get install -y -qq"
        + need + " > /dev/null").inheritIO().start();
    if (p.waitFor() != 0 || !pythonImports("torch")) {
      System.out.println("PyTorch 1.13 is not available (apt-get install" + need
          + " failed): its column stays empty");
    }
  }

  private static boolean pythonImports(String module) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import " + module)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor() == 0;
  }

  private static double ratio(Result a, Result b) {
    return a == null || b == null ? Double.NaN : a.median / b.median;
  }

  private static String losses(Result a, Result j, Result p, boolean first) {
    StringBuilder s = new StringBuilder();
    for (Result r : new Result[] {a, j, p}) {
      if (s.length() > 0) s.append(" / ");
      s.append(r == null ? "-" : String.format(Locale.ROOT, "%.6f", first ? r.loss0 : r.loss9));
    }
    return s.toString();
  }

  /** Initial weights and 8 batches per model, the same for every system. */
  private static void writeData(Path path) {
    Map<String, Tensor> t = new LinkedHashMap<>();
    StepModels.Mlp.init(1).named().forEach((k, v) -> t.put("mlp." + k, v));
    StepModels.Cnn.init(2).named().forEach((k, v) -> t.put("cnn." + k, v));
    Tensor[][] mlp = StepModels.batches(3, TrainingStep.BATCHES, 128, 784);
    Tensor[][] cnn = StepModels.batches(4, TrainingStep.BATCHES, 64, 1, 28, 28);
    for (int b = 0; b < TrainingStep.BATCHES; b++) {
      t.put("mlp.x." + b, mlp[b][0]);
      t.put("mlp.y." + b, mlp[b][1]);
      t.put("cnn.x." + b, cnn[b][0]);
      t.put("cnn.y." + b, cnn[b][1]);
    }
    SafeTensors.write(path, t);
  }

  /** The smallest of {@code sizes} (MB) whose -Xmx runs 300 Adjoint steps of a workload. */
  private static String smallestHeap(Path data, String workload, int[] sizes) throws IOException,
      InterruptedException {
    for (int mb : sizes) {
      List<String> jvm = new ArrayList<>(List.of("-Xmx" + mb + "m"));
      for (String line : javaChild(1, jvm, List.of(data.toString(), "heap", workload, "300"))) {
        if (line.startsWith("RESULT heap " + workload + " ok")) return mb + " MB";
      }
    }
    return "more than " + sizes[sizes.length - 1] + " MB";
  }

  private static List<String> javaChild(int threads, List<String> args) throws IOException,
      InterruptedException {
    return javaChild(threads, List.of(), args);
  }

  /** A JVM like this one (class path, Vector API) running {@link TrainingStepRun}. */
  private static List<String> javaChild(int threads, List<String> jvm, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Dadjoint.threads=" + threads,
        "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads,
        "-Dai.djl.pytorch.num_interop_threads=1", "-Djava.util.logging.config.file=" + quietLogging()));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        TrainingStepRun.class.getName()));
    cmd.addAll(args);
    return TensorBenchmarkReport.run(cmd);
  }

  /** Python with OpenBLAS at its best on this CPU (its SkylakeX kernels), at a thread count. */
  private static List<String> python(int threads, String script, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("env", "OPENBLAS_CORETYPE=SkylakeX",
        "OPENBLAS_NUM_THREADS=" + threads, "OMP_NUM_THREADS=" + threads,
        "LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread", "/usr/bin/python3",
        new File("src/test/resources/peers", script).getPath()));
    cmd.addAll(Arrays.asList(args));
    return TensorBenchmarkReport.run(cmd);
  }

  private static String quiet;

  /** A logging configuration that keeps the kernels' one-line notice out of the output. */
  private static String quietLogging() throws IOException {
    if (quiet == null) {
      Path p = Path.of("target", "train-step", "logging.properties");
      Files.writeString(p, ".level=WARNING\n");
      quiet = p.toString();
    }
    return quiet;
  }
}
