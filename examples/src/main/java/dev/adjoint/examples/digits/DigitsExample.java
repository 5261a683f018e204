package dev.adjoint.examples.digits;

import dev.adjoint.data.Dataset;
import dev.adjoint.nn.SafeTensors;
import dev.adjoint.optim.AdamW;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * README's first command: trains an MLP and a small CNN on the UCI digits, with gradients from
 * the generated {@code MlpDerivatives} and {@code CnnDerivatives}, prints a progress bar per
 * epoch and the test accuracy, saves the weights as safetensors and plots the training curves.
 *
 * <p>{@code mvn -q install -DskipTests && mvn -q -pl examples exec:exec@run}
 */
public final class DigitsExample {
  /** Everything random (split, initial weights, batch order) comes from these seeds. */
  static final long SPLIT_SEED = 0;
  static final long MODEL_SEED = 1;
  static final long BATCH_SEED = 2;

  private DigitsExample() {}

  /** The two trained models and their training runs. */
  public record Trained(Trainer.Result<Mlp> mlp, Trainer.Result<Cnn> cnn) {}

  /** Argument: the folder for the weights and the plot (default {@code target}). */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target").toAbsolutePath();
    Dataset.Split split = Digits.split(SPLIT_SEED);
    System.out.printf("UCI digits: %d training and %d test images of 8x8 pixels%n",
        split.train().size(), split.test().size());
    Trained trained = train(split, true);
    report("MLP", trained.mlp());
    report("CNN", trained.cnn());
    write(out, trained);
    System.out.println("weights: " + out.resolve("digits-mlp.safetensors") + ", "
        + out.resolve("digits-cnn.safetensors") + "; plot: " + out.resolve("digits.png"));
  }

  /** Trains both models on {@code split} with the fixed seeds above. */
  public static Trained train(Dataset.Split split, boolean showProgress) {
    // the same recipe for both: AdamW, learning rate 2e-3 on a cosine to 0, weight decay 0.05,
    // 20 epochs of 16-image batches
    Mlp mlp = Mlp.init(new SplittableRandom(MODEL_SEED));
    var mlpRun = new Trainer<Mlp>("MLP", MlpDerivatives::lossValueAndGrad, 20, 16, showProgress)
        .train(mlp, AdamW.of(mlp, 2e-3, 0.05), split, BATCH_SEED);
    Cnn cnn = Cnn.init(new SplittableRandom(MODEL_SEED));
    var cnnRun = new Trainer<Cnn>("CNN", CnnDerivatives::lossValueAndGrad, 20, 16, showProgress)
        .train(cnn, AdamW.of(cnn, 2e-3, 0.05), split, BATCH_SEED);
    return new Trained(mlpRun, cnnRun);
  }

  /** Writes {@code digits-mlp.safetensors}, {@code digits-cnn.safetensors}, {@code digits.png}. */
  public static void write(Path out, Trained trained) throws Exception {
    Files.createDirectories(out);
    SafeTensors.save(out.resolve("digits-mlp.safetensors"), trained.mlp().model());
    SafeTensors.save(out.resolve("digits-cnn.safetensors"), trained.cnn().model());
    Map<String, List<Trainer.Epoch>> runs = new LinkedHashMap<>();
    runs.put("MLP", trained.mlp().epochs());
    runs.put("CNN", trained.cnn().epochs());
    Plot.write(out.resolve("digits.png"), runs);
  }

  private static void report(String name, Trainer.Result<?> run) {
    System.out.printf("%s: test accuracy %.2f%%, trained in %.1f s%n", name,
        100 * run.testAccuracy(), run.seconds());
  }
}
