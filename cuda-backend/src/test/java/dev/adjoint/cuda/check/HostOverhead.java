package dev.adjoint.cuda.check;

import dev.adjoint.ad.ValueAndGrad;
import dev.adjoint.cuda.Cuda;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * The backend's own CPU time per training step, with no driver and no GPU
 * ({@code -Dadjoint.cuda.api=dev.adjoint.cuda.NullDevice}): what a step costs on the host
 * before JCuda's launch calls. Prints microseconds per step and kernel launches per step.
 */
public final class HostOverhead {
  private HostOverhead() {}

  public static void main(String[] args) {
    SplittableRandom random = new SplittableRandom(1);
    Models.Mlp[] mlp = {Models.Mlp.init(random, DType.FLOAT32, 784, 256, 10).to(Device.CUDA)};
    Tensor x = Tensor.randn(random, 128, 784).to(Device.CUDA);
    Tensor y = new Gen(random, DType.FLOAT32).index(10, 128).to(Device.CUDA);
    Models.Cnn[] cnn = {Models.Cnn.init(random, DType.FLOAT32, 28).to(Device.CUDA)};
    Tensor images = Tensor.randn(random, 64, 1, 28, 28).to(Device.CUDA);
    Tensor labels = new Gen(random, DType.FLOAT32).index(10, 64).to(Device.CUDA);
    dev.adjoint.cuda.NullDevice device = nullDevice();
    dev.adjoint.optim.Optimizer<Models.Mlp> mlpSgd = dev.adjoint.optim.Sgd.of(mlp[0], 0.01);
    dev.adjoint.optim.Optimizer<Models.Cnn> cnnSgd = dev.adjoint.optim.Sgd.of(cnn[0], 0.01);
    for (int round = 0; round < 3; round++) {
      long l0 = device.launches;
      long t0 = System.nanoTime();
      int steps = 2000;
      for (int i = 0; i < steps; i++) {
        ValueAndGrad<Tensor, Models.Mlp> vg = Models_MlpDerivatives.lossValueAndGrad(mlp[0], x, y);
        mlp[0] = mlpSgd.step(mlp[0], vg.grad());
      }
      double us = (System.nanoTime() - t0) / 1e3 / steps;
      System.out.printf("MLP step: %.1f us on the host, %d launches%n", us,
          (device.launches - l0) / steps);
      l0 = device.launches;
      t0 = System.nanoTime();
      for (int i = 0; i < steps / 4; i++) {
        ValueAndGrad<Tensor, Models.Cnn> vg = Models_CnnDerivatives.lossValueAndGrad(cnn[0],
            images, labels);
        cnn[0] = cnnSgd.step(cnn[0], vg.grad());
      }
      us = (System.nanoTime() - t0) / 1e3 / (steps / 4);
      System.out.printf("CNN step: %.1f us on the host, %d launches%n", us,
          (device.launches - l0) / (steps / 4));
    }
    System.out.println(Cuda.memoryStats());
    device.byKernel.clear();
    ValueAndGrad<Tensor, Models.Mlp> one = Models_MlpDerivatives.lossValueAndGrad(mlp[0], x, y);
    mlpSgd.step(mlp[0], one.grad());
    System.out.println("one MLP step: " + device.byKernel);
  }

  private static dev.adjoint.cuda.NullDevice nullDevice() {
    return dev.adjoint.cuda.CudaTestHooks.device();
  }
}
