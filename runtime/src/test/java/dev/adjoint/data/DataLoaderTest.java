package dev.adjoint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Batches, epochs and seeds of DataLoader, and its errors. */
class DataLoaderTest {
  /** Ten examples: x row i is (i, 10 i), y is i. */
  private static final Tensor X = Tensor.of(new double[] {0, 0, 1, 10, 2, 20, 3, 30, 4, 40, 5,
      50, 6, 60, 7, 70, 8, 80, 9, 90}, 10, 2);
  private static final Tensor Y = Tensor.of(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10);

  /** The labels of each batch of one epoch, checking that x and y stay paired. */
  private static List<long[]> epoch(Iterable<Batch> batches) {
    List<long[]> out = new ArrayList<>();
    for (Batch b : batches) {
      long[] y = b.y().toLongArray();
      double[] x = b.x().toDoubleArray();
      for (int i = 0; i < y.length; i++) {
        assertEquals(y[i], x[2 * i]);
        assertEquals(10 * y[i], x[2 * i + 1]);
      }
      assertEquals(y.length, b.size());
      out.add(y);
    }
    return out;
  }

  private static long[] all(List<long[]> batches) {
    return batches.stream().flatMapToLong(Arrays::stream).sorted().toArray();
  }

  @Test
  void inOrderWithTheLastPartialBatchKept() {
    DataLoader d = DataLoader.of(X, Y, 4, false, 0);
    assertEquals(3, d.size());
    List<long[]> e = epoch(d);
    assertArrayEquals(new long[] {0, 1, 2, 3}, e.get(0));
    assertArrayEquals(new long[] {8, 9}, e.get(2));
  }

  @Test
  void dropLastDropsThePartialBatch() {
    DataLoader d = DataLoader.of(X, Y, 4, true, 1).dropLast();
    assertEquals(2, d.size());
    List<long[]> e = epoch(d);
    assertEquals(2, e.size());
    assertEquals(8, all(e).length);
  }

  @Test
  void shuffledEpochsDifferAndEachCoversEveryExample() {
    DataLoader d = DataLoader.of(X, Y, 3, true, 42);
    long[] first = epoch(d).stream().flatMapToLong(Arrays::stream).toArray();
    long[] second = epoch(d).stream().flatMapToLong(Arrays::stream).toArray();
    assertFalse(Arrays.equals(first, second), "reshuffled per epoch");
    assertArrayEquals(Y.toLongArray(), all(epoch(d)));
    assertFalse(Arrays.equals(Y.toLongArray(), first), "shuffled");
  }

  @Test
  void theSameSeedGivesTheSameBatches() {
    DataLoader a = DataLoader.of(X, Y, 3, true, 7);
    DataLoader b = DataLoader.of(X, Y, 3, true, 7);
    for (int k = 0; k < 3; k++) {
      List<long[]> ea = epoch(a);
      List<long[]> eb = epoch(b);
      for (int i = 0; i < ea.size(); i++) assertArrayEquals(ea.get(i), eb.get(i));
    }
    List<long[]> replay = epoch(DataLoader.of(X, Y, 3, true, 7).epoch(2));
    List<long[]> third = epoch(DataLoader.of(X, Y, 3, true, 7).epoch(2));
    assertArrayEquals(replay.get(0), third.get(0));
    assertFalse(Arrays.equals(epoch(DataLoader.of(X, Y, 10, true, 8)).get(0),
        epoch(DataLoader.of(X, Y, 10, true, 7)).get(0)), "another seed, another order");
  }

  @Test
  void inputsWithoutTargets() {
    for (Batch b : DataLoader.of(X, null, 5, false, 0)) {
      assertNull(b.y());
      assertEquals(5, b.size());
    }
  }

  @Test
  void datasetSplit() {
    Dataset.Split s = new Dataset(X, Y).split(0.3, 1);
    assertEquals(7, s.train().size());
    assertEquals(3, s.test().size());
    long[] both = LongStream.concat(
        Arrays.stream(s.train().y().toLongArray()), Arrays.stream(s.test().y().toLongArray()))
        .sorted().toArray();
    assertArrayEquals(Y.toLongArray(), both);
    assertEquals(3, s.train().loader(3, false, 0).size());
  }

  @Test
  void errors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataLoader.of(X, Y.slice(0, 0, 9), 4, true, 0));
    assertEquals("DataLoader: x [10, 2] and y [9] must have the same number of examples along "
        + "dimension 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DataLoader.of(X, Y, 0, true, 0));
    assertEquals("DataLoader: batch size 0 must be at least 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> DataLoader.of(Tensor.scalar(1), null, 1, true, 0));
    assertEquals("DataLoader: x is a 0-d tensor; examples run along dimension 0",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Dataset(X, Y).split(1.5, 0));
    assertEquals("Dataset.split: test fraction 1.5 must be in [0, 1]", e.getMessage());
  }
}
