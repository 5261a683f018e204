package dev.adjoint.cuda.check;

import dev.adjoint.ad.ValueAndGrad;
import dev.adjoint.cuda.Cuda;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Sgd;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The device check's timings of Adjoint on CUDA: float32 matmul at 4096² (exact and TF32), an
 * MLP 784-256-256-10 training step at batch 128 and a CNN step (conv 1→16→32, batch 64 of
 * 28 x 28), both with {@code optim.Sgd} (one fused update per parameter). Each is warmed up, then timed over repeated runs with one
 * synchronization at the end; the figure is the median of several such runs.
 */
final class Benchmarks {
  private Benchmarks() {}

  /** One warm-up and one timed call of each: checks that the benchmarks run (emulator). */
  static boolean smoke;

  /** Results by name: GFLOP/s for matmuls, milliseconds per step for training. */
  static Map<String, Double> run(int matmulSize) {
    Map<String, Double> r = new LinkedHashMap<>();
    SplittableRandom random = new SplittableRandom(1);
    int n = matmulSize;
    Tensor a = Tensor.randn(random, n, n).to(Device.CUDA);
    Tensor b = Tensor.randn(random, n, n).to(Device.CUDA);
    double flops = 2.0 * n * n * n;
    Cuda.setAllowTf32(false);
    r.put("matmul_fp32_gflops", flops / 1e9 / seconds(() -> a.matmul(b), 10));
    Cuda.setAllowTf32(true);
    r.put("matmul_tf32_gflops", flops / 1e9 / seconds(() -> a.matmul(b), 20));
    Cuda.setAllowTf32(false);

    Models.Mlp[] mlp = {Models.Mlp.init(random, DType.FLOAT32, 784, 256, 10).to(Device.CUDA)};
    Optimizer<Models.Mlp> mlpSgd = Sgd.of(mlp[0], 0.01);
    Tensor x = Tensor.randn(random, 128, 784).to(Device.CUDA);
    Tensor y = new Gen(random, DType.FLOAT32).index(10, 128).to(Device.CUDA);
    r.put("mlp_step_ms", 1e3 * seconds(() -> {
      ValueAndGrad<Tensor, Models.Mlp> vg = Models_MlpDerivatives.lossValueAndGrad(mlp[0], x, y);
      mlp[0] = mlpSgd.step(mlp[0], vg.grad());
      return vg.value();
    }, 200));

    Models.Cnn[] cnn = {Models.Cnn.init(random, DType.FLOAT32, 28).to(Device.CUDA)};
    Optimizer<Models.Cnn> cnnSgd = Sgd.of(cnn[0], 0.01);
    Tensor images = Tensor.randn(random, 64, 1, 28, 28).to(Device.CUDA);
    Tensor labels = new Gen(random, DType.FLOAT32).index(10, 64).to(Device.CUDA);
    r.put("cnn_step_ms", 1e3 * seconds(() -> {
      ValueAndGrad<Tensor, Models.Cnn> vg = Models_CnnDerivatives.lossValueAndGrad(cnn[0],
          images, labels);
      cnn[0] = cnnSgd.step(cnn[0], vg.grad());
      return vg.value();
    }, 50));
    return r;
  }

  /** Median seconds per call over 5 timed runs of {@code reps} calls, after a warm-up. */
  static double seconds(Supplier<Tensor> work, int reps) {
    if (smoke) reps = 1;
    for (int i = 0; i < (smoke ? 1 : Math.max(3, reps / 4)); i++) work.get();
    Cuda.synchronize();
    double[] t = new double[smoke ? 1 : 5];
    for (int run = 0; run < t.length; run++) {
      long start = System.nanoTime();
      for (int i = 0; i < reps; i++) work.get();
      Cuda.synchronize();
      t[run] = (System.nanoTime() - start) / 1e9 / reps;
    }
    java.util.Arrays.sort(t);
    return t[t.length / 2];
  }
}
