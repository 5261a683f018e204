package dev.adjoint.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness can fail: derivatives written by hand with a planted error (compiled without the
 * processor) are reported as wrong, right ones pass, a kink is skipped rather than failed, and
 * the minimizer shrinks a program while its failure stays.
 */
class HarnessSelfTest {
  private static final String PROGRAM = """
      package fuzz;
      public final class H {
        public static double f(double x, double[] a) { return Math.sin(x) * a[0] + a[1] * a[1]; }
      }
      """;

  /** fGrad, fValueAndGrad, fJvp, fJvpN, fVjp, fHvp of f: the first {@code %s} planted in fJvpN, the second in dx. */
  private static final String DERIVATIVES = """
      package fuzz;
      import dev.adjoint.ad.Dual;
      import dev.adjoint.ad.ValueAndGrad;
      public final class HDerivatives {
        public record FGrad(double x, double[] a) {}
        public static FGrad fGrad(double x, double[] a) { return fVjp(x, a, 1); }
        public static ValueAndGrad<Double, FGrad> fValueAndGrad(double x, double[] a) {
          return new ValueAndGrad<>(H.f(x, a), fGrad(x, a));
        }
        public static Dual<Double> fJvp(double x, double[] a, double tx, double[] ta) {
          FGrad g = fGrad(x, a);
          return new Dual<>(H.f(x, a), g.x() * tx + g.a()[0] * ta[0] + g.a()[1] * ta[1]);
        }
        public static dev.adjoint.ad.DualN<Double, double[]> fJvpN(double x, double[] a,
            double[] tx, double[][] ta) {
          double[] t = new double[tx.length];
          for (int j = 0; j < t.length; j++) t[j] = fJvp(x, a, tx[j], ta[j]).tangent()%s;
          return new dev.adjoint.ad.DualN<>(H.f(x, a), t);
        }
        public static FGrad fVjp(double x, double[] a, double u) {
          double dx = Math.cos(x) * a[0]%s;
          return new FGrad(u * dx, new double[] {u * Math.sin(x), u * 2 * a[1]});
        }
        public static FGrad fHvp(double x, double[] a, double vx, double[] va) {
          return new FGrad(-Math.sin(x) * a[0] * vx + Math.cos(x) * va[0],
              new double[] {Math.cos(x) * vx, 2 * va[1]});
        }
      }
      """;

  private static Program signature() {
    return new Program("H", List.of(), List.of(new Program.Method("f", Type.REAL, List.of(
        Program.Param.of(Type.REAL, "x"), Program.Param.of(Type.REAL_ARRAY, "a")),
        new Stmt.Block(List.of()), true)), "f", List.of("f"),
        List.of(new ArgSpec.Real(null), new ArgSpec.RealArray(2, null)));
  }

  private static DerivativeChecker.Tally check(String planted) throws Exception {
    return check("", planted);
  }

  /** With {@code jvpN} planted in every direction's tangent of fJvpN. */
  private static DerivativeChecker.Tally check(String jvpN, String planted) throws Exception {
    InMemoryCompiler c = new InMemoryCompiler(List.of("-proc:none"));
    InMemoryCompiler.Result r = c.compile(Map.of("fuzz.H", PROGRAM, "fuzz.HDerivatives",
        String.format(DERIVATIVES, jvpN, planted)));
    assertTrue(r.success(), r.errors().toString());
    Subject s = new Subject(r.loader(), signature(), Variant.DOUBLE, "f");
    return DerivativeChecker.check(s, 5);
  }

  @Test
  void rightDerivativesPass() throws Exception {
    DerivativeChecker.Tally t = check("");
    assertNull(t.failure, () -> t.failure.toString());
    assertTrue(t.checks > 10);
  }

  @Test
  void aWrongGradientIsReported() throws Exception {
    DerivativeChecker.Tally t = check(" * 1.001");
    assertNotNull(t.failure);
    assertEquals(Failure.Kind.WRONG_DERIVATIVE, t.failure.kind());
  }

  @Test
  void aWrongVectorJvpIsReported() throws Exception {
    DerivativeChecker.Tally t = check(" * 1.001", "");
    assertNotNull(t.failure);
    assertEquals(Failure.Kind.WRONG_DERIVATIVE, t.failure.kind());
    assertTrue(t.failure.toString().contains("jvpN"), t.failure::toString);
  }

  @Test
  void aStaircaseIsSkippedNotFailed() throws Exception {
    // f(x) = floor(x * 1e5) / 1e5 has derivative 0 where it is defined; differences see jumps
    String program = """
        package fuzz;
        public final class K {
          public static double f(double x) { return Math.floor(x * 1e5) / 1e5; }
        }
        """;
    String derivatives = """
        package fuzz;
        import dev.adjoint.ad.Dual;
        import dev.adjoint.ad.ValueAndGrad;
        public final class KDerivatives {
          public static double fGrad(double x) { return 0; }
          public static ValueAndGrad<Double, Double> fValueAndGrad(double x) {
            return new ValueAndGrad<>(K.f(x), 0.0);
          }
          public static Dual<Double> fJvp(double x, double t) { return new Dual<>(K.f(x), 0.0); }
          public static dev.adjoint.ad.DualN<Double, double[]> fJvpN(double x, double[] t) {
            return new dev.adjoint.ad.DualN<>(K.f(x), new double[t.length]);
          }
          public static double fVjp(double x, double u) { return 0; }
          public static double fHvp(double x, double v) { return 0; }
        }
        """;
    InMemoryCompiler.Result r = new InMemoryCompiler(List.of("-proc:none"))
        .compile(Map.of("fuzz.K", program, "fuzz.KDerivatives", derivatives));
    assertTrue(r.success(), r.errors().toString());
    Program sig = new Program("K", List.of(), List.of(new Program.Method("f", Type.REAL,
        List.of(Program.Param.of(Type.REAL, "x")), new Stmt.Block(List.of()), true)), "f",
        List.of("f"), List.of(new ArgSpec.Real(null)));
    DerivativeChecker.Tally t = DerivativeChecker.check(
        new Subject(r.loader(), sig, Variant.DOUBLE, "f"), 9);
    assertNull(t.failure, () -> t.failure.toString());
    assertTrue(t.skipped > 0);
  }

  @Test
  void aMinimizedProgramKeepsItsFailure() {
    // the "failure": the program calls Math.exp; the first generated program that does
    java.util.function.Predicate<Program> mentionsExp = q -> JavaPrinter.print(q, Variant.DOUBLE)
        .contains("Math.exp(");
    Program p = null;
    for (long seed = 1; p == null; seed++) {
      Program q = ScalarGenerator.generate(seed, "M", ScalarGenerator.Size.NORMAL);
      if (mentionsExp.test(q) && Rewrite.statements(q) > 10) p = q;
    }
    Program small = new Minimizer(mentionsExp, 2000, 60_000).minimize(p);
    assertTrue(mentionsExp.test(small));
    // one method, its final return, and the statement holding the call (or none: in the return)
    assertTrue(Rewrite.statements(small) <= 3, () -> JavaPrinter.print(small, Variant.DOUBLE));
  }
}
