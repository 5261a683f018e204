package dev.adjoint.examples.newton;

import dev.adjoint.data.Dataset;
import dev.adjoint.examples.digits.Digits;
import dev.adjoint.tensor.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits softmax regression to the UCI digits twice, in float64: with Newton-CG, whose
 * Hessian-vector products come from the generated {@code lossHvp} on tensors, and with gradient
 * descent. Newton-CG reaches a gradient norm of 1e-10 in a few steps; gradient descent, given
 * far more, is still far from it.
 *
 * <p>{@code mvn -q -pl examples exec:exec@run -Dexec.mainClass=dev.adjoint.examples.newton.NewtonCgExample}
 */
public final class NewtonCgExample {
  static final double LAMBDA = 1e-3;

  private NewtonCgExample() {}

  /** No arguments. */
  public static void main(String[] args) {
    Dataset train = Digits.split(0).train();
    NewtonCg problem = new NewtonCg(train.x().to(DType.FLOAT64), train.y(), LAMBDA);
    SoftmaxRegression start = SoftmaxRegression.zeros(Digits.PIXELS, Digits.CLASSES);
    System.out.printf("softmax regression on %d digits, %d parameters, L2 weight %g%n",
        train.size(), Digits.PIXELS * Digits.CLASSES + Digits.CLASSES, LAMBDA);

    List<NewtonCg.Iterate> newton = new ArrayList<>();
    problem.newton(start, 50, 1e-10, newton);
    for (NewtonCg.Iterate it : newton) {
      System.out.printf("Newton-CG step %2d: loss %.12f, |grad| %.3e, %3d Hessian-vector"
          + " products so far%n", it.iteration(), it.loss(), it.gradNorm(), it.hvps());
    }
    List<NewtonCg.Iterate> descent = new ArrayList<>();
    problem.gradientDescent(start, 500, 0.5, descent);
    for (NewtonCg.Iterate it : descent) {
      if (it.iteration() % 100 == 0) {
        System.out.printf("gradient descent step %3d: loss %.12f, |grad| %.3e%n",
            it.iteration(), it.loss(), it.gradNorm());
      }
    }
  }
}
