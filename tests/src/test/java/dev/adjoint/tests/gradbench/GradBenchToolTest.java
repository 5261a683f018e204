package dev.adjoint.tests.gradbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The GradBench tool through its protocol: messages in, answers out, each derivative against a
 * closed form or central differences of the objective (the evals themselves check against
 * GradBench's C++ tool, in {@code tests/gradbench/run.sh}).
 */
class GradBenchToolTest {
  /** The answer as the eval reads it: written as JSON and parsed again. */
  private static Map<String, Object> ask(String json) {
    Map<String, Object> r = Json.object(Json.parse(Json.write(
        GradBenchTool.answer(Json.object(Json.parse(json))))));
    assertEquals(Boolean.TRUE, r.get("success"), () -> "failed: " + r);
    return r;
  }

  private static void assertCentralDifferences(ToDoubleFunction<double[]> f, double[] x,
      double[] gradient, double tolerance) {
    double h = 1e-6;
    for (int i = 0; i < x.length; i++) {
      double[] up = x.clone();
      double[] down = x.clone();
      up[i] += h;
      down[i] -= h;
      assertEquals((f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h), gradient[i],
          tolerance, "component " + i);
    }
  }

  private static double[] output(String json) {
    return Json.doubles(ask(json).get("output"));
  }

  @Test
  void protocolMessages() {
    assertEquals("adjoint", GradBenchTool.answer(Json.object(Json.parse(
        "{\"id\":0,\"kind\":\"start\",\"eval\":\"lse\"}"))).get("tool"));
    assertEquals(Boolean.TRUE, ask("{\"id\":1,\"kind\":\"define\",\"module\":\"lse\"}")
        .get("success"));
    Map<String, Object> missing = GradBenchTool.answer(Json.object(Json.parse(
        "{\"id\":2,\"kind\":\"define\",\"module\":\"nope\"}")));
    assertEquals(Boolean.FALSE, missing.get("success"));
    Map<String, Object> r = ask("{\"id\":3,\"kind\":\"evaluate\",\"module\":\"hello\","
        + "\"function\":\"double\",\"input\":1.5}");
    assertEquals(3.0, ((Number) r.get("output")).doubleValue());
    List<?> timings = (List<?>) r.get("timings");
    assertTrue(timings.size() >= 2, "prepare and at least one run");
    assertFalse(Json.write(r).contains("\n"));
  }

  @Test
  void lseGradientIsTheSoftmax() {
    double[] x = {0.3, -1.2, 2.5, 2.5, 0.0};
    double[] g = output("{\"id\":0,\"kind\":\"evaluate\",\"module\":\"lse\","
        + "\"function\":\"gradient\",\"input\":{\"x\":" + Json.write(x) + "}}");
    double z = 0;
    for (double v : x) z += Math.exp(v);
    for (int i = 0; i < x.length; i++) assertEquals(Math.exp(x[i]) / z, g[i], 1e-15);
  }

  @Test
  void llsqGradientAgainstCentralDifferences() {
    double[] x = new Random(3).doubles(5, -1, 1).toArray();
    int n = 17;
    double[] g = output("{\"id\":0,\"kind\":\"evaluate\",\"module\":\"llsq\","
        + "\"function\":\"gradient\",\"input\":{\"x\":" + Json.write(x) + ",\"n\":" + n + "}}");
    assertCentralDifferences(y -> Llsq.llsq(y, n), x, g, 1e-6);
  }

  @Test
  void kmeansDirectionIsTheStepToTheClusterMeans() {
    // points (0,0), (1,1) nearest to centroid 0; (5,5), (6,6) to centroid 1
    Map<String, Object> r = ask("{\"id\":0,\"kind\":\"evaluate\",\"module\":\"kmeans\","
        + "\"function\":\"dir\",\"input\":{\"points\":[[0,0],[1,1],[5,5],[6,6]],"
        + "\"centroids\":[[0.5,0.2],[5.2,5.1]]}}");
    List<?> rows = (List<?>) r.get("output");
    double[][] want = {{0.5 - 0.5, 0.2 - 0.5}, {5.2 - 5.5, 5.1 - 5.5}}; // centroid - mean
    for (int j = 0; j < 2; j++) {
      double[] row = Json.doubles(rows.get(j));
      for (int l = 0; l < 2; l++) assertEquals(want[j][l], row[l], 1e-12);
    }
  }

  @Test
  void odeGradientAgainstCentralDifferences() {
    double[] x = new Random(5).doubles(6, 0.5, 1.5).toArray();
    int steps = 3;
    double[] g = output("{\"id\":0,\"kind\":\"evaluate\",\"module\":\"ode\","
        + "\"function\":\"gradient\",\"input\":{\"x\":" + Json.write(x) + ",\"s\":" + steps
        + "}}");
    assertCentralDifferences(y -> Ode.last(y, steps), x, g, 1e-7);
  }

  @Test
  void gmmGradientAgainstCentralDifferences() {
    int d = 3;
    int k = 2;
    int n = 4;
    Random r = new Random(7);
    double[][] parts = {r.doubles(k, -1, 1).toArray(), r.doubles(k * d, -1, 1).toArray(),
        r.doubles(k * d, -0.5, 0.5).toArray(), r.doubles(k * d * (d - 1) / 2, -1, 1).toArray()};
    double[] x = r.doubles(n * d, -1, 1).toArray();
    double c = Gmm.priorConstant(d, k, 1.0, 0);
    GmmDerivatives.ObjectiveGrad g = GmmDerivatives.objectiveGrad(parts[0], parts[1], parts[2],
        parts[3], x, d, k, n, 1.0, 0, c);
    double[][] grads = {g.alpha(), g.mu(), g.q(), g.l()};
    for (int p = 0; p < parts.length; p++) {
      int which = p;
      assertCentralDifferences(y -> {
        double[][] at = parts.clone();
        at[which] = y;
        return Gmm.objective(at[0], at[1], at[2], at[3], x, d, k, n, 1.0, 0, c);
      }, parts[p], grads[p], 1e-6);
    }
  }

  @Test
  void logGammaAgainstFactorials() {
    double factorial = 1;
    for (int z = 1; z < 20; z++) {
      assertEquals(Math.log(factorial), Gmm.logGamma(z), 1e-12);
      factorial *= z;
    }
    assertEquals(0.5 * Math.log(Math.PI), Gmm.logGamma(0.5), 1e-14); // Γ(1/2) = √π
  }

  @Test
  void saddleFourWaysOfNestedDerivatives() {
    // GradBench's expected output for start (1, 1): every coordinate 8.246324826140356e-06
    for (String variant : new String[] {"rr", "rf", "fr", "ff"}) {
      double[] out = output("{\"id\":0,\"kind\":\"evaluate\",\"module\":\"saddle\","
          + "\"function\":\"" + variant + "\",\"input\":{\"start\":[1.0,1.0]}}");
      for (double v : out) assertEquals(8.246324826140356e-06, v, 1e-10, variant);
    }
    // the inner maximum is |p1|^2 (at p2 near 0): its gradient 2 p1, by each of the four
    double x = 0.6;
    double y = -0.3;
    SaddleDerivatives.InnerMaxRGrad rr = SaddleDerivatives.innerMaxRGrad(x, y, 1, 1);
    SaddleDerivatives.InnerMaxFGrad rf = SaddleDerivatives.innerMaxFGrad(x, y, 1, 1);
    double[][] all = {{rr.x1(), rr.y1()}, {rf.x1(), rf.y1()},
        {SaddleDerivatives.innerMaxRJvp(x, y, 1, 1, 1, 0).tangent(),
            SaddleDerivatives.innerMaxRJvp(x, y, 1, 1, 0, 1).tangent()},
        {SaddleDerivatives.innerMaxFJvp(x, y, 1, 1, 1, 0).tangent(),
            SaddleDerivatives.innerMaxFJvp(x, y, 1, 1, 0, 1).tangent()}};
    for (double[] g : all) {
      assertEquals(2 * x, g[0], 1e-9);
      assertEquals(2 * y, g[1], 1e-9);
    }
  }
}

