package dev.adjoint.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import dev.adjoint.tests.corpus.Tensors;
import dev.adjoint.tests.corpus.TensorsDerivatives;
import dev.adjoint.tests.corpus.Tensors_MlpDerivatives;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated derivatives check their arguments against the declared {@code @Shape}s on entry:
 * names bound consistently across parameters (and per record instance), tangents like their
 * parameters, cotangents like the declared result.
 */
class DeclaredShapesTest {
  private final Random random = new Random(11);

  private Tensor rand(int... shape) {
    return Tensor.randn(DType.FLOAT64, random, shape);
  }

  private static String thrown(Runnable call) {
    return assertThrows(IllegalArgumentException.class, call::run).getMessage();
  }

  @Test
  void argumentsThatFitPass() {
    Tensor w = rand(3, 2);
    Tensor g = TensorsDerivatives.mseGrad(w, rand(5, 3), rand(5, 2));
    assertEquals(2, g.dim());
  }

  @Test
  void aNameBoundByOneArgumentIsCheckedInTheOthers() {
    assertEquals("mseGrad: argument 'y' is declared @Shape(\"N, O\"), but has shape [4, 2]: "
        + "dimension 0 is 4, but N is 5 (from an earlier argument)",
        thrown(() -> TensorsDerivatives.mseGrad(rand(3, 2), rand(5, 3), rand(4, 2))));
    assertEquals("mseValueAndGrad: argument 'x' is declared @Shape(\"N, F\"), but has shape "
        + "[5]: it has 1 dimension, 2 declared",
        thrown(() -> TensorsDerivatives.mseValueAndGrad(rand(3, 2), rand(5), rand(5, 2))));
  }

  @Test
  void tangentsAndCotangentsAreChecked() {
    assertEquals("mseJvp: argument 'wDot (the tangent of w)' is declared @Shape(\"F, O\"), but "
        + "has shape [2, 3]: dimension 0 is 2, but F is 3 (from an earlier argument)",
        thrown(() -> TensorsDerivatives.mseJvp(rand(3, 2), rand(5, 3), rand(5, 2),
            rand(2, 3))));
    assertEquals("mseVjp: argument 'cotangent (the cotangent of the result)' is declared "
        + "@Shape(\"\"), but has shape [1]: it has 1 dimension, 0 declared",
        thrown(() -> TensorsDerivatives.mseVjp(rand(3, 2), rand(5, 3), rand(5, 2), rand(1))));
  }

  @Test
  void recordComponentsBindTheirNamesPerInstance() {
    Tensors.Mlp wrongBias = new Tensors.Mlp(rand(4, 5), rand(6), rand(5, 3), rand(3));
    Tensor x = rand(7, 4);
    Tensor labels = Tensor.of(new long[] {0, 1, 2, 0, 1, 2, 0}, 7);
    assertEquals("lossGrad: argument 'self.b1' is declared @Shape(\"H\"), but has shape [6]: "
        + "dimension 0 is 6, but H is 5 (from an earlier argument)",
        thrown(() -> Tensors_MlpDerivatives.lossGrad(wrongBias, x, labels)));
    Tensors.Mlp model = new Tensors.Mlp(rand(4, 5), rand(5), rand(5, 3), rand(3));
    assertEquals("lossGrad: argument 'labels' is declared @Shape(\"N\"), but has shape [6]: "
        + "dimension 0 is 6, but N is 7 (from an earlier argument)",
        thrown(() -> Tensors_MlpDerivatives.lossGrad(model, x,
            Tensor.of(new long[] {0, 1, 2, 0, 1, 2}, 6))));
    assertEquals(5, Tensors_MlpDerivatives.lossGrad(model, x, labels).b1().numel());
  }
}
