package dev.adjoint.data;

import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Batches of examples, as PyTorch's {@code DataLoader} over a {@code TensorDataset}: each call
 * of {@link #iterator()} is one epoch, and with {@code shuffle} each epoch visits the examples
 * in a new order. The orders depend only on the seed and the epoch's number (epoch k is the
 * k-th iterator made, from 0), so two loaders with the same seed give the same batches, and
 * {@link #epoch(int)} replays any epoch. The last batch of an epoch holds the examples left
 * over and may be smaller, as PyTorch's default; {@link #dropLast()} drops it instead.
 * Without shuffle, batches are views of {@code x} and {@code y} (no copy); with it, each batch
 * is gathered with {@link Tensor#indexSelect}.
 *
 * <pre>{@code
 * for (int epoch = 0; epoch < 10; epoch++) {
 *   for (Batch batch : loader) { ... batch.x() ... batch.y() ... }
 * }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
  private final Tensor x;
  private final Tensor y;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final boolean dropLast;
  private int nextEpoch;

  private DataLoader(Tensor x, Tensor y, int batchSize, boolean shuffle, long seed,
      boolean dropLast) {
    this.x = x;
    this.y = y;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  /**
   * Batches of {@code batchSize} examples of {@code x} and {@code y} (dimension 0 is the
   * example; {@code y} may be null for inputs only).
   */
  public static DataLoader of(Tensor x, Tensor y, int batchSize, boolean shuffle, long seed) {
    Objects.requireNonNull(x, "DataLoader: x");
    if (x.dim() == 0) {
      throw new IllegalArgumentException("DataLoader: x is a 0-d tensor; examples run along "
          + "dimension 0");
    }
    if (y != null) checkSameExamples("DataLoader", x, y);
    if (batchSize < 1) {
      throw new IllegalArgumentException("DataLoader: batch size " + batchSize
          + " must be at least 1");
    }
    return new DataLoader(x, y, batchSize, shuffle, seed, false);
  }

  static void checkSameExamples(String what, Tensor x, Tensor y) {
    if (y.dim() == 0 || x.dim() == 0 || y.size(0) != x.size(0)) {
      throw new IllegalArgumentException(what + ": x " + Arrays.toString(x.shape()) + " and y "
          + Arrays.toString(y.shape()) + " must have the same number of examples along "
          + "dimension 0");
    }
  }

  /** This loader without the last, smaller batch of each epoch (PyTorch's drop_last). */
  public DataLoader dropLast() {
    DataLoader d = new DataLoader(x, y, batchSize, shuffle, seed, true);
    d.nextEpoch = nextEpoch;
    return d;
  }

  /** Batches per epoch (PyTorch's {@code len(loader)}). */
  public int size() {
    int n = examples();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** The number of examples. */
  public int examples() {
    return x.size(0);
  }

  /** The next epoch's batches. Not thread-safe: one loop at a time. */
  @Override
  public Iterator<Batch> iterator() {
    return epoch(nextEpoch++).iterator();
  }

  /** The batches of epoch {@code epoch} (0 for the first), without advancing the loader. */
  public Iterable<Batch> epoch(int epoch) {
    long[] order = shuffle ? permutation(examples(), seed, epoch) : null;
    return () -> new Iterator<>() {
      private int start;
      private final int batches = size();
      private int done;

      @Override
      public boolean hasNext() {
        return done < batches;
      }

      @Override
      public Batch next() {
        if (!hasNext()) throw new NoSuchElementException();
        int end = Math.min(examples(), start + batchSize);
        Batch b = order == null ? slice(start, end) : gather(order, start, end);
        start = end;
        done++;
        return b;
      }
    };
  }

  private Batch slice(int start, int end) {
    return new Batch(x.slice(0, start, end), y == null ? null : y.slice(0, start, end));
  }

  private Batch gather(long[] order, int start, int end) {
    Tensor idx = Tensor.of(Arrays.copyOfRange(order, start, end), end - start);
    return new Batch(x.indexSelect(0, idx.to(x.device())),
        y == null ? null : y.indexSelect(0, idx.to(y.device())));
  }

  /** A permutation of [0, n) from the seed and the epoch (Fisher-Yates). */
  static long[] permutation(int n, long seed, int epoch) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L * (epoch + 1));
    long[] p = new long[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
