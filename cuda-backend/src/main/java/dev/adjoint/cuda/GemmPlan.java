package dev.adjoint.cuda;

import dev.adjoint.tensor.DType;

/**
 * How one matrix product runs: which kernel (tile size), how many tiles, and how k is split
 * when the output has too few tiles to fill the GPU (split-K: each slice of k writes a partial
 * product, and a second kernel adds the slices in a fixed order).
 */
record GemmPlan(String kernel, int tileM, int tileN, int tileK, int tilesM, int tilesN,
    int splits, int kChunk) {
  /** Split-K leaves each slice at least this many tiles of k. */
  static final int MIN_TILES_PER_SPLIT = 4;
  static final int MAX_SPLITS = 32;
  /** The most elements of split-K workspace (slices x output). */
  static final long MAX_WORKSPACE = 1L << 27;

  static GemmPlan of(DType dtype, boolean tf32, boolean conv, int m, int n, int k, int batch,
      int multiprocessors) {
    String kernel;
    int tile;
    int tileK = 8;
    if (dtype == DType.FLOAT32 && tf32) {
      kernel = "gemm_tf32";
      tile = 128;
      tileK = 16;
    } else if (dtype == DType.FLOAT32) {
      long large = tiles(m, 128) * tiles(n, 128) * batch;
      boolean big = large >= multiprocessors;
      kernel = big ? "gemm_simt_f32_large" : "gemm_simt_f32_small";
      tile = big ? 128 : 64;
    } else if (dtype == DType.FLOAT64) {
      if (conv) throw new IllegalArgumentException("conv2d kernels are float32 only");
      kernel = "gemm_simt_f64";
      tile = 64;
    } else {
      if (conv) throw new IllegalArgumentException("conv2d kernels are float32 only");
      kernel = "gemm_simt_i64";
      tile = 64;
    }
    if (conv) kernel += "_conv";
    int tm = (int) tiles(m, tile);
    int tn = (int) tiles(n, tile);
    long blocks = (long) tm * tn * Math.min(batch, Launch.MAX_GRID_YZ);
    int splits = 1;
    int kChunk = (int) (tiles(k, tileK) * tileK);
    long kTiles = tiles(k, tileK);
    if (blocks < multiprocessors && kTiles >= 2L * MIN_TILES_PER_SPLIT) {
      long want = (2L * multiprocessors + blocks - 1) / blocks;
      long most = kTiles / MIN_TILES_PER_SPLIT;
      long output = (long) m * n * batch;
      long room = Math.max(1, MAX_WORKSPACE / Math.max(1, output));  // workspace elements
      int s = (int) Math.max(1, Math.min(Math.min(Math.min(want, most), MAX_SPLITS), room));
      kChunk = (int) (tiles(kTiles, s) * tileK);
      splits = (int) tiles(k, kChunk);
    }
    return new GemmPlan(kernel, tile, tile, tileK, tm, tn, splits, Math.max(kChunk, tileK));
  }

  private static long tiles(long size, long tile) {
    return (size + tile - 1) / tile;
  }

  Launch launch(int batch) {
    return new Launch(tilesM * tilesN, splits, Math.min(batch, Launch.MAX_GRID_YZ), 256, 1, 1);
  }
}
