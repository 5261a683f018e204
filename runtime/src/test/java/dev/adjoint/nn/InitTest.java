package dev.adjoint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Initializers and the layers' default initializations: gains and fans against
 * {@code torch.nn.init} (nn_reference.safetensors), bounds and moments of the samples against
 * PyTorch's formulas, determinism by seed.
 */
class InitTest {
  @Test
  void gainsAreTorchs() {
    Object[][] cases = {{"linear", Init.Nonlinearity.LINEAR, Double.NaN},
        {"conv2d", Init.Nonlinearity.CONV2D, Double.NaN},
        {"sigmoid", Init.Nonlinearity.SIGMOID, Double.NaN},
        {"tanh", Init.Nonlinearity.TANH, Double.NaN}, {"relu", Init.Nonlinearity.RELU, Double.NaN},
        {"leaky_relu", Init.Nonlinearity.LEAKY_RELU, Double.NaN},
        {"leaky_relu_0.2", Init.Nonlinearity.LEAKY_RELU, 0.2},
        {"leaky_relu_sqrt5", Init.Nonlinearity.LEAKY_RELU, Math.sqrt(5)},
        {"selu", Init.Nonlinearity.SELU, Double.NaN}};
    for (Object[] c : cases) {
      double torch = Reference.FILE.get("init.gain." + c[0]).item();
      assertEquals(torch, Init.gain((Init.Nonlinearity) c[1], (double) c[2]), 1e-15,
          (String) c[0]);
    }
  }

  @Test
  void fansAreTorchs() {
    for (int i = 0; i < 4; i++) {
      long[] shape = Reference.FILE.get("init.fan." + i + ".shape").toLongArray();
      long[] fans = Reference.FILE.get("init.fan." + i).toLongArray();
      int[] s = new int[shape.length];
      for (int k = 0; k < s.length; k++) s[k] = (int) shape[k];
      assertEquals(fans[0], Init.fanIn(s), "fan in of " + java.util.Arrays.toString(s));
      assertEquals(fans[1], Init.fanOut(s), "fan out of " + java.util.Arrays.toString(s));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Init.fanIn(7));
    assertEquals("Init.fanIn: fan in and fan out cannot be computed for a tensor with fewer than "
        + "2 dimensions (shape [7])", e.getMessage());
  }

  /**
   * All samples within [-bound, bound], the largest near it, the variance that of U(-b, b) to
   * five standard deviations of its estimate.
   */
  private static void uniformWithin(String what, Tensor t, double bound) {
    double[] v = t.toDoubleArray();
    double max = 0;
    double sq = 0;
    for (double x : v) {
      assertTrue(Math.abs(x) <= bound, what + ": " + x + " is outside +-" + bound);
      max = Math.max(max, Math.abs(x));
      sq += x * x;
    }
    // P(all n below (1 - 10/n) b) is about e^-10
    assertTrue(max > (1 - 10.0 / v.length) * bound, what + ": largest sample " + max
        + " of bound " + bound);
    double var = sq / v.length;
    assertEquals(bound * bound / 3, var, 5 * Math.sqrt(0.8 / v.length) * bound * bound / 3,
        what + ": variance");
  }

  private static void normalWith(String what, Tensor t, double std) {
    double[] v = t.toDoubleArray();
    double sum = 0;
    double sq = 0;
    for (double x : v) {
      sum += x;
      sq += x * x;
    }
    double mean = sum / v.length;
    assertEquals(0, mean, 5 * std / Math.sqrt(v.length), what + ": mean");
    assertEquals(std, Math.sqrt(sq / v.length - mean * mean), 5 * std / Math.sqrt(2 * v.length),
        what + ": std");
  }

  @Test
  void initializersFollowTorchsFormulas() {
    SplittableRandom r = new SplittableRandom(1);
    // kaiming_uniform_ defaults: a = 0, fan in, leaky relu: bound sqrt(2) sqrt(3 / fanIn)
    uniformWithin("kaimingUniform", Init.kaimingUniform(r, 200, 50, 3, 3),
        Math.sqrt(2) * Math.sqrt(3.0 / 450));
    uniformWithin("kaimingUniform relu fan out", Init.kaimingUniform(DType.FLOAT64, r, 0,
        Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, 120, 300), Math.sqrt(2) * Math.sqrt(3.0
        / 120));
    normalWith("kaimingNormal", Init.kaimingNormal(r, 300, 200), Math.sqrt(2.0 / 200));
    normalWith("kaimingNormal tanh fan out", Init.kaimingNormal(DType.FLOAT64, r, 0,
        Init.FanMode.FAN_OUT, Init.Nonlinearity.TANH, 100, 400), 5.0 / 3 / Math.sqrt(100));
    uniformWithin("xavierUniform", Init.xavierUniform(r, 300, 100),
        Math.sqrt(6.0 / 400));
    normalWith("xavierNormal gain 2", Init.xavierNormal(DType.FLOAT64, r, 2, 50, 30, 5, 5),
        2 * Math.sqrt(2.0 / (30 * 25 + 50 * 25)));
    normalWith("normal", Init.normal(r, 0, 0.3, 50000), 0.3);
    Tensor u = Init.uniform(DType.FLOAT64, r, -1, 3, 50000);
    uniformWithin("uniform", u.sub(1), 2);
    Tensor t = Init.truncatedNormal(DType.FLOAT64, r, 0, 1, -2, 2, 20000);
    double[] tv = t.toDoubleArray();
    for (double x : tv) assertTrue(x >= -2 && x <= 2, "truncatedNormal: " + x);
    // the variance of N(0, 1) truncated to [-2, 2]: 1 - 4 phi(2) / (2 Phi(2) - 1) = 0.7737
    normalWith("truncatedNormal", t, Math.sqrt(0.7737413));
    assertEquals(DType.FLOAT32, Init.kaimingUniform(r, 3, 4).dtype());
  }

