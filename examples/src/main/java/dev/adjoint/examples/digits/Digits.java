package dev.adjoint.examples.digits;

import dev.adjoint.data.Csv;
import dev.adjoint.data.Dataset;
import dev.adjoint.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The UCI handwritten digits (1,797 images of 8x8 pixels, 10 classes; source and licence in
 * {@code README.md} next to the data), shipped in this jar, and the held-out split that both
 * models are trained and tested on.
 */
public final class Digits {
  /** Pixels per image (8x8), as one row of {@code x}. */
  public static final int PIXELS = 64;
  /** Digits 0 to 9. */
  public static final int CLASSES = 10;
  /** The fraction of the examples held out for testing. */
  public static final double TEST_FRACTION = 0.2;

  private Digits() {}

  /** All 1,797 examples: x FLOAT32 {@code (n, 64)} scaled from 0..16 to [0, 1], y INT64 labels. */
  public static Dataset load() {
    Dataset raw = Csv.reader().classes(CLASSES).read(copyOfResource("digits.csv.gz"));
    return new Dataset(raw.x().div(16), raw.y());
  }

  /**
   * Train and test examples, shuffled by {@code seed} (equal seeds give equal splits), each
   * pixel standardized with the training images' mean and standard deviation, as scikit-learn's
   * {@code StandardScaler} does. The test images take no part in the statistics.
   */
  public static Dataset.Split split(long seed) {
    Dataset.Split split = load().split(TEST_FRACTION, seed);
    Tensor x = split.train().x();
    Tensor mean = x.mean(0, true);
    Tensor centered = x.sub(mean);
    // + 0.1: a pixel that is 0 in every training image has no spread
    Tensor scale = centered.mul(centered).mean(0, true).sqrt().add(0.1);
    return new Dataset.Split(new Dataset(centered.div(scale), split.train().y()),
        new Dataset(split.test().x().sub(mean).div(scale), split.test().y()));
  }

  // Csv reads files; the data set is a resource of this jar (or a file in target/classes), so
  // it is copied to a temporary file first.
  private static Path copyOfResource(String name) {
    try (InputStream in = Digits.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Digits: resource " + name + " is missing from the"
            + " class path; build the examples module (mvn -pl examples package)");
      }
      Path file = Files.createTempFile("digits", ".csv.gz");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Digits: cannot copy " + name + " to a temporary file", e);
    }
  }
}
