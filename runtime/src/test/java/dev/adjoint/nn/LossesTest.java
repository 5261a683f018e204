package dev.adjoint.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Closed forms PyTorch's numbers do not cover, and the message of every error of a loss. */
class LossesTest {
  private static String message(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @Test
  void crossEntropyOfUniformLogitsIsLogC() {
    Tensor logits = Tensor.zeros(DType.FLOAT64, 3, 7);
    Tensor labels = Tensor.of(new long[] {0, 6, 3}, 3);
    assertEquals(Math.log(7), Losses.crossEntropy(logits, labels).item(), 1e-15);
    // smoothing does not change it: every class has the same log-probability
    assertEquals(Math.log(7), Losses.crossEntropy(logits, labels, -100, 0.4, Reduction.MEAN)
        .item(), 1e-15);
    // all labels ignored: the mean of nothing, NaN as in PyTorch
    Tensor ignored = Tensor.of(new long[] {-100, -100, -100}, 3);
    assertTrue(Double.isNaN(Losses.crossEntropy(logits, ignored).item()));
    assertEquals(0, Losses.crossEntropy(logits, ignored, Reduction.SUM).item());
  }

  @Test
  void binaryCrossEntropyIsStableForLargeLogits() {
    Tensor z = Tensor.of(new double[] {800, -800, 0}, 3);
    Tensor t = Tensor.of(new double[] {1, 0, 1}, 3);
    Tensor loss = Losses.binaryCrossEntropyWithLogits(z, t, null, null, Reduction.NONE);
    assertEquals(0, loss.get(0), 0);
    assertEquals(0, loss.get(1), 0);
    assertEquals(Math.log(2), loss.get(2), 1e-15);
    Tensor g = LossesDerivatives.binaryCrossEntropyWithLogitsVjp(z, t, null, null,
        Reduction.NONE, Tensor.ones(DType.FLOAT64, 3)).logits();
    assertEquals(0, g.get(0), 0);
    assertEquals(0, g.get(1), 0);
    assertEquals(-0.5, g.get(2), 1e-15, "sigmoid(0) - 1 at exactly 0");
  }

  @Test
  void errorsNameTheLossAndTheShapes() {
    Tensor logits = Tensor.zeros(4, 3);
    assertEquals("crossEntropy: labels must be INT64 class indices of shape [4] for input "
        + "[4, 3], got FLOAT32 [4]", message(() -> Losses.crossEntropy(logits,
            Tensor.zeros(4))));
    assertEquals("crossEntropy: labels must be INT64 class indices of shape [4] for input "
        + "[4, 3], got INT64 [4, 1]", message(() -> Losses.crossEntropy(logits,
            Tensor.zeros(DType.INT64, 4, 1))));
    assertEquals("crossEntropy: label 3 (element 2 of [4]) is out of range for 3 classes and is "
        + "not the ignored index -100", message(() -> Losses.crossEntropy(logits,
            Tensor.of(new long[] {0, 1, 3, 2}, 4))));
    assertEquals("crossEntropy: label smoothing must be in [0, 1], got 1.5",
        message(() -> Losses.crossEntropy(logits, Tensor.zeros(DType.INT64, 4), -100, 1.5,
            Reduction.MEAN)));
    assertEquals("nllLoss: class weights must be a floating tensor [3], got FLOAT32 [4]",
        message(() -> Losses.nllLoss(logits, Tensor.zeros(DType.INT64, 4), Tensor.ones(4),
            -100, Reduction.MEAN)));
    assertEquals("crossEntropy: expected logits (N, C, ...) or (C), got a scalar",
        message(() -> Losses.crossEntropy(Tensor.scalar(1), Tensor.scalar(DType.INT64, 0))));
    assertEquals("mseLoss: prediction [4, 3] and target [4] differ in shape; reshape one "
        + "(PyTorch would broadcast them, which is rarely what is meant)",
        message(() -> Losses.mseLoss(logits, Tensor.zeros(4))));
    assertEquals("binaryCrossEntropyWithLogits: prediction [4, 3] and target [3] differ in "
        + "shape; reshape one (PyTorch would broadcast them, which is rarely what is meant)",
        message(() -> Losses.binaryCrossEntropyWithLogits(logits, Tensor.zeros(3))));
    assertEquals("huberLoss: delta must be positive, got 0.0",
        message(() -> Losses.huberLoss(logits, logits, 0, Reduction.MEAN)));
  }
}
