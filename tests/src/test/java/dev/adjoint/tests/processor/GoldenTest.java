package dev.adjoint.tests.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Generated code for canonical methods, compared character for character with reviewed files
 * under {@code src/test/resources/golden}: a change in what the processor writes shows up in
 * review. To accept a deliberate change, run with {@code -Dgolden.update=true} and review the
 * diff of the golden files.
 */
class GoldenTest {
  @Test
  void straightLineRosenbrock() throws IOException {
    check("Rosenbrock", """
        final class Rosenbrock {
          @Differentiable
          static double f(double x, double y) {
            double a = 1 - x;
            double b = y - x * x;
            return a * a + 100 * b * b;
          }
        }
        """);
  }

  @Test
  void loopWithBranch() throws IOException {
    check("Clipped", """
        final class Clipped {
          @Differentiable
          static double sum(double[] x, double limit) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              if (x[i] > limit) {
                s += limit;
              } else {
                s += x[i] * x[i];
              }
            }
            return s;
          }
        }
        """);
  }

  /** -Aadjoint.report=saved: what each reverse method keeps, per value, and how often. */
  @Test
  void savedReport() throws IOException {
    Compilation c = com.google.testing.compile.Compiler.javac()
        .withProcessors(new dev.adjoint.processor.DifferentiableProcessor())
        .withOptions("-Aadjoint.report=saved", "-Aadjoint.jarForwardOrder=1")
        .compile(Snippets.source("Rnn", """
            final class Rnn {
              @Differentiable
              static double cell(double h, double x, double w) {
                return Math.tanh(w * h + x);
              }
              @Differentiable
              static double loss(double[] xs, double w) {
                double h = 0;
                for (int t = 0; t < xs.length; t++) {
                  h = cell(h, xs[t], w);
                }
                return h * h;
              }
            }
            """));
    assertThat(c).succeeded();
    String report = c.generatedFile(javax.tools.StandardLocation.SOURCE_OUTPUT, "demo",
        "RnnDerivatives.saved.txt").orElseThrow().getCharContent(true).toString();
    String loss = report.substring(report.indexOf("RnnDerivatives.lossVjp\n"));
    loss = loss.substring(0, loss.indexOf("\nRnnDerivatives.", 1) + 1);
    assertEquals("""
        RnnDerivatives.lossVjp
          Kept for the reverse sweep (Rnn.java):
            residual 'h' of the call to Rnn.cell (double, line 12): once per iteration of the loop at line 11
            residual 'w * h + x' of the call to Rnn.cell (double, line 12): once per iteration of the loop at line 11
            residual 'tanh(...)' of the call to Rnn.cell (double, line 12): once per iteration of the loop at line 11
            residual 'w' of the call to Rnn.cell (double, line 12): once per iteration of the loop at line 11
          Recomputed in the reverse sweep instead of kept:
            'h' before the loop, a constant (double, line 11)
            the trip count of the loop and its counter 't', from the loop's bounds (int, line 11)
        """, loss);
  }

  private static void check(String name, String source) throws IOException {
    // jarForwardOrder 1: the golden files show what the methods need, not the extras for jars
    Compilation c = Snippets.compileFirstOrderJar(Snippets.source(name, source));
    assertThat(c).succeeded();
    JavaFileObject generated = c.generatedSourceFile("demo." + name + "Derivatives").orElseThrow();
    String actual = generated.getCharContent(true).toString();
    String resource = "golden/" + name + "Derivatives.java";
    if (Boolean.getBoolean("golden.update")) {
      Path file = Path.of("src/test/resources", resource);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    try (InputStream in = GoldenTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new AssertionError("missing golden file " + resource);
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual,
          "generated code changed; review it and update " + resource);
    }
  }
}
