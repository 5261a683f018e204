package dev.adjoint.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.tensor.Backend;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.ParamUpdate;
import dev.adjoint.tensor.Storage;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The fused optimizer updates of the CPU backend against their definition in ordinary tensor
 * operations ({@link ParamUpdate#compose}, which every other device runs), and the Vector API
 * loops against the plain ones, bit for bit, over awkward sizes, three steps (first-step state
 * included), float32 and float64. The update rules themselves are checked against PyTorch in
 * {@code OptimizerReferenceTest}.
 */
class UpdateKernelsTest {
  private static final int[] SIZES = {0, 1, 4, 6, 13, 17, 31, 64, 207, 702, 1024, 1031};
  /** Large enough to be split among threads (CpuUpdates' chunks). */
  private static final int[] LARGE = {131_075};

  /** Each update variant, by step (Adam's step count starts at 1). */
  private static final List<IntFunction<ParamUpdate>> UPDATES = List.of(
      k -> new ParamUpdate.Sgd(0.1, 0, 0, 0, false, false),
      k -> new ParamUpdate.Sgd(0.1, 0.9, 0, 0, false, false),
      k -> new ParamUpdate.Sgd(0.05, 0.8, 0.3, 0.01, false, true),
      k -> new ParamUpdate.Sgd(0.1, 0.9, 0, 0.01, true, false),
      k -> new ParamUpdate.Adam(0.01, 0.9, 0.999, 1e-8, 0, false, false, false, k + 1),
      k -> new ParamUpdate.Adam(0.01, 0.8, 0.99, 1e-6, 0.1, false, true, true, k + 1),
      k -> new ParamUpdate.Adam(0.01, 0.9, 0.999, 1e-8, 0.01, true, false, false, k + 1),
      k -> new ParamUpdate.Adam(0.01, 0.9, 0.999, 1e-8, 0.1, true, true, false, k + 1),
      k -> new ParamUpdate.RmsProp(0.01, 0.99, 1e-8, 0, 0, false, false),
      k -> new ParamUpdate.RmsProp(0.01, 0.9, 1e-6, 0.1, 0.9, true, false),
      k -> new ParamUpdate.RmsProp(0.01, 0.99, 1e-8, 0, 0.5, false, true),
      k -> new ParamUpdate.RmsProp(0.01, 0.99, 1e-8, 0, 0, true, false));

  private final Random random = new Random(5);

  private Tensor data(DType dtype, int n) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = random.nextGaussian();
    return Tensor.of(d, n).to(dtype);
  }

  /** Runs three steps through two paths and compares every parameter and state tensor. */
  private void compare(Backend a, Backend b, DType dtype, String what) {
    compare(a, b, dtype, what, UPDATES, SIZES);
  }

  private void compare(Backend a, Backend b, DType dtype, String what,
      List<IntFunction<ParamUpdate>> updates, int[] sizes) {
    for (IntFunction<ParamUpdate> make : updates) {
      for (int n : sizes) {
        Tensor p = data(dtype, n);
        Tensor pa = p;
        Tensor pb = p;
        Tensor[] sa = new Tensor[make.apply(0).stateCount()];
        Tensor[] sb = new Tensor[sa.length];
        for (int k = 0; k < 3; k++) {
          ParamUpdate u = make.apply(k);
          Tensor g = data(dtype, n);
          Tensor[] ra = a.update(u, pa, g, sa);
          Tensor[] rb = b.update(u, pb, g, sb);
          assertEquals(1 + u.stateCount(), ra.length);
          for (int i = 0; i < ra.length; i++) {
            assertArrayEquals(ra[i].toDoubleArray(), rb[i].toDoubleArray(),
                what + " " + u + " n=" + n + " step " + k + " output " + i);
          }
          pa = ra[0];
          pb = rb[0];
          sa = Arrays.copyOfRange(ra, 1, ra.length);
          sb = Arrays.copyOfRange(rb, 1, rb.length);
        }
      }
    }
  }

  /** The SPI's default: the update composed of ordinary tensor operations. */
  private static final Backend COMPOSED = new Backend() {
    private final Backend cpu = CpuBackend.INSTANCE;

    @Override
    public Device device() {
      return cpu.device();
    }

    @Override
    public Storage allocate(DType dtype, int length) {
      return cpu.allocate(dtype, length);
    }

    @Override
    public Storage upload(Object array) {
      return cpu.upload(array);
    }

    @Override
    public Object download(Tensor t) {
      return cpu.download(t);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x, double parameter) {
      return cpu.unary(op, x, parameter);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor x, Tensor y, int[] shape, DType result) {
      return cpu.binary(op, x, y, shape, result);
    }

    @Override
    public Tensor where(Tensor cond, Tensor x, Tensor y, int[] shape) {
      return cpu.where(cond, x, y, shape);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim) {
      return cpu.reduce(op, x, dim, keepDim);
    }

    @Override
    public Tensor matmul(Tensor x, Tensor y) {
      return cpu.matmul(x, y);
    }

    @Override
    public Tensor copy(Tensor x, DType dtype) {
      return cpu.copy(x, dtype);
    }

    @Override
    public Tensor indexSelect(Tensor x, int dim, Tensor index) {
      return cpu.indexSelect(x, dim, index);
    }

    @Override
    public Tensor gather(Tensor x, int dim, Tensor index) {
      return cpu.gather(x, dim, index);
    }

    @Override
    public Tensor cat(Tensor[] xs, int dim) {
      return cpu.cat(xs, dim);
    }

    @Override
    public Tensor unfold(Tensor x, Window w, double padValue) {
      return cpu.unfold(x, w, padValue);
    }

    @Override
    public Tensor fold(Tensor cols, int channels, int height, int width, Window w) {
      return cpu.fold(cols, channels, height, width, w);
    }
  };

  @Test
  void fusedPlainLoopsMatchTheComposedDefinition() {
    Backend scalar = new CpuBackend(new ScalarFloatKernels());
    compare(scalar, COMPOSED, DType.FLOAT32, "plain float32 vs composed");
    compare(scalar, COMPOSED, DType.FLOAT64, "float64 vs composed");
    List<IntFunction<ParamUpdate>> oneEach = List.of(UPDATES.get(3), UPDATES.get(5),
        UPDATES.get(9));
    compare(CpuBackend.INSTANCE, COMPOSED, DType.FLOAT32, "large", oneEach, LARGE);
    compare(CpuBackend.INSTANCE, COMPOSED, DType.FLOAT64, "large", oneEach, LARGE);
  }

  @Test
  void vectorLoopsMatchPlainLoops() {
    FloatKernels vector = Vectorization.vectorKernels();
    assumeTrue(vector != null, "run with --add-modules jdk.incubator.vector");
    compare(new CpuBackend(vector), new CpuBackend(new ScalarFloatKernels()), DType.FLOAT32,
        "vector vs plain");
  }

  @Test
  void viewsAreReadAndInputsLeftAlone() {
    Tensor p = data(DType.FLOAT32, 12).reshape(3, 4);
    Tensor g = data(DType.FLOAT32, 12).reshape(4, 3).transpose(0, 1);
    float[] before = p.toFloatArray();
    ParamUpdate u = new ParamUpdate.Adam(0.01, 0.9, 0.999, 1e-8, 0, false, false, false, 1);
    Tensor[] fused = CpuBackend.INSTANCE.update(u, p, g, new Tensor[2]);
    Tensor[] composed = u.compose(p, g, new Tensor[2]);
    assertArrayEquals(composed[0].toFloatArray(), fused[0].toFloatArray());
    assertArrayEquals(new int[] {3, 4}, fused[0].shape());
    assertArrayEquals(before, p.toFloatArray());
    assertNotSame(p.storage(), fused[0].storage());
  }
}
