package dev.adjoint.examples.newton;

import dev.adjoint.tensor.Tensor;
import java.util.List;

/**
 * Truncated Newton (Newton-CG) and plain gradient descent on {@link SoftmaxRegression}'s loss.
 * Each Newton step solves {@code H p = -g} approximately by conjugate gradient, which needs only
 * products of the Hessian with vectors: {@code SoftmaxRegressionDerivatives.lossHvp}, the
 * generated forward-over-reverse derivative, computes one for about the cost of two gradients,
 * and the Hessian (here 650 x 650) is never formed.
 */
public final class NewtonCg {
  /**
   * One iteration's figures: the loss, the norm of its gradient, and the Hessian-vector
   * products computed so far.
   */
  public record Iterate(int iteration, double loss, double gradNorm, int hvps) {}

  private final Tensor x;
  private final Tensor labels;
  private final double lambda;
  private int hvps;

  /** The problem: features {@code x} (float64), INT64 labels, the L2 weight. */
  public NewtonCg(Tensor x, Tensor labels, double lambda) {
    this.x = x;
    this.labels = labels;
    this.lambda = lambda;
  }

  /** The loss at {@code model}. */
  public double loss(SoftmaxRegression model) {
    return model.loss(x, labels, lambda).item();
  }

  /** The generated gradient at {@code model}. */
  public SoftmaxRegression gradient(SoftmaxRegression model) {
    return SoftmaxRegressionDerivatives.lossGrad(model, x, labels, lambda);
  }

  /** Newton-CG steps until the gradient's norm is below {@code tolerance}. */
  public SoftmaxRegression newton(SoftmaxRegression model, int maxSteps, double tolerance,
      List<Iterate> trace) {
    for (int step = 0; step <= maxSteps; step++) {
      SoftmaxRegression g = gradient(model);
      double gnorm = g.norm();
      trace.add(new Iterate(step, loss(model), gnorm, hvps));
      if (gnorm < tolerance || step == maxSteps) break;
      // the forcing term of Nocedal and Wright (Algorithm 7.1): superlinear convergence
      SoftmaxRegression p = conjugateGradient(model, g, Math.min(0.5, Math.sqrt(gnorm)) * gnorm);
      model = backtrack(model, p, g);
    }
    return model;
  }

  /** Gradient descent with a fixed step, for comparison. */
  public SoftmaxRegression gradientDescent(SoftmaxRegression model, int steps, double rate,
      List<Iterate> trace) {
    for (int step = 0; step <= steps; step++) {
      SoftmaxRegression g = gradient(model);
      trace.add(new Iterate(step, loss(model), g.norm(), 0));
      if (step < steps) model = model.plus(-rate, g);
    }
    return model;
  }

  /** The Hessian of the loss at {@code model} times {@code v}, by the generated lossHvp. */
  public SoftmaxRegression hessianTimes(SoftmaxRegression model, SoftmaxRegression v) {
    hvps++;
    return SoftmaxRegressionDerivatives.lossHvp(model, x, labels, lambda, v);
  }

  /** Approximately solves {@code H p = -g} at {@code model}: CG from p = 0 to residual below tol. */
  private SoftmaxRegression conjugateGradient(SoftmaxRegression model, SoftmaxRegression g,
      double tol) {
    SoftmaxRegression p = SoftmaxRegression.zeros(g.w().size(0), g.w().size(1));
    SoftmaxRegression r = p.plus(-1, g); // the residual -g - H p
    SoftmaxRegression d = r;
    double rr = r.dot(r);
    for (int i = 0; i < 100 && Math.sqrt(rr) > tol; i++) {
      SoftmaxRegression hd = hessianTimes(model, d);
      double curvature = d.dot(hd);
      if (curvature <= 0) {
        // not for this convex loss; a non-convex one would stop here
        return i == 0 ? r : p;
      }
      double alpha = rr / curvature;
      p = p.plus(alpha, d);
      r = r.plus(-alpha, hd);
      double next = r.dot(r);
      d = r.plus(next / rr, d);
      rr = next;
    }
    return p;
  }

  /** The full Newton step if it decreases the loss enough (Armijo), else halved until it does. */
  private SoftmaxRegression backtrack(SoftmaxRegression model, SoftmaxRegression p,
      SoftmaxRegression g) {
    double f = loss(model);
    double slope = g.dot(p);
    for (double t = 1; t > 1e-10; t /= 2) {
      SoftmaxRegression next = model.plus(t, p);
      if (loss(next) <= f + 1e-4 * t * slope) return next;
    }
    return model;
  }
}
