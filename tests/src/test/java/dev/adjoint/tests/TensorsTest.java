package dev.adjoint.tests;

import static dev.adjoint.tests.Case.v;

import dev.adjoint.ad.GradCheck;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import dev.adjoint.tests.corpus.Tensors;
import dev.adjoint.tests.corpus.TensorsDerivatives;
import dev.adjoint.tests.corpus.Tensors_MlpDerivatives;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Generated derivatives of tensor programs, against central differences in float64. */
class TensorsTest {
  private final Random random = new Random(3);

  private Tensor rand(int... shape) {
    return Tensor.randn(DType.FLOAT64, random, shape);
  }

  private static Tensor t(double[] p, int from, int... shape) {
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    return Tensor.of(Arrays.copyOfRange(p, from, from + n), shape);
  }

  private static double[] concat(Tensor... ts) {
    return Arrays.stream(ts).flatMapToDouble(x -> Arrays.stream(x.toDoubleArray())).toArray();
  }

  @Test
  void meanSquaredError() {
    Tensor x = rand(5, 3);
    Tensor y = rand(5, 2);
    Tensor w = rand(3, 2);
    Case.of("mse", p -> Tensors.mse(t(p, 0, 3, 2), x, y).item())
        .grad(p -> TensorsDerivatives.mseGrad(t(p, 0, 3, 2), x, y).toDoubleArray())
        .jvp((p, d) -> v(TensorsDerivatives.mseJvp(t(p, 0, 3, 2), x, y, t(d, 0, 3, 2))
            .tangent().item()))
        .vjp((p, u) -> TensorsDerivatives.mseVjp(t(p, 0, 3, 2), x, y, Tensor.scalar(
            DType.FLOAT64, u[0])).toDoubleArray())
        .hvp((p, d) -> TensorsDerivatives.mseHvp(t(p, 0, 3, 2), x, y, t(d, 0, 3, 2))
            .toDoubleArray())
        .check(w.toDoubleArray());
    // closed form of the Hessian-vector product: 2/(N*M) X^T X V
    Tensor dir = rand(3, 2);
    Tensor hv = x.transpose(0, 1).matmul(x.matmul(dir)).mul(2.0 / 10);
    double hvErr = GradCheck.maxError(hv.toDoubleArray(),
        TensorsDerivatives.mseHvp(w, x, y, dir).toDoubleArray());
    if (hvErr > 1e-12) throw new AssertionError("closed-form Hv differs by " + hvErr);
    // closed form: 2/(N*M) X^T (X W - Y)
    Tensor expected = x.transpose(0, 1).matmul(x.matmul(w).sub(y)).mul(2.0 / 10);
    double err = GradCheck.maxError(expected.toDoubleArray(),
        TensorsDerivatives.mseGrad(w, x, y).toDoubleArray());
    if (err > 1e-12) throw new AssertionError("closed form differs by " + err);
  }

  @Test
  void mlpGradientIsAnMlp() {
    Tensor x = rand(6, 4);
    Tensor labels = Tensor.of(new long[] {0, 2, 1, 2, 0, 1}, 6);
    int[][] shapes = {{4, 5}, {5}, {5, 3}, {3}};
    Tensors.Mlp model = new Tensors.Mlp(rand(4, 5), rand(5), rand(5, 3), rand(3));
    GradCheck.Scalar f = p -> mlp(p, shapes).loss(x, labels).item();
    GradCheck.Vector g = p -> {
      Tensors.Mlp grad = Tensors_MlpDerivatives.lossGrad(mlp(p, shapes), x, labels);
      return concat(grad.w1(), grad.b1(), grad.w2(), grad.b2());
    };
    GradCheck.checkGradient(f, g, concat(model.w1(), model.b1(), model.w2(), model.b2()),
        Check.FD);
    // Hessian-vector products (forward over reverse) against differences of the gradient,
    // and the Hessian's symmetry <Hv, w> = <v, Hw>.
    GradCheck.Jvp hvp = (p, d) -> {
      Tensors.Mlp h = Tensors_MlpDerivatives.lossHvp(mlp(p, shapes), x, labels, mlp(d, shapes));
      return concat(h.w1(), h.b1(), h.w2(), h.b2());
    };
    double[] at = concat(model.w1(), model.b1(), model.w2(), model.b2());
    GradCheck.checkJvp(g, hvp, at, 1e-5, 11);
    double[] v1 = GradCheck.gaussian(random, at.length);
    double[] v2 = GradCheck.gaussian(random, at.length);
    Check.close(GradCheck.dot(hvp.apply(at, v1), v2), GradCheck.dot(v1, hvp.apply(at, v2)),
        1e-12, "Hessian symmetry");
    var vg = Tensors_MlpDerivatives.lossValueAndGrad(model, x, labels);
    Check.close(model.loss(x, labels).item(), vg.value().item(), 1e-15, "value");
  }

  private static Tensors.Mlp mlp(double[] p, int[][] shapes) {
    Tensor[] parts = new Tensor[4];
    int at = 0;
    for (int i = 0; i < 4; i++) {
      parts[i] = t(p, at, shapes[i]);
      at += parts[i].numel();
    }
    return new Tensors.Mlp(parts[0], parts[1], parts[2], parts[3]);
  }

  @Test
  void tensorsInLoops() {
    Tensor w = rand(4);
    Case.of("repeated", p -> Tensors.repeated(t(p, 0, 4), w, 3))
        .grad(p -> TensorsDerivatives.repeatedGrad(t(p, 0, 4), w, 3).x().toDoubleArray())
        .jvp((p, d) -> v(TensorsDerivatives.repeatedJvp(t(p, 0, 4), w, 3, t(d, 0, 4),
            w.zerosLike()).tangent()))
        .vjp((p, u) -> TensorsDerivatives.repeatedVjp(t(p, 0, 4), w, 3, u[0]).x()
            .toDoubleArray())
        .hvp((p, d) -> TensorsDerivatives.repeatedHvp(t(p, 0, 4), w, 3, t(d, 0, 4),
            w.zerosLike()).x().toDoubleArray())
        .check(rand(4).toDoubleArray());
  }

