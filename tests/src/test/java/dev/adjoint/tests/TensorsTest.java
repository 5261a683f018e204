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
        .check(w.toDoubleArray());
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
        .check(rand(4).toDoubleArray());
  }

  @Test
  void viewsAndVariableArity() {
    Case.of("reshaped", p -> Tensors.reshaped(t(p, 0, 2, 3)).item())
        .grad(p -> TensorsDerivatives.reshapedGrad(t(p, 0, 2, 3)).toDoubleArray())
        .jvp((p, d) -> v(TensorsDerivatives.reshapedJvp(t(p, 0, 2, 3), t(d, 0, 2, 3))
            .tangent().item()))
        .check(rand(6).toDoubleArray());
  }
}
