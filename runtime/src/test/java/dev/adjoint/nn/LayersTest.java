package dev.adjoint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What the layers do beyond PyTorch's numbers (NnReferenceTest has those): modes, running
 * statistics over several steps, dropout's masks, causality, and the message of every error a
 * user can meet.
 */
class LayersTest {
  private final SplittableRandom random = new SplittableRandom(4);

  private static String message(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @Test
  void wrongInputsAreErrorsNamingLayerAndShapes() {
    Linear linear = Linear.init(random, 5, 2);
    assertEquals("Linear.forward: input [3, 4] must end in 5 features (weight [2, 5]); reshape "
        + "it to (..., 5)", message(() -> linear.forward(Tensor.zeros(3, 4))));
    Conv2d conv = Conv2d.init(random, 3, 4, 3, 1, 1);
    assertEquals("Conv2d.forward: expected a (N, C, H, W) or (C, H, W) input, got [3, 8]",
        message(() -> conv.forward(Tensor.zeros(3, 8))));
    Embedding emb = Embedding.init(random, 4, 2);
    assertEquals("Embedding.forward: index 4 (element 1 of [2]) is out of range for 4 rows",
        message(() -> emb.forward(Tensor.of(new long[] {0, 4}, 2))));
    assertEquals("Embedding.forward: indices must be INT64, got FLOAT32 [2]",
        message(() -> emb.forward(Tensor.zeros(2))));
    LayerNorm ln = LayerNorm.init(4, 3);
    assertEquals("LayerNorm.forward: input [2, 3, 4] does not end in the normalized shape "
        + "[4, 3]", message(() -> ln.forward(Tensor.zeros(2, 3, 4))));
    BatchNorm bn = BatchNorm.init(3);
    assertEquals("BatchNorm.forward: input [2, 4] has 4 channels in dimension 1, the layer has 3",
        message(() -> bn.forward(Tensor.zeros(2, 4))));
    assertEquals("BatchNorm.forward: expected more than 1 value per channel when training, got "
        + "input [1, 3]; use a larger batch or eval()", message(() -> bn.forward(
            Tensor.zeros(1, 3))));
    assertEquals("BatchNorm.forward: expected an (N, C), (N, C, L) or (N, C, H, W) input, got "
        + "[3]", message(() -> bn.forward(Tensor.zeros(3))));
    MultiheadAttention mha = MultiheadAttention.init(random, 4, 2);
    assertEquals("MultiheadAttention.forward: expected query (N, L, 4), key and value (N, S, 4) "
        + "(or all without N), got [1, 2, 4], [1, 3, 4], [1, 2, 4] (2 heads)",
        message(() -> mha.forward(Tensor.zeros(1, 2, 4), Tensor.zeros(1, 3, 4),
            Tensor.zeros(1, 2, 4), null)));
    assertEquals("Dropout: the probability p must be in [0, 1], got 1.5",
        message(() -> Dropout.of(1.5)));
  }

  @Test
  void batchNormTracksPyTorchsRunningStatisticsOverSteps() {
    BatchNorm bn = BatchNorm.init(DType.FLOAT64, 2, 1e-5, 0.1, true, true);
    double mean = 0;
    double var = 1;
    for (int step = 0; step < 3; step++) {
      Tensor x = Tensor.randn(DType.FLOAT64, random, 6, 2, 3).mul(step + 1).add(step);
      double[] c0 = x.slice(1, 0, 1).toDoubleArray();
      double m = java.util.Arrays.stream(c0).average().orElseThrow();
      double ss = java.util.Arrays.stream(c0).map(v -> (v - m) * (v - m)).sum();
      mean = 0.9 * mean + 0.1 * m;
      var = 0.9 * var + 0.1 * ss / (c0.length - 1); // unbiased
      bn = bn.updateRunningStats(x);
    }
    assertEquals(mean, bn.runningMean().get(0), 1e-14);
    assertEquals(var, bn.runningVar().get(0), 1e-14);
    assertEquals(3, (long) bn.numBatchesTracked().item());
    // eval mode: no update, and forward normalizes with the running statistics
    BatchNorm eval = bn.eval();
    assertSame(eval, eval.updateRunningStats(Tensor.zeros(DType.FLOAT64, 4, 2)));
    Tensor x = Tensor.randn(DType.FLOAT64, random, 4, 2);
    double expected = (x.get(1, 0) - mean) / Math.sqrt(var + 1e-5);
    assertEquals(expected, eval.forward(x).get(1, 0), 1e-14);
    assertTrue(eval.train().training());
  }

  @Test
  void batchNormWithoutMomentumAveragesAllBatches() {
    BatchNorm bn = BatchNorm.init(DType.FLOAT64, 1, 1e-5, null, false, true);
    double sum = 0;
    for (int step = 0; step < 4; step++) {
      Tensor x = Tensor.randn(DType.FLOAT64, random, 8, 1).add(step * 2);
      sum += x.mean().item();
      bn = bn.updateRunningStats(x);
    }
    assertEquals(sum / 4, bn.runningMean().item(), 1e-14);
  }

  @Test
  void batchNormWithoutRunningStatisticsAlwaysUsesTheBatch() {
    BatchNorm bn = BatchNorm.init(DType.FLOAT64, 2, 1e-5, 0.1, true, false).eval();
    Tensor x = Tensor.randn(DType.FLOAT64, random, 5, 2);
    Tensor y = bn.forward(x);
    assertEquals(0, y.mean(0, false).abs().max().item(), 1e-15);
    BatchNorm training = bn.train();
    assertSame(training, training.updateRunningStats(x), "no running statistics to update");
  }

  @Test
  void dropoutZeroesWithProbabilityPAndScalesTheRest() {
    Tensor x = Tensor.rand(DType.FLOAT64, random, 200, 500).add(1);
    Dropout d = Dropout.of(0.3);
    double[] in = x.toDoubleArray();
    double[] out = d.forward(x, 7).toDoubleArray();
    int dropped = 0;
    for (int i = 0; i < in.length; i++) {
      if (out[i] == 0) {
        dropped++;
      } else {
        assertEquals(in[i] / 0.7, out[i], 1e-15);
      }
    }
    // 100,000 Bernoulli(0.3) draws: standard deviation 145
    assertEquals(30000, dropped, 600);
    assertArrayEquals(out, d.forward(x, 7).toDoubleArray(), "a seed gives one mask");
    assertTrue(!java.util.Arrays.equals(out, d.forward(x, 8).toDoubleArray()));
    // the mask does not depend on the dtype
    float[] f = d.forward(x.to(DType.FLOAT32), 7).toFloatArray();
    for (int i = 0; i < f.length; i++) assertEquals(out[i] == 0, f[i] == 0);
    assertSame(x, d.eval().forward(x, 7), "eval mode is the identity");
    assertSame(x, Dropout.of(0).forward(x, 7));
    Tensor all = Dropout.of(1).forward(x, 7);
    assertEquals(0, all.abs().sum().item());
    assertEquals(0, DropoutDerivatives.forwardVjp(Dropout.of(1), x, 7, x).abs().sum().item(),
        "p = 1: zero gradient, not NaN");
  }

  @Test
  void causalAttentionIgnoresLaterPositions() {
    MultiheadAttention mha = MultiheadAttention.init(DType.FLOAT64, random, 8, 2, true);
    Tensor x = Tensor.randn(DType.FLOAT64, random, 1, 5, 8);
    Tensor changed = Tensor.cat(1, x.slice(1, 0, 3), Tensor.randn(DType.FLOAT64, random, 1, 2,
        8));
    Tensor a = mha.forward(x, true).slice(1, 0, 3);
    Tensor b = mha.forward(changed, true).slice(1, 0, 3);
    assertArrayEquals(a.toDoubleArray(), b.toDoubleArray());
    assertTrue(mha.forward(x, false).slice(1, 0, 3).sub(mha.forward(changed, false)
        .slice(1, 0, 3)).abs().max().item() > 1e-3, "without the mask, they do matter");
    Tensor mask = MultiheadAttention.causalMask(DType.FLOAT32, 3);
    assertArrayEquals(new float[] {0, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0,
        Float.NEGATIVE_INFINITY, 0, 0, 0}, mask.toFloatArray());
  }
}