  @Test
  void viewsAndVariableArity() {
    Case.of("reshaped", p -> Tensors.reshaped(t(p, 0, 2, 3)).item())
        .grad(p -> TensorsDerivatives.reshapedGrad(t(p, 0, 2, 3)).toDoubleArray())
        .jvp((p, d) -> v(TensorsDerivatives.reshapedJvp(t(p, 0, 2, 3), t(d, 0, 2, 3))
            .tangent().item()))
        .hvp((p, d) -> TensorsDerivatives.reshapedHvp(t(p, 0, 2, 3), t(d, 0, 2, 3))
            .toDoubleArray())
        .check(rand(6).toDoubleArray());
  }

  @Test
  void overloadsResolvedByParameterClass() {
    Case.of("converted", p -> Tensors.converted(t(p, 0, 5)).item())
        .grad(p -> TensorsDerivatives.convertedGrad(t(p, 0, 5)).toDoubleArray())
        .jvp((p, d) -> v(TensorsDerivatives.convertedJvp(t(p, 0, 5), t(d, 0, 5))
            .tangent().item()))
        .hvp((p, d) -> TensorsDerivatives.convertedHvp(t(p, 0, 5), t(d, 0, 5))
            .toDoubleArray())
        .check(rand(5).toDoubleArray());
  }

  @Test
  void gradientOfAGradient() {
    Tensor x = rand(5, 3);
    Tensor y = rand(5, 2);
    Case.of("penalized", p -> Tensors.penalized(t(p, 0, 3, 2), x, y).item())
        .grad(p -> TensorsDerivatives.penalizedGrad(t(p, 0, 3, 2), x, y).toDoubleArray())
        .jvp((p, d) -> v(TensorsDerivatives.penalizedJvp(t(p, 0, 3, 2), x, y, t(d, 0, 3, 2))
            .tangent().item()))
        .check(rand(3, 2).toDoubleArray());
    // closed form: with H = 2/(N*M) X^T X and g = H W - 2/(N*M) X^T Y, the gradient is g + 2 H g
    Tensor w = rand(3, 2);
    Tensor g = TensorsDerivatives.mseGrad(w, x, y);
    Tensor hg = x.transpose(0, 1).matmul(x.matmul(g)).mul(2.0 / 10);
    double err = GradCheck.maxError(g.add(hg.mul(2)).toDoubleArray(),
        TensorsDerivatives.penalizedGrad(w, x, y).toDoubleArray());
    if (err > 1e-12) throw new AssertionError("closed form differs by " + err);
  }

  @Test
  void convolutionToSecondOrder() {
    Tensor x = rand(2, 3, 6, 6);
    Case.of("conv", p -> Tensors.conv(t(p, 0, 4, 3, 3, 3), x).item())
        .grad(p -> TensorsDerivatives.convGrad(t(p, 0, 4, 3, 3, 3), x).toDoubleArray())
        .jvp((p, d) -> v(TensorsDerivatives.convJvp(t(p, 0, 4, 3, 3, 3), x,
            t(d, 0, 4, 3, 3, 3)).tangent().item()))
        .hvp((p, d) -> TensorsDerivatives.convHvp(t(p, 0, 4, 3, 3, 3), x, t(d, 0, 4, 3, 3, 3))
            .toDoubleArray())
        .check(rand(4, 3, 3, 3).toDoubleArray());
  }

  @Test
  void nullTestsChooseBranches() {
    for (Tensor scale : new Tensor[] {null, rand(4)}) {
      Case.of("scaledOr", p -> Tensors.scaledOr(t(p, 0, 4), scale).item())
          .grad(p -> TensorsDerivatives.scaledOrGrad(t(p, 0, 4), scale).toDoubleArray())
          .hvp((p, d) -> TensorsDerivatives.scaledOrHvp(t(p, 0, 4), scale, t(d, 0, 4))
              .toDoubleArray())
          .check(rand(4).toDoubleArray());
    }
  }

  @Test
  void gradientOfADirectionalDerivative() {
    Tensor x = rand(5, 3);
    Tensor y = rand(5, 2);
    Tensor dir = rand(3, 2);
    Case.of("slope", p -> Tensors.slope(t(p, 0, 3, 2), x, y, dir).item())
        .grad(p -> TensorsDerivatives.slopeGrad(t(p, 0, 3, 2), x, y, dir).toDoubleArray())
        .check(rand(3, 2).toDoubleArray());
    // the gradient of <grad f, v> is H v, here 2/(N*M) X^T X v
    Tensor w = rand(3, 2);
    Tensor hv = x.transpose(0, 1).matmul(x.matmul(dir)).mul(2.0 / 10);
    double err = GradCheck.maxError(hv.toDoubleArray(),
        TensorsDerivatives.slopeGrad(w, x, y, dir).toDoubleArray());
    if (err > 1e-12) throw new AssertionError("closed form differs by " + err);
  }

  @Test
  void nullForAClassTypedParameter() {
    Case.of("unlabelled", p -> Tensors.unlabelled(t(p, 0, 4)).item())
        .grad(p -> TensorsDerivatives.unlabelledGrad(t(p, 0, 4)).toDoubleArray())
        .hvp((p, d) -> TensorsDerivatives.unlabelledHvp(t(p, 0, 4), t(d, 0, 4)).toDoubleArray())
        .check(rand(4).toDoubleArray());
  }
}
