package dev.adjoint.tests.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Every call in the source is evaluated exactly once in the generated code, in order. */
class EvaluationOrderTest {
  @Test
  void chainedCallsAreReadOnce() throws IOException {
    Compilation c = Snippets.compile(Snippets.source("Chain", """
        final class Chain {
          record Box(double v) {
            @Differentiable
            Box twice() {
              return new Box(2 * v);
            }
          }

          @Differentiable
          static double f(double x) {
            return new Box(x).twice().twice().twice().v();
          }
        }
        """));
    assertThat(c).succeeded();
    String code = c.generatedSourceFile("demo.ChainDerivatives").orElseThrow()
        .getCharContent(true).toString();
    String vjp = code.substring(code.indexOf("static double fVjp("));
    vjp = vjp.substring(0, vjp.indexOf("\n    }\n"));
    // each call runs once, in its forward half that keeps what its reverse half needs
    assertEquals(3, vjp.split("twiceVjpForward\\(", -1).length - 1, vjp);
    assertEquals(3, vjp.split("twiceVjpBackward\\(", -1).length - 1, vjp);
    assertEquals(0, vjp.split("\\.twice\\(", -1).length - 1, vjp);
  }
}
