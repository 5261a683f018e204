package dev.adjoint.backend.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * How many cores the CPU kernels use: all of them, or {@code -Dadjoint.threads=N}. The calling
 * thread works too, beside {@code N - 1} helper threads of Adjoint's own (daemons, so that the
 * caller's common pool is left alone and the JVM can exit).
 *
 * <p>A training step is a chain of kernels of a tenth of a millisecond each, so the hand-off
 * must cost microseconds: a helper that has just finished a job spins for a while
 * ({@code -Dadjoint.spinMicros}, 200 by default) watching for the next before it parks, as
 * OpenMP's and OpenBLAS's threads do. Waking a parked thread costs 30 to 50 µs on this project's
 * machine, which made two threads slower than one on an MLP step through a ForkJoinPool.
 */
final class Parallel {
  private static final int THREADS = Math.max(1,
      Integer.getInteger("adjoint.threads", Runtime.getRuntime().availableProcessors()));
  private static final long SPIN_NANOS =
      Math.max(0, Long.getLong("adjoint.spinMicros", 200)) * 1000;
  /** Set while this thread runs a share of a {@link #forEach}: nested work stays on it. */
  private static final ThreadLocal<boolean[]> BUSY = ThreadLocal.withInitial(() -> new boolean[1]);
  /** Held by the one caller whose job the helpers run; another caller meanwhile runs alone. */
  private static final AtomicBoolean IN_USE = new AtomicBoolean();
  private static final Helper[] HELPERS = startHelpers();
  /** The job the helpers take shares of; replaced (never reset) by the next caller. */
  private static volatile Job current;

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
   * take the next index until none is left, so an uneven piece does not leave a core idle. It
   * returns when every index has run, rethrowing the first exception a body threw.
   */
  static void forEach(int n, IntConsumer body) {
    boolean[] busy = BUSY.get();
    if (HELPERS.length == 0 || n < 2 || busy[0] || !IN_USE.compareAndSet(false, true)) {
      // Nested work (a matmul inside a batch already spread out), or another thread's job
      // holding the helpers: run here.
      for (int i = 0; i < n; i++) body.accept(i);
      return;
    }
    Job job = new Job(n, body);
    busy[0] = true;
    try {
      current = job;
      for (Helper h : HELPERS) {
        if (h.parked) LockSupport.unpark(h);
      }
      job.work();
      job.awaitAll();
    } finally {
      busy[0] = false;
      IN_USE.set(false);
    }
    if (job.failure != null) {
      if (job.failure instanceof RuntimeException e) throw e;
      if (job.failure instanceof Error e) throw e;
      throw new IllegalStateException(job.failure);
    }
  }

  private static Helper[] startHelpers() {
    Helper[] helpers = new Helper[THREADS - 1];
    for (int h = 0; h < helpers.length; h++) {
      helpers[h] = new Helper(h + 1);
      helpers[h].start();
    }
    return helpers;
  }

  /** One call's indices: taken from {@code next}, counted off in {@code completed}. */
  private static final class Job {
    final int n;
    final IntConsumer body;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    volatile Throwable failure;

    Job(int n, IntConsumer body) {
      this.n = n;
      this.body = body;
    }

    void work() {
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
        try {
          body.accept(i);
        } catch (Throwable t) {
          if (failure == null) failure = t;
        } finally {
          // the increment publishes what the body wrote to the caller that reads the count
          completed.incrementAndGet();
        }
      }
    }

    /** Spins (a share runs for microseconds), yielding now and then to a descheduled helper. */
    void awaitAll() {
      for (int spins = 0; completed.get() < n; spins++) {
        if ((spins & 1023) == 1023) Thread.yield();
        else Thread.onSpinWait();
      }
    }
  }

  /** A helper thread: runs shares of each new job, spins a while, then parks until woken. */
  private static final class Helper extends Thread {
    volatile boolean parked;

    Helper(int index) {
      super("adjoint-cpu-" + index);
      setDaemon(true);
    }

    @Override
    public void run() {
      Job seen = null;
      long idleSince = System.nanoTime();
      while (true) {
        Job job = current;
        if (job != seen) {
          seen = job;
          BUSY.get()[0] = true;
          job.work();
          BUSY.get()[0] = false;
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          // parked is set before current is read again, and the caller sets current before it
          // reads parked: one of the two sees the other, so no job waits for a sleeping helper
          parked = true;
          if (current == seen) LockSupport.park(this);
          parked = false;
          idleSince = System.nanoTime();
        }
      }
    }
  }
}
