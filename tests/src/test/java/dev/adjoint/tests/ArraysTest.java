package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;
import static dev.adjoint.tests.Check.close;

import dev.adjoint.ad.GradCheck;
import dev.adjoint.tests.corpus.Arrays1;
import dev.adjoint.tests.corpus.Arrays1Derivatives;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ArraysTest {
  @Test
  void dotProduct() {
    double[] b = {0.5, -1, 2};
    Case.of("dot", a -> Arrays1.dot(a, b))
        .grad(a -> Arrays1Derivatives.dotGrad(a, b).a())
        .jvp((a, t) -> v(Arrays1Derivatives.dotJvp(a, b, t, new double[3]).tangent()))
        .vjp((a, u) -> Arrays1Derivatives.dotVjp(a, b, u[0]).a())
        .hvp((a, t) -> Arrays1Derivatives.dotHvp(a, b, t, new double[3]).a())
        .check(v(1, 2, 3));
    // closed form: d/da = b, d/db = a
    double[] a = {1, 2, 3};
    var g = Arrays1Derivatives.dotGrad(a, b);
    if (!Arrays.equals(g.a(), b) || !Arrays.equals(g.b(), a)) throw new AssertionError();
  }

  @Test
  void enhancedFor() {
    Case.of("sumOfSquares", Arrays1::sumOfSquares)
        .grad(Arrays1Derivatives::sumOfSquaresGrad)
        .jvp((x, t) -> v(Arrays1Derivatives.sumOfSquaresJvp(x, t).tangent()))
        .vjp((x, u) -> Arrays1Derivatives.sumOfSquaresVjp(x, u[0]))
        .hvp(Arrays1Derivatives::sumOfSquaresHvp)
        .check(v(1, -2, 0.5, 4));
  }

  @Test
  void writesToALocalArrayInALoop() {
    Case.of("prefixProducts", Arrays1::prefixProducts)
        .grad(Arrays1Derivatives::prefixProductsGrad)
        .jvp((x, t) -> v(Arrays1Derivatives.prefixProductsJvp(x, t).tangent()))
        .vjp((x, u) -> Arrays1Derivatives.prefixProductsVjp(x, u[0]))
        .hvp(Arrays1Derivatives::prefixProductsHvp)
        .check(v(1.1, -0.9, 0.7, 1.3, 0.5));
  }

  @Test
  void arrayResultDotProductTest() {
    double[] x = {0.3, -1.2, 2.0};
    double k = 1.7;
    GradCheck.Vector f = p -> Arrays1.scaled(Arrays.copyOf(p, 3), p[3]);
    double[] xk = {0.3, -1.2, 2.0, k};
    GradCheck.Jvp jvp = (p, t) -> Arrays1Derivatives.scaledJvp(Arrays.copyOf(p, 3), p[3],
        Arrays.copyOf(t, 3), t[3]).tangent();
    GradCheck.Vjp vjp = (p, u) -> {
      var g = Arrays1Derivatives.scaledVjp(Arrays.copyOf(p, 3), p[3], u);
      return v(g.x()[0], g.x()[1], g.x()[2], g.k());
    };
    GradCheck.checkJvp(f, jvp, xk, Check.FD, 3);
    GradCheck.checkDotProduct(jvp, vjp, xk, 3, Check.DOT, 5);
    // the input array is not modified
    double[] copy = x.clone();
    Arrays1Derivatives.scaledVjp(x, k, v(1, 1, 1));
    if (!Arrays.equals(copy, x)) throw new AssertionError("input modified");
  }

  @Test
  void arrayLiteral() {
    Case.of("literal", p -> Arrays1.literal(p[0], p[1]))
        .grad(p -> {
          var g = Arrays1Derivatives.literalGrad(p[0], p[1]);
          return v(g.x(), g.y());
        })
        .jvp((p, t) -> v(Arrays1Derivatives.literalJvp(p[0], p[1], t[0], t[1]).tangent()))
        .vjp((p, u) -> {
          var g = Arrays1Derivatives.literalVjp(p[0], p[1], u[0]);
          return v(g.x(), g.y());
        })
        .check(v(0.5, 2), v(-1.5, 0.25));
  }

  @Test
  void odeWithLocalStateArray() {
    double h = 0.05;
    Case.of("ode", p -> Arrays1.ode(Arrays.copyOf(p, 2), p[2]))
        .grad(p -> {
          var g = Arrays1Derivatives.odeGrad(Arrays.copyOf(p, 2), p[2]);
          return v(g.y0()[0], g.y0()[1], g.h());
        })
        .jvp((p, t) -> v(Arrays1Derivatives.odeJvp(Arrays.copyOf(p, 2), p[2],
            Arrays.copyOf(t, 2), t[2]).tangent()))
        .vjp((p, u) -> {
          var g = Arrays1Derivatives.odeVjp(Arrays.copyOf(p, 2), p[2], u[0]);
          return v(g.y0()[0], g.y0()[1], g.h());
        })
        .hvp((p, t) -> {
          var g = Arrays1Derivatives.odeHvp(Arrays.copyOf(p, 2), p[2], Arrays.copyOf(t, 2), t[2]);
          return v(g.y0()[0], g.y0()[1], g.h());
        })
        .check(v(1, 0, h), v(0.3, -0.5, 0.1));
  }

  @Test
  void floatArrayClosedForm() {
    float[] x = {0.5f, -1.5f, 2f};
    float[] g = Arrays1Derivatives.floatArrayGrad(x);
    for (int i = 0; i < x.length; i++) close(2.0 * x[i] * (i + 1), g[i], 1e-6, "i=" + i);
  }

  @Test
  void freshArrayInEveryIteration() {
    Case.of("arrayPerIteration", Arrays1::arrayPerIteration)
        .grad(Arrays1Derivatives::arrayPerIterationGrad)
        .jvp((x, t) -> v(Arrays1Derivatives.arrayPerIterationJvp(x, t).tangent()))
        .vjp((x, u) -> Arrays1Derivatives.arrayPerIterationVjp(x, u[0]))
        .hvp(Arrays1Derivatives::arrayPerIterationHvp)
        .check(v(0.5, -1.5, 2.0));
    double[] g = Arrays1Derivatives.arrayPerIterationGrad(new double[] {0.5, -1.5});
    close(3 * 0.25, g[0], 1e-14, "3 x^2");
    close(3 * 2.25, g[1], 1e-14, "3 x^2");
  }
}
