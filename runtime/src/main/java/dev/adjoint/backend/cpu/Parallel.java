package dev.adjoint.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * How many cores the CPU kernels use: all of them, or {@code -Dadjoint.threads=N}. The calling
 * thread works too, beside {@code N - 1} helpers of a pool of Adjoint's own (so that the caller's
 * common pool is left alone): a product of a fraction of a millisecond does not wait for a
 * parked helper to wake before it starts, and is never slower than on one thread by more than
 * the hand-off.
 */
final class Parallel {
  private static final int THREADS = Math.max(1,
      Integer.getInteger("adjoint.threads", Runtime.getRuntime().availableProcessors()));
  private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1) : null;
  /** Set while this thread runs a share of a {@link #forEach}: nested work stays on it. */
  private static final ThreadLocal<boolean[]> BUSY = ThreadLocal.withInitial(() -> new boolean[1]);

  private Parallel() {}

  static int threads() {
    return THREADS;
  }

  /**
   * Elements per thread below which splitting memory-bound work (element-wise operations,
   * reductions) costs more in hand-offs than it saves.
   */
  static final int GRAIN = 1 << 15;

  /** How many pieces to split {@code elements} of memory-bound work into: 1 means no split. */
  static int chunks(long elements) {
    return (int) Math.max(1, Math.min(THREADS, elements / GRAIN));
  }

  /**
   * Runs {@code body(i)} for i in [0, n), spread over the threads: the caller and the helpers
   * take the next index until none is left, so an uneven piece does not leave a core idle.
   */
  static void forEach(int n, IntConsumer body) {
    boolean[] busy = BUSY.get();
    if (POOL == null || n < 2 || busy[0] || ForkJoinTask.inForkJoinPool()) {
      // Nested work (a matmul inside a batch already spread out) runs where it is.
      for (int i = 0; i < n; i++) body.accept(i);
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable share = () -> {
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) body.accept(i);
    };
    int helpers = Math.min(THREADS - 1, n - 1);
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[helpers];
    for (int h = 0; h < helpers; h++) tasks[h] = POOL.submit(share);
    busy[0] = true;
    try {
      share.run();
    } finally {
      busy[0] = false;
      // every helper has finished before the caller goes on (or rethrows what one threw)
      for (ForkJoinTask<?> t : tasks) t.join();
    }
  }
}
