package dev.adjoint.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The hand-off: every index once, nesting, exceptions, callers on several threads at once. */
class ParallelTest {
  @Test
  void runsEveryIndexExactlyOnce() {
    for (int n : new int[] {0, 1, 2, 3, 17, 1000}) {
      for (int round = 0; round < 200; round++) {
        AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
        Parallel.forEach(n, hits::incrementAndGet);
        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "n=" + n + " index " + i);
      }
    }
  }

  @Test
  void writesOfEveryShareAreSeenByTheCaller() {
    // plain (non-volatile) writes: forEach's return must publish them
    for (int round = 0; round < 2000; round++) {
      int[] out = new int[64];
      int r = round;
      Parallel.forEach(out.length, i -> out[i] = i + r);
      for (int i = 0; i < out.length; i++) assertEquals(i + round, out[i]);
    }
  }

  @Test
  void nestedWorkRunsInsideItsShare() {
    AtomicIntegerArray hits = new AtomicIntegerArray(8 * 8);
    Parallel.forEach(8, i -> Parallel.forEach(8, j -> hits.incrementAndGet(i * 8 + j)));
    for (int i = 0; i < 64; i++) assertEquals(1, hits.get(i));
  }

  @Test
  void rethrowsWhatABodyThrewAfterEveryOtherIndexRan() {
    IllegalArgumentException boom = new IllegalArgumentException("index 5");
    AtomicIntegerArray hits = new AtomicIntegerArray(32);
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
        () -> Parallel.forEach(32, i -> {
          hits.incrementAndGet(i);
          if (i == 5) throw boom;
        }));
    assertSame(boom, thrown);
    for (int i = 0; i < 32; i++) assertEquals(1, hits.get(i), "index " + i);
    // and the helpers are free for the next job
    AtomicIntegerArray again = new AtomicIntegerArray(4);
    Parallel.forEach(4, again::incrementAndGet);
    for (int i = 0; i < 4; i++) assertEquals(1, again.get(i));
  }

  @Test
  void callersOnSeveralThreadsEachGetAllTheirIndices() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      Future<?>[] done = new Future<?>[4];
      for (int c = 0; c < done.length; c++) {
        done[c] = callers.submit(() -> {
          for (int round = 0; round < 500; round++) {
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            Parallel.forEach(10, hits::incrementAndGet);
            for (int i = 0; i < 10; i++) assertEquals(1, hits.get(i));
          }
          return null;
        });
      }
      for (Future<?> f : done) f.get();
    } finally {
      callers.shutdown();
    }
  }
}
