package dev.adjoint.tests.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the tensor benchmarks with JMH, then the peers (numpy on OpenBLAS, set up at its best by
 * {@code src/test/resources/peers/run.sh}) in the same run, and prints GFLOP/s and GB/s side by
 * side.
 *
 * <p>{@code mvn -q install -DskipTests && mvn -q -pl tests exec:exec@tensor-bench}
 */
public final class TensorBenchmarkReport {
  private TensorBenchmarkReport() {}

  public static void main(String[] args) throws RunnerException, IOException,
      InterruptedException {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(TensorBenchmarks.class.getName().replace("$", "\\$") + ".*").build()).run();
    Map<String, Double> us = new HashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      String n = r.getParams().getParam("n");
      us.put(n == null ? name : name + "@" + n, r.getPrimaryResult().getScore());
    }
    File peers = new File("src/test/resources/peers/run.sh");
    Map<String, Double> numpy = new HashMap<>();
    for (int threads : new int[] {1, 2}) {
      for (String line : run(List.of("bash", peers.getPath(), "matmul",
          Integer.toString(threads), "--sizes", "256,512,1024,2048", "--lib", "numpy"))) {
        Matcher m = Pattern.compile("numpy float32\\s+n=(\\d+).*median=\\s*([0-9.]+) GFLOP/s")
            .matcher(line);
        if (m.find()) numpy.put(threads + "@" + m.group(1), Double.parseDouble(m.group(2)));
      }
    }
    for (int threads : new int[] {1, 2}) {
      for (String line : run(List.of("env", "OPENBLAS_CORETYPE=SkylakeX", "OPENBLAS_NUM_THREADS="
          + threads, "/usr/bin/python3", "src/test/resources/peers/conv2d.py",
          Integer.toString(threads)))) {
        Matcher m = Pattern.compile("torch conv2d ([0-9.]+)").matcher(line);
        if (m.find()) numpy.put("conv" + threads, Double.parseDouble(m.group(1)));
      }
    }
    File elementwise = new File("src/test/resources/peers/elementwise.py");
    for (String line : run(List.of("/usr/bin/python3", elementwise.getPath()))) {
      Matcher m = Pattern.compile("numpy (\\w+) ([0-9.]+)").matcher(line);
      if (m.find()) numpy.put(m.group(1), Double.parseDouble(m.group(2)));
    }

    System.out.println();
    System.out.println("Adjoint CPU tensor benchmarks against numpy/OpenBLAS (one run)");
    System.out.printf("%-22s %12s %12s %8s%n", "float32 matmul", "Adjoint", "OpenBLAS", "ratio");
    for (int threads : new int[] {1, 2}) {
      String cls = threads == 1 ? "MatmulOneThread" : "MatmulTwoThreads";
      for (int n : new int[] {256, 512, 1024, 2048}) {
        Double t = us.get("TensorBenchmarks$" + cls + ".matmul@" + n);
        if (t == null) t = us.get(cls + ".matmul@" + n);
        double ours = t == null ? Double.NaN : 2.0 * n * n * n / (t * 1e3);
        Double peer = numpy.get(threads + "@" + n);
        System.out.printf("%-22s %8.1f GF/s %8.1f GF/s %7.0f%%%n", n + "^2, " + threads
            + (threads == 1 ? " thread" : " threads"), ours, peer == null ? Double.NaN : peer,
            peer == null ? Double.NaN : 100 * ours / peer);
      }
    }
    double n = TensorBenchmarks.Elementwise.N;
    Double add = find(us, "Elementwise.add");
    Double sum = find(us, "Elementwise.sum");
    Double copy = find(us, "Elementwise.copy");
    System.out.printf("%-22s %8.1f GB/s %8.1f GB/s %7.0f%%   (copy: %.1f GB/s; add at %.0f%%"
        + " of copy)%n", "add, 16M float32", 12 * n / (add * 1e3), 12 * n / (numpy.getOrDefault(
        "add", Double.NaN) * 1e3), 100 * numpy.getOrDefault("add", Double.NaN) / add,
        8 * n / (copy * 1e3), 100 * (12 * n / add) / (8 * n / copy));
    double convFlops = 2.0 * 64 * 32 * 32 * 9 * 32 * 32;
    for (int threads : new int[] {1, 2}) {
      Double t = find(us, (threads == 1 ? "ConvOneThread" : "ConvTwoThreads") + ".conv2d");
      Double peer = numpy.get("conv" + threads);
      System.out.printf("%-22s %8.1f GF/s %8.1f GF/s %7.0f%%   (peer: PyTorch)%n",
          "conv2d, " + threads + (threads == 1 ? " thread" : " threads"), convFlops / (t * 1e3),
          peer == null ? Double.NaN : convFlops / (peer * 1e3),
          peer == null ? Double.NaN : 100 * peer / t);
    }
    System.out.printf("%-22s %8.1f GB/s %8.1f GB/s %7.0f%%%n", "sum, 16M float32",
        4 * n / (sum * 1e3), 4 * n / (numpy.getOrDefault("sum", Double.NaN) * 1e3),
        100 * numpy.getOrDefault("sum", Double.NaN) / sum);
  }

  private static Double find(Map<String, Double> us, String suffix) {
    for (Map.Entry<String, Double> e : us.entrySet()) {
      if (e.getKey().endsWith(suffix)) return e.getValue();
    }
    return Double.NaN;
  }

  /** Runs a peer, echoing its output; its lines. */
  static List<String> run(List<String> command) throws IOException,
      InterruptedException {
    List<String> lines = new ArrayList<>();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        System.out.println("  peer: " + line);
        lines.add(line);
      }
    }
    p.waitFor();
    return lines;
  }
}
