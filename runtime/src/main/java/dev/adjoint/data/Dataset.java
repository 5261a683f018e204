package dev.adjoint.data;

import dev.adjoint.tensor.Tensor;
import java.util.Objects;

/**
 * Examples along dimension 0: inputs {@code x} and targets {@code y} (class labels as INT64 from
 * {@link Csv} and {@link Idx}), as the readers return them.
 */
public record Dataset(Tensor x, Tensor y) {
  /** Checks that {@code x} and {@code y} hold the same number of examples. */
  public Dataset {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    DataLoader.checkSameExamples("Dataset", x, y);
  }

  /** The number of examples. */
  public int size() {
    return x.size(0);
  }

  /** A train/test split: {@code test} holds the given fraction of examples, drawn by seed. */
  public record Split(Dataset train, Dataset test) {}

  /**
   * The examples shuffled by {@code seed} and cut in two: the last
   * {@code round(testFraction · size)} examples form {@code test}.
   */
  public Split split(double testFraction, long seed) {
    if (!(testFraction >= 0 && testFraction <= 1)) {
      throw new IllegalArgumentException("Dataset.split: test fraction " + testFraction
          + " must be in [0, 1]");
    }
    int n = size();
    int test = (int) Math.round(testFraction * n);
    Tensor order = Tensor.of(DataLoader.permutation(n, seed, 0), n);
    Tensor trainIdx = order.slice(0, 0, n - test).contiguous();
    Tensor testIdx = order.slice(0, n - test, n).contiguous();
    return new Split(pick(trainIdx), pick(testIdx));
  }

  private Dataset pick(Tensor idx) {
    return new Dataset(x.indexSelect(0, idx.to(x.device())), y.indexSelect(0, idx.to(y.device())));
  }

  /** {@code DataLoader.of(x, y, batchSize, shuffle, seed)}. */
  public DataLoader loader(int batchSize, boolean shuffle, long seed) {
    return DataLoader.of(x, y, batchSize, shuffle, seed);
  }
}
