package dev.adjoint.examples;

import dev.adjoint.ad.ValueAndGrad;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.Random;

/**
 * Trains {@link Mlp} to separate three interleaved spirals, with gradients from the generated
 * {@code MlpDerivatives.lossValueAndGrad}: no graph, no tape of tensors, just compiled code.
 *
 * <p>{@code mvn -q install -DskipTests && mvn -q -pl examples exec:exec@run
 * -Dexec.mainClass=dev.adjoint.examples.MlpExample} (a JVM with the Vector API; {@code exec:java}
 * runs it too, on plain loops)
 */
public final class MlpExample {
  private MlpExample() {}

  public static void main(String[] args) {
    Random random = new Random(42);
    int perClass = 100;
    int classes = 3;
    float[] xs = new float[perClass * classes * 2];
    long[] ys = new long[perClass * classes];
    for (int c = 0; c < classes; c++) {
      for (int i = 0; i < perClass; i++) {
        double r = (double) i / perClass;
        double angle = c * 4 + 4 * r + random.nextGaussian() * 0.2;
        int n = c * perClass + i;
        xs[2 * n] = (float) (r * Math.sin(angle));
        xs[2 * n + 1] = (float) (r * Math.cos(angle));
        ys[n] = c;
      }
    }
    Tensor x = Tensor.of(xs, perClass * classes, 2);
    Tensor labels = Tensor.of(ys, perClass * classes);
    Mlp model = Mlp.init(random, 2, 64, classes);
    for (int step = 0; step <= 2000; step++) {
      ValueAndGrad<Tensor, Mlp> vg = MlpDerivatives.lossValueAndGrad(model, x, labels);
      if (step % 250 == 0) {
        double accuracy = model.logits(x).argmax(1).eq(labels).to(DType.FLOAT32).mean().item();
        System.out.printf("step %4d  loss %.4f  accuracy %.1f%%%n", step, vg.value().item(),
            100 * accuracy);
      }
      model = model.minus(vg.grad(), 0.5);
    }
  }
}
