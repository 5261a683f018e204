package dev.adjoint.examples.digits;

import dev.adjoint.ad.ValueAndGrad;
import dev.adjoint.data.Batch;
import dev.adjoint.data.DataLoader;
import dev.adjoint.data.Dataset;
import dev.adjoint.optim.LrScheduler;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Schedule;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The training loop: epochs of shuffled mini-batches, one optimizer step per batch with the
 * gradient from the generated {@code lossValueAndGrad}, a progress bar per epoch, and the test
 * accuracy after each epoch.
 *
 * @param <M> the model record; its gradient is the same type
 */
public final class Trainer<M extends Classifier> {
  /** The generated {@code <Model>Derivatives.lossValueAndGrad(model, x, labels)}. */
  @FunctionalInterface
  public interface LossAndGrad<M> {
    ValueAndGrad<Tensor, M> apply(M model, Tensor x, Tensor labels);
  }

  /** What one epoch gave: mean training loss and accuracy over its batches, test accuracy. */
  public record Epoch(int number, double trainLoss, double trainAccuracy, double testAccuracy) {}

  /** The trained model, each epoch's figures, and the training time in seconds. */
  public record Result<M>(M model, List<Epoch> epochs, double seconds) {
    /** The test accuracy after the last epoch. */
    public double testAccuracy() {
      return epochs.get(epochs.size() - 1).testAccuracy();
    }
  }

  private final String name;
  private final LossAndGrad<M> lossAndGrad;
  private final int epochs;
  private final int batchSize;
  private final boolean showProgress;

  /**
   * @param name shown in front of each progress bar
   * @param showProgress false draws no progress bars (tests)
   */
  public Trainer(String name, LossAndGrad<M> lossAndGrad, int epochs, int batchSize,
      boolean showProgress) {
    this.name = name;
    this.lossAndGrad = lossAndGrad;
    this.epochs = epochs;
    this.batchSize = batchSize;
    this.showProgress = showProgress;
  }

  /**
   * Trains {@code model} on {@code split.train()}, batches shuffled by {@code seed}; the
   * learning rate follows a cosine from the optimizer's down to 0 over the epochs.
   */
  public Result<M> train(M model, Optimizer<M> optimizer, Dataset.Split split, long seed) {
    DataLoader loader = split.train().loader(batchSize, true, seed);
    LrScheduler scheduler = LrScheduler.of(optimizer, Schedule.cosine(epochs, 0));
    List<Epoch> history = new ArrayList<>();
    long start = System.nanoTime();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      double lossSum = 0;
      long correct = 0;
      int seen = 0;
      long epochStart = System.nanoTime();
      String figures = "";
      try (ProgressBar bar = progressBar(epoch, loader.examples())) {
        for (Batch batch : loader) {
          ValueAndGrad<Tensor, M> vg = lossAndGrad.apply(model, batch.x(), batch.y());
          // accuracy of the weights the loss was computed with, before the step
          correct += correct(model, batch.x(), batch.y());
          model = optimizer.step(model, vg.grad());
          lossSum += vg.value().item() * batch.size();
          seen += batch.size();
          // the library's speed and time left count whole seconds, too coarse for epochs
          // shorter than one, so the message carries them
          double perSecond = seen / ((System.nanoTime() - epochStart) / 1e9);
          figures = String.format(" loss %.4f, acc %5.1f%%, %5.0f ex/s", lossSum / seen,
              100.0 * correct / seen, perSecond);
          bar.setExtraMessage(String.format("%s, %.1f s left", figures,
              (loader.examples() - seen) / perSecond));
          bar.stepTo(seen);
        }
        history.add(new Epoch(epoch, lossSum / seen, (double) correct / seen,
            accuracy(model, split.test())));
        bar.setExtraMessage(String.format("%s, test acc %5.1f%%", figures,
            100 * history.get(history.size() - 1).testAccuracy()));
      }
      scheduler.step();
    }
    return new Result<>(model, history, (System.nanoTime() - start) / 1e9);
  }

  /** The fraction of {@code data} that {@code model} classifies correctly. */
  public static double accuracy(Classifier model, Dataset data) {
    return (double) correct(model, data.x(), data.y()) / data.size();
  }

  private static long correct(Classifier model, Tensor x, Tensor labels) {
    return (long) model.logits(x).argmax(1).eq(labels).to(DType.FLOAT64).sum().item();
  }

  private ProgressBar progressBar(int epoch, int examples) {
    // the library draws the bar, the percentage, the count and the elapsed time
    // the terminal's width, or 120 columns where the output is not a terminal (a log file)
    ProgressBarConsumer out = !showProgress ? new DelegatingProgressBarConsumer(line -> {})
        : new ConsoleProgressBarConsumer(System.out, System.console() != null ? -1 : 120);
    return new ProgressBarBuilder()
        .setTaskName(String.format("%s %2d/%d", name, epoch, epochs))
        .setInitialMax(examples)
        .setStyle(ProgressBarStyle.UNICODE_BLOCK)
        .hideEta()
        .setUpdateIntervalMillis(100)
        .setConsumer(out)
        .build();
  }
}