  @Test
  void layersInitializeAsPyTorch() {
    SplittableRandom r = new SplittableRandom(2);
    Linear linear = Linear.init(r, 400, 300);
    assertArrayEquals(new int[] {300, 400}, linear.weight().shape());
    uniformWithin("Linear weight", linear.weight(), 1 / Math.sqrt(400));
    uniformWithin("Linear bias", linear.bias(), 1 / Math.sqrt(400));
    assertEquals(null, Linear.init(DType.FLOAT32, r, 4, 3, false).bias());

    Conv2d conv = Conv2d.init(DType.FLOAT64, r, 64, 128, 3, 1, 1, 1, 4, true);
    assertArrayEquals(new int[] {128, 16, 3, 3}, conv.weight().shape());
    uniformWithin("Conv2d weight", conv.weight(), 1 / Math.sqrt(16 * 9));
    uniformWithin("Conv2d bias", Conv2d.init(DType.FLOAT64, r, 4, 3000, 3, 1, 0, 1, 1, true)
        .bias(), 1 / Math.sqrt(36));
    assertEquals(64, conv.inChannels());

    Embedding emb = Embedding.init(DType.FLOAT64, r, 1000, 40, -1);
    assertEquals(999, emb.paddingIdx());
    normalWith("Embedding", emb.weight().slice(0, 0, 999), 1);
    assertArrayEquals(new double[40], emb.weight().slice(0, 999, 1000).toDoubleArray());

    MultiheadAttention mha = MultiheadAttention.init(r, 64, 8);
    uniformWithin("in_proj_weight", mha.inProjWeight(), Math.sqrt(6.0 / (64 + 192)));
    assertEquals(0, mha.inProjBias().abs().sum().item());
    assertEquals(0, mha.outProj().bias().abs().sum().item());
    uniformWithin("out_proj.weight", mha.outProj().weight(), 1 / Math.sqrt(64));

    LayerNorm ln = LayerNorm.init(5);
    assertArrayEquals(new double[] {1, 1, 1, 1, 1}, ln.weight().toDoubleArray());
    assertEquals(1e-5, ln.eps());
    BatchNorm bn = BatchNorm.init(3);
    assertArrayEquals(new double[] {1, 1, 1}, bn.runningVar().toDoubleArray());
    assertEquals(0.1, bn.momentum());
    assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
  }

  @Test
  void equalSeedsGiveEqualValuesInEitherDtype() {
    Linear a = Linear.init(DType.FLOAT64, new SplittableRandom(5), 7, 3, true);
    Linear b = Linear.init(DType.FLOAT32, new SplittableRandom(5), 7, 3, true);
    assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
    assertArrayEquals(a.bias().toFloatArray(), b.bias().toFloatArray());
  }

  @Test
  void invalidSettingsAreNamed() {
    SplittableRandom r = new SplittableRandom(3);
    assertEquals("Conv2d.init: 6 input and 4 output channels must both be divisible by groups "
        + "(4)", assertThrows(IllegalArgumentException.class,
            () -> Conv2d.init(DType.FLOAT32, r, 6, 4, 3, 1, 0, 1, 4, true)).getMessage());
    assertEquals("Embedding.init: padding index 10 is out of range for 10 embeddings",
        assertThrows(IllegalArgumentException.class,
            () -> Embedding.init(DType.FLOAT32, r, 10, 3, 10)).getMessage());
    assertEquals("MultiheadAttention.init: embedDim 10 must be divisible by numHeads 4",
        assertThrows(IllegalArgumentException.class,
            () -> MultiheadAttention.init(r, 10, 4)).getMessage());
    assertEquals("Init.uniform: low 2.0 is above high 1.0",
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(r, 2, 1, 3))
            .getMessage());
    assertEquals("LayerNorm.init: normalizedShape is empty; give the trailing dimensions to "
        + "normalize over", assertThrows(IllegalArgumentException.class,
            () -> LayerNorm.init()).getMessage());
  }
}
