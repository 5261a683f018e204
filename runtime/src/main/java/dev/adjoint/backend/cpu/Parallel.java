package dev.adjoint.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * How many cores the CPU kernels use: all of them, or {@code -Dadjoint.threads=N}. Work runs on
 * a pool of its own, so that the caller's common pool is left alone.
 */
final class Parallel {
  private static final int THREADS = Math.max(1,
      Integer.getInteger("adjoint.threads", Runtime.getRuntime().availableProcessors()));
  private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;

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

  /** Runs {@code body(i)} for i in [0, n), spread over the threads. */
  static void forEach(int n, IntConsumer body) {
    if (POOL == null || n < 2 || java.util.concurrent.ForkJoinTask.inForkJoinPool()) {
      // Nested work (a matmul inside a batch already spread out) runs where it is.
      for (int i = 0; i < n; i++) body.accept(i);
      return;
    }
    POOL.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
  }
}
