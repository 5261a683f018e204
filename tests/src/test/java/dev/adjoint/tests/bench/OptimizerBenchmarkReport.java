package dev.adjoint.tests.bench;

import java.io.IOException;
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
 * One optimizer step over the MLP 784-256-256-10's parameters, Adjoint (JMH, one thread) and
 * PyTorch 1.13 ({@code torch.optim}, single-tensor path, one thread) in the same run, with
 * the ratios: each optimizer against PyTorch's, and each against Adjoint's plain SGD.
 *
 * <p>{@code mvn -q install -DskipTests && mvn -q -pl tests exec:exec@optim-bench}
 */
public final class OptimizerBenchmarkReport {
  private OptimizerBenchmarkReport() {}

  public static void main(String[] args) throws RunnerException, IOException,
      InterruptedException {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(OptimizerBenchmarks.class.getName() + ".*").build()).run();
    Map<String, Double> us = new HashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      us.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
    }
    Map<String, Double> torch = new HashMap<>();
    for (String line : TensorBenchmarkReport.run(List.of("/usr/bin/python3",
        "src/test/resources/peers/optim_step.py"))) {
      Matcher m = Pattern.compile("torch (\\w+) ([0-9.]+) us").matcher(line);
      if (m.find()) torch.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    System.out.println();
    System.out.println("One optimizer step, MLP 784-256-256-10 (269,322 float32), one thread");
    System.out.printf("%-14s %10s %10s %9s %9s%n", "", "Adjoint", "PyTorch", "/PyTorch",
        "/Adj SGD");
    double base = us.getOrDefault("sgd", Double.NaN);
    for (String k : new String[] {"sgd", "sgdMomentum", "adam", "adamW", "rmsProp",
        "adamComposed"}) {
      double a = us.getOrDefault(k, Double.NaN);
      double t = torch.getOrDefault(k.equals("adamComposed") ? "adam" : k, Double.NaN);
      System.out.printf("%-14s %7.0f us %7.0f us %8.2fx %8.2fx%n", k, a, t, a / t, a / base);
    }
    System.out.println("(adamComposed: Adam written with tensor operations, compared with "
        + "PyTorch's Adam)");
  }
}
