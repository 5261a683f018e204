package dev.adjoint.tests.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the gradient benchmarks with JMH and prints, from that one run, the ratios the project
 * tracks: generated gradient / primal, JVP / primal, generated gradient / hand-written gradient,
 * and DerivativeStructure (commons-math) / generated gradient.
 *
 * <p>{@code mvn -q install -DskipTests && mvn -q -pl tests exec:exec@bench}
 */
public final class BenchmarkReport {
  private BenchmarkReport() {}

  public static void main(String[] args) throws RunnerException {
    Options options = new OptionsBuilder()
        .include(RosenbrockBenchmarks.class.getName())
        .include(OdeBenchmarks.class.getName())
        .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Double> ns = new HashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      String n = r.getParams().getParam("n");
      ns.put(n == null ? name : name + "@" + n, r.getPrimaryResult().getScore());
    }
    System.out.println();
    System.out.println("Adjoint gradient benchmarks (ns per call, JMH average time, one run)");
    System.out.printf("%-22s %10s %10s %10s %12s %16s | %9s %9s %11s %9s%n", "problem", "primal",
        "gradient", "jvp", "hand-written", "DerivativeStruct", "grad/prim", "jvp/prim",
        "grad/hand", "DS/grad");
    for (String n : new String[] {"100", "1000"}) {
      row("rosenbrock n=" + n, ns.get("RosenbrockBenchmarks.rosenbrockPrimal@" + n),
          ns.get("RosenbrockBenchmarks.rosenbrockGrad@" + n),
          ns.get("RosenbrockBenchmarks.rosenbrockJvp@" + n),
          ns.get("RosenbrockBenchmarks.rosenbrockHandWritten@" + n),
          ns.get("RosenbrockBenchmarks.rosenbrockDerivativeStructure@" + n));
    }
    row("ode 1000 steps", ns.get("OdeBenchmarks.primal"), ns.get("OdeBenchmarks.grad"),
        ns.get("OdeBenchmarks.jvp"), ns.get("OdeBenchmarks.handWritten"),
        ns.get("OdeBenchmarks.derivativeStructure"));
  }

  private static void row(String name, Double primal, Double grad, Double jvp, Double hand,
      Double ds) {
    if (primal == null || grad == null || jvp == null || hand == null || ds == null) {
      System.out.printf("%-22s (missing results)%n", name);
      return;
    }
    System.out.printf("%-22s %10.1f %10.1f %10.1f %12.1f %16.1f | %9.2f %9.2f %11.2f %9.0f%n",
        name, primal, grad, jvp, hand, ds, grad / primal, jvp / primal, grad / hand, ds / grad);
  }
}
