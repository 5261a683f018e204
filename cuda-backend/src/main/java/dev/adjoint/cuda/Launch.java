package dev.adjoint.cuda;

/**
 * The geometry of one kernel launch: grid and block dimensions and dynamic shared memory. The
 * factory methods hold every sizing decision of the backend, so that tests can check them.
 */
record Launch(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ) {
  /** Threads per block of the element-wise kernels (a multiple of the warp, 8 warps). */
  static final int THREADS = 256;
  /** The most blocks of a grid-stride loop per multiprocessor (more only repeat the loop). */
  static final int BLOCKS_PER_SM = 32;
  static final int MAX_GRID_YZ = 65535;

  Launch {
    if (gridX < 1 || gridY < 1 || gridZ < 1 || gridY > MAX_GRID_YZ || gridZ > MAX_GRID_YZ) {
      throw new IllegalArgumentException("grid " + gridX + " x " + gridY + " x " + gridZ);
    }
    if (blockX < 1 || blockY < 1 || blockZ < 1 || blockX * blockY * blockZ > 1024) {
      throw new IllegalArgumentException("block " + blockX + " x " + blockY + " x " + blockZ);
    }
  }

  /**
   * A grid-stride loop over {@code n >= 1} elements: one thread per element up to
   * {@link #BLOCKS_PER_SM} blocks per multiprocessor, then each thread takes several.
   */
  static Launch linear(long n, int multiprocessors) {
    long blocks = (n + THREADS - 1) / THREADS;
    long cap = (long) Math.max(1, multiprocessors) * BLOCKS_PER_SM;
    return new Launch((int) Math.max(1, Math.min(blocks, cap)), 1, 1, THREADS, 1, 1);
  }

  /**
   * A grid of {@code n} blocks of {@code threads} threads, for kernels that give every thread
   * at least one element ({@code reduce_all}'s first pass needs that: no block may be empty).
   */
  static Launch blocks(int n, int threads) {
    return new Launch(n, 1, 1, threads, 1, 1);
  }

  int threads() {
    return blockX * blockY * blockZ;
  }
}
