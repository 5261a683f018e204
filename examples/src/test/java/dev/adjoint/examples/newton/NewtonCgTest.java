package dev.adjoint.examples.newton;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.data.Dataset;
import dev.adjoint.examples.digits.Digits;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Newton-CG on softmax regression, checked with a gradient written out by hand here (plain
 * double loops, no generated code): it is zero where Newton-CG stops, and its central
 * differences are the generated Hessian-vector products.
 */
class NewtonCgTest {
  private static final double LAMBDA = NewtonCgExample.LAMBDA;
  private final Dataset train = Digits.split(0).train();
  private final double[] x = train.x().to(DType.FLOAT64).toDoubleArray();
  private final long[] y = train.y().toLongArray();
  private final int n = train.size();
  private final int f = Digits.PIXELS;
  private final int c = Digits.CLASSES;
  private final NewtonCg problem = new NewtonCg(train.x().to(DType.FLOAT64), train.y(), LAMBDA);

  @Test
  void newtonCgReachesTheMinimumWhereGradientDescentIsStillFarFromIt() {
    SoftmaxRegression start = SoftmaxRegression.zeros(f, c);
    List<NewtonCg.Iterate> newton = new ArrayList<>();
    SoftmaxRegression solution = problem.newton(start, 50, 1e-10, newton);
    assertTrue(newton.size() <= 15, "Newton-CG steps: " + newton.size());
    assertTrue(norm(handGradient(solution)) < 1e-9, "hand-written |grad| "
        + norm(handGradient(solution)));

    List<NewtonCg.Iterate> descent = new ArrayList<>();
    SoftmaxRegression gd = problem.gradientDescent(start, 500, 0.5, descent);
    assertTrue(norm(handGradient(gd)) > 1e-3, "gradient descent's |grad| after 500 steps");
    // a convex loss: the point with zero gradient is the minimum
    assertTrue(problem.loss(solution) < problem.loss(gd));
    assertTrue(descent.get(descent.size() - 1).loss() < descent.get(0).loss());
  }

  @Test
  void hessianVectorProductsAreDifferencesOfTheHandWrittenGradient() {
    SplittableRandom random = new SplittableRandom(3);
    SoftmaxRegression at = randomModel(random, 0.1);
    SoftmaxRegression v = randomModel(random, 1);
    double eps = 1e-5;
    double[] plus = handGradient(at.plus(eps, v));
    double[] minus = handGradient(at.plus(-eps, v));
    SoftmaxRegression hv = problem.hessianTimes(at, v);
    double[] generated = concat(hv);
    for (int i = 0; i < generated.length; i++) {
      double fd = (plus[i] - minus[i]) / (2 * eps);
      assertEquals(fd, generated[i], 1e-7 * Math.max(1, Math.abs(fd)), "component " + i);
    }
  }

  @Test
  void generatedGradientIsTheHandWrittenOne() {
    SoftmaxRegression at = randomModel(new SplittableRandom(4), 0.1);
    double[] hand = handGradient(at);
    double[] generated = concat(problem.gradient(at));
    for (int i = 0; i < hand.length; i++) {
      assertEquals(hand[i], generated[i], 1e-12, "component " + i);
    }
  }

  /** d loss / d (w, b), w row-major, then b: (softmax(x w + b) - onehot(y)) / n, and λ w. */
  private double[] handGradient(SoftmaxRegression model) {
    double[] w = model.w().toDoubleArray();
    double[] b = model.b().toDoubleArray();
    double[] grad = new double[f * c + c];
    double[] p = new double[c];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < c; k++) {
        double z = b[k];
        for (int j = 0; j < f; j++) z += x[i * f + j] * w[j * c + k];
        p[k] = z;
        max = Math.max(max, z);
      }
      double sum = 0;
      for (int k = 0; k < c; k++) sum += p[k] = Math.exp(p[k] - max);
      for (int k = 0; k < c; k++) {
        double r = (p[k] / sum - (y[i] == k ? 1 : 0)) / n;
        for (int j = 0; j < f; j++) grad[j * c + k] += x[i * f + j] * r;
        grad[f * c + k] += r;
      }
    }
    for (int j = 0; j < f * c; j++) grad[j] += LAMBDA * w[j];
    return grad;
  }

  private SoftmaxRegression randomModel(SplittableRandom random, double scale) {
    double[] w = new double[f * c];
    double[] b = new double[c];
    for (int i = 0; i < w.length; i++) w[i] = scale * (2 * random.nextDouble() - 1);
    for (int i = 0; i < b.length; i++) b[i] = scale * (2 * random.nextDouble() - 1);
    return new SoftmaxRegression(Tensor.of(w, f, c), Tensor.of(b, c));
  }

  private static double[] concat(SoftmaxRegression m) {
    double[] w = m.w().toDoubleArray();
    double[] b = m.b().toDoubleArray();
    double[] all = Arrays.copyOf(w, w.length + b.length);
    System.arraycopy(b, 0, all, w.length, b.length);
    return all;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double e : v) s += e * e;
    return Math.sqrt(s);
  }
}
