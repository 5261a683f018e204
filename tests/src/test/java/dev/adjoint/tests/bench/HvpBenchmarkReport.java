package dev.adjoint.tests.bench;

import java.io.IOException;
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
 * Second order against PyTorch's double backward, in one run: the MLP gradient and
 * Hessian-vector product of {@link HvpBenchmarks}, then {@code peers/mlp_hvp.py} (PyTorch on
 * one thread, OpenBLAS at its best), and the ratios.
 *
 * <p>{@code mvn -q install -DskipTests && mvn -q -pl tests exec:exec@hvp-bench}
 */
public final class HvpBenchmarkReport {
  private HvpBenchmarkReport() {}

  public static void main(String[] args) throws RunnerException, IOException,
      InterruptedException {
    Map<String, Double> ours = new HashMap<>();
    for (RunResult r : new Runner(new OptionsBuilder()
        .include(HvpBenchmarks.class.getName() + ".*").build()).run()) {
      String name = r.getParams().getBenchmark();
      ours.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
    }
    Map<String, Double> torch = new HashMap<>();
    for (String line : TensorBenchmarkReport.run(List.of("env", "OPENBLAS_CORETYPE=SkylakeX",
        "OPENBLAS_NUM_THREADS=1", "/usr/bin/python3", "src/test/resources/peers/mlp_hvp.py",
        "1"))) {
      Matcher m = Pattern.compile("torch (\\w+) ([0-9.]+)").matcher(line);
      if (m.find()) torch.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    System.out.println();
    System.out.println("MLP 256x784 -> 256 -> 10, float32, one thread (one run)");
    System.out.printf("%-10s %12s %12s %14s%n", "", "Adjoint", "PyTorch", "PyTorch/Adjoint");
    for (String k : new String[] {"grad", "hvp"}) {
      double a = ours.getOrDefault(k, Double.NaN);
      double t = torch.getOrDefault(k, Double.NaN);
      System.out.printf("%-10s %9.0f us %9.0f us %13.2fx%n", k, a, t, t / a);
    }
    System.out.printf("hvp/grad: Adjoint %.2f, PyTorch %.2f%n",
        ours.getOrDefault("hvp", Double.NaN) / ours.getOrDefault("grad", Double.NaN),
        torch.getOrDefault("hvp", Double.NaN) / torch.getOrDefault("grad", Double.NaN));
  }
}
