package dev.adjoint.tests.gradbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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

  @Test
  void lstmGradientAgainstCentralDifferences() {
    int l = 2;
    int b = 3;
    int c = 4;
    Random r = new Random(11);
    double[] main = r.doubles(8 * l * b, 0, 1).toArray();
    double[] extra = r.doubles(3 * b, 0, 1).toArray();
    double[] state = r.doubles(2 * l * b, 0, 1).toArray();
    double[] sequence = r.ints(c * b, 0, 2).asDoubleStream().toArray();
    String input = "{\"main_params\":" + Json.write(Json.asRows(main, 2 * l, 4 * b))
        + ",\"extra_params\":" + Json.write(Json.asRows(extra, 3, b))
        + ",\"state\":" + Json.write(Json.asRows(state, 2 * l, b))
        + ",\"sequence\":" + Json.write(Json.asRows(sequence, c, b)) + "}";
    double[] g = output("{\"id\":0,\"kind\":\"evaluate\",\"module\":\"lstm\","
        + "\"function\":\"jacobian\",\"input\":" + input + "}");
    assertEquals(main.length + extra.length, g.length);
    double[] both = new double[g.length];
    System.arraycopy(main, 0, both, 0, main.length);
    System.arraycopy(extra, 0, both, main.length, extra.length);
    assertCentralDifferences(y -> Lstm.objective(Arrays.copyOf(y, main.length),
        Arrays.copyOfRange(y, main.length, y.length), state, sequence, l, c, b),
        both, g, 1e-8);
  }

  @Test
  void baJacobianBlocksAgainstCentralDifferences() {
    Random r = new Random(13);
    double[][] rotations = {r.doubles(3, -0.5, 0.5).toArray(), {0, 0, 0}}; // both branches
    for (double[] rotation : rotations) {
      double[] cam = r.doubles(11, -0.1, 0.1).toArray();
      System.arraycopy(rotation, 0, cam, 0, 3);
      cam[6] = 400; // focal length
      double[] x = {0.3, -0.2, 5 + r.nextDouble()}; // in front of the camera
      double w = 0.8;
      double f0 = 1.5;
      double f1 = -2.5;
      int n = 3;
      int m = 4;
      int p = 16; // at least 15, so that the first 30 rows are reprojection rows
      Map<String, Object> out = Json.object(ask("{\"id\":0,\"kind\":\"evaluate\","
          + "\"module\":\"ba\",\"function\":\"jacobian\",\"input\":{\"n\":" + n
          + ",\"m\":" + m + ",\"p\":" + p + ",\"cam\":" + Json.write(cam) + ",\"x\":"
          + Json.write(x) + ",\"w\":" + w + ",\"feat\":[" + f0 + "," + f1 + "]}}")
          .get("output"));
      double[] vals = Json.doubles(out.get("vals"));
      double[] rows = Json.doubles(out.get("rows"));
      double[] cols = Json.doubles(out.get("cols"));
      for (int i = 0; i < 30; i++) assertEquals(15 * i, rows[i]);
      assertEquals(31 * p, rows[30]);
      for (int row = 0; row < 2; row++) {
        for (int j = 0; j < 11; j++) assertEquals(j, cols[15 * row + j]);
        for (int j = 0; j < 3; j++) assertEquals(11 * n + j, cols[15 * row + 11 + j]);
        assertEquals(11 * n + 3 * m, cols[15 * row + 14]);
        int which = row;
        double[] all = new double[15];
        System.arraycopy(cam, 0, all, 0, 11);
        System.arraycopy(x, 0, all, 11, 3);
        all[14] = w;
        double[] block = Arrays.copyOfRange(vals, 15 * row, 15 * row + 15);
        assertCentralDifferences(y -> Ba.reprojError(Arrays.copyOf(y, 11),
            Arrays.copyOfRange(y, 11, 14), y[14], f0, f1)[which], all, block,
            1e-6 * (1 + Arrays.stream(block).map(Math::abs).max().getAsDouble()));
      }
      assertEquals(11 * n + 3 * m + p - 1, cols[30]);
      assertEquals(-2 * w, vals[30], 1e-15); // d(1 - w^2)/dw
    }
  }

  @Test
  void particleFourWaysOfNestedDerivatives() {
    // GradBench's expected output from w = 0
    for (String variant : new String[] {"rr", "rf", "fr", "ff"}) {
      Map<String, Object> r = ask("{\"id\":0,\"kind\":\"evaluate\",\"module\":"
          + "\"particle\",\"function\":\"" + variant + "\",\"input\":{\"w\":0.0}}");
      assertEquals(0.2071918746486116, ((Number) r.get("output")).doubleValue(), 1e-9, variant);
    }
    // the objective's derivative, by each of the four, against central differences
    for (double w : new double[] {0.0, 0.15}) {
      double h = 1e-6;
      double want = (Particle.naiveEulerR(w + h) - Particle.naiveEulerR(w - h)) / (2 * h);
      assertEquals(want, ParticleDerivatives.naiveEulerRGrad(w), 1e-6);
      assertEquals(want, ParticleDerivatives.naiveEulerFGrad(w), 1e-6);
      assertEquals(want, ParticleDerivatives.naiveEulerRJvp(w, 1).tangent(), 1e-6);
      assertEquals(want, ParticleDerivatives.naiveEulerFJvp(w, 1).tangent(), 1e-6);
    }
    // the force: minus the gradient of the potential, in closed form
    ParticleDerivatives.PotentialGrad g = ParticleDerivatives.potentialGrad(0.5, 2, 3);
    double ax = 2 - 10;
    double ay = 3 - 9.5;
    double bx = 2 - 10;
    double by = 3;
    double ra = Math.pow(ax * ax + ay * ay, 1.5);
    double rb = Math.pow(bx * bx + by * by, 1.5);
    assertEquals(-ax / ra - bx / rb, g.x(), 1e-15);
    assertEquals(-ay / ra - by / rb, g.y(), 1e-15);
  }

  /** A hand of 22 bones (the pose parameters need that many) and a few vertices, at random. */
  private static Map<String, Object> randomHand(Random r, boolean complicated, boolean mirrored) {
    int nb = 22;
    int nv = 9;
    int n = 5;
    List<Integer> parents = new java.util.ArrayList<>();
    for (int b = 0; b < nb; b++) parents.add(b == 0 ? -1 : (b % 4 == 1 ? 0 : b - 1));
    List<Object> relatives = new java.util.ArrayList<>();
    List<Object> inverses = new java.util.ArrayList<>();
    for (int b = 0; b < nb; b++) {
      relatives.add(Json.asRows(nearIdentity(r), 4, 4));
      inverses.add(Json.asRows(nearIdentity(r), 4, 4));
    }
    List<Object> positions = new java.util.ArrayList<>();
    List<Object> weights = new java.util.ArrayList<>();
    for (int v = 0; v < nv; v++) {
      positions.add(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble(), 1});
      weights.add(r.doubles(nb, 0, 1).toArray());
    }
    List<Object> triangles = new java.util.ArrayList<>();
    for (int t = 0; t < nv; t++) {
      triangles.add(List.of(t, (t + 1) % nv, (t + 3) % nv));
    }
    List<Integer> corr = new java.util.ArrayList<>();
    List<Object> points = new java.util.ArrayList<>();
    List<Object> us = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      corr.add(r.nextInt(nv));
      points.add(r.doubles(3, -1, 1).toArray());
      us.add(r.doubles(2, 0, 0.5).toArray());
    }
    Map<String, Object> model = new java.util.LinkedHashMap<>();
    model.put("parents", parents);
    model.put("base_relatives", relatives);
    model.put("inverse_base_absolutes", inverses);
    model.put("base_positions", positions);
    model.put("weights", weights);
    model.put("triangles", triangles);
    model.put("is_mirrored", mirrored);
    Map<String, Object> input = new java.util.LinkedHashMap<>();
    input.put("theta", r.doubles(26, -0.6, 0.6).toArray());
    input.put("data", Map.of("model", model, "correspondences", corr, "points", points));
    if (complicated) input.put("us", us);
    return input;
  }

  private static double[] nearIdentity(Random r) {
    double[] m = new double[16];
    for (int i = 0; i < 16; i++) m[i] = (i % 5 == 0 ? 1 : 0) + (i < 12 ? 0.2 * r.nextGaussian() : 0);
    return m;
  }

  @Test
  void htJacobianAgainstCentralDifferences() {
    Random r = new Random(17);
    for (boolean complicated : new boolean[] {false, true}) {
      Map<String, Object> input = randomHand(r, complicated, complicated);
      String json = Json.write(input);
      List<?> rows = (List<?>) ask("{\"id\":0,\"kind\":\"evaluate\",\"module\":\"ht\","
          + "\"function\":\"jacobian\",\"input\":" + json + "}").get("output");
      double[] err = output("{\"id\":0,\"kind\":\"evaluate\",\"module\":\"ht\","
          + "\"function\":\"objective\",\"input\":" + json + "}");
      assertEquals(err.length, rows.size());
      int extra = complicated ? 2 : 0;
      double[][] jac = new double[rows.size()][];
      for (int i = 0; i < jac.length; i++) {
        jac[i] = Json.doubles(rows.get(i));
        assertEquals(extra + 26, jac[i].length);
      }
      // the residuals as a function of theta and us, through the tool's own reading
      Map<String, Object> parsed = Json.object(Json.parse(json));
      double[] theta = Json.doubles(parsed.get("theta"));
      double h = 1e-6;
      for (int c = 0; c < extra + 26; c++) {
        double[] up = residuals(parsed, theta, c - extra, extra > 0 ? c : -1, h);
        double[] down = residuals(parsed, theta, c - extra, extra > 0 ? c : -1, -h);
        for (int i = 0; i < err.length; i++) {
          assertEquals((up[i] - down[i]) / (2 * h), jac[i][c], 1e-7,
              "row " + i + ", column " + c + (complicated ? " (complicated)" : " (simple)"));
        }
      }
    }
  }

  /** The residuals with theta[t] moved by h, or (for t < 0) every point's us[u] moved by h. */
  @SuppressWarnings("unchecked")
  private static double[] residuals(Map<String, Object> input, double[] theta, int t, int u,
      double h) {
    Map<String, Object> moved = new java.util.LinkedHashMap<>(input);
    double[] th = theta.clone();
    if (t >= 0) th[t] += h;
    moved.put("theta", th);
    if (t < 0) {
      List<Object> us = new java.util.ArrayList<>();
      for (Object pair : (List<Object>) input.get("us")) {
        double[] p = Json.doubles(pair);
        p[u] += h;
        us.add(p);
      }
      moved.put("us", us);
    }
    return output("{\"id\":0,\"kind\":\"evaluate\",\"module\":\"ht\","
        + "\"function\":\"objective\",\"input\":" + Json.write(moved) + "}");
  }
}
