package dev.adjoint.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 {@code C (+)= A B} with the Vector API, A and B given by where each of their rows
 * starts (so that the rows of an image's windows can be read in place, an implicit im2col), for
 * {@link PanamaFloatKernels} (and like it, loaded only when the incubator module is readable).
 *
 * <p>B is packed once per call into panels {@code NR} (two vectors) wide, one slice of up to
 * {@code KC} rows of k at a time, the slices of equal depth (k = 784 is four slices of 196, not
 * three of 256 and one of 16, whose C tiles would be loaded and stored for little work). Each
 * block of 12 rows of A (the last ones 8, so that 128 rows are 10 blocks of 12 and one of 8:
 * {@link #tallBlocks}) is interleaved into a strip, and a 12 x 2-vector micro-kernel of fused
 * multiply-adds (24 accumulators in registers) runs over the panels; a last panel one vector
 * wide or narrower takes a 12 x 1-vector kernel, so that N = 10 (a classifier's logits) or the 4
 * columns left of N = 196 cost half. Row blocks are shared among the cores for large products.
 */
final class PanamaGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** The most rows of A a micro-kernel takes at once (blocks of 8 where 12 would pad more). */
  private static final int MR = 12;
  private static final int NR = 2 * L;
  private static final int KC = 256;
  /**
   * Panels per column block: a slice of packed B half the size of L2 (1 MB, 1024 columns, on a
   * core with 2 MB) stays there while every row block of A runs over it; a larger block reuses
   * each strip of A over more panels (1024^2 ran at 160 GFLOP/s with 512 columns, 170 with 1024).
   */
  private static final int PANELS_PER_BLOCK =
      Math.max(1, (int) Math.min(4096, CacheSize.l2Bytes() / 2 / (KC * Float.BYTES)) / NR);
  /**
   * Columns of A per block of a strip: a strip holds, for each 16 columns, its rows one after
   * the other ({@link #stripIndex}), so a row-major A is packed by vector copies, not one float
   * at a time to a place 12 floats from the last (which cost as much as the product over few
   * panels).
   */
  private static final int QB = 16;
  /** Multiply-adds below which a product runs on the calling thread only. */
  private static final long PARALLEL_WORK = 1L << 21;

  private PanamaGemm() {}

  /** The row-table product of {@link FloatKernels}. */
  static void gemm(float[] a, int[] aRows, int acs, float[] b, int[] bRows, int bcs, float[] c,
      int co, int m, int k, int n, boolean accumulate) {
    if (m == 0 || n == 0) return;
    if (k == 0) {
      if (!accumulate) java.util.Arrays.fill(c, co, co + m * n, 0f);
      return;
    }
    int panels = (n + NR - 1) / NR;
    int slices = (k + KC - 1) / KC;
    int depth = (k + slices - 1) / slices;
    int sliceSize = panels * depth * NR;
    float[] packed = packBuffer(slices * sliceSize);
    int tall = tallBlocks(m);
    int rowBlocks = rowBlocks(m, tall);
    boolean parallel = (long) m * n * k >= PARALLEL_WORK && Parallel.threads() > 1;
    if (!parallel) {
      for (int sl = 0; sl < slices; sl++) {
        pack(b, bRows, bcs, n, sl * depth, Math.min(depth, k - sl * depth), packed,
            sl * sliceSize, 0, panels);
      }
      rows(a, aRows, acs, c, co, m, k, n, packed, depth, sliceSize, tall, 0, panels, 0, rowBlocks,
          accumulate);
      return;
    }
    // Each thread takes tiles of row blocks by column ranges, through every slice of k, with no
    // barrier between slices. Few row blocks (a batch of 128 is 11) are also cut by columns, so
    // that two threads get equal shares, not 6 blocks and 5; B is packed in the same pieces.
    int threads = Parallel.threads();
    int rowChunks = Math.min(rowBlocks, 4 * threads);
    int colChunks = rowBlocks < 8 * threads ? Math.min(threads, panels) : 1;
    Parallel.forEach(slices * colChunks, piece -> {
      int sl = piece / colChunks;
      int cc = piece % colChunks;
      pack(b, bRows, bcs, n, sl * depth, Math.min(depth, k - sl * depth), packed,
          sl * sliceSize, panels * cc / colChunks, panels * (cc + 1) / colChunks);
    });
    Parallel.forEach(rowChunks * colChunks, tile -> {
      int rc = tile / colChunks;
      int cc = tile % colChunks;
      rows(a, aRows, acs, c, co, m, k, n, packed, depth, sliceSize, tall,
          panels * cc / colChunks, panels * (cc + 1) / colChunks,
          (int) ((long) rowBlocks * rc / rowChunks),
          (int) ((long) rowBlocks * (rc + 1) / rowChunks),
          accumulate);
    });
  }

  /**
   * How many of a product's row blocks take 12 rows; the rest take 8, so that rows are not
   * padded where a mix covers them (128 = 10 x 12 + 8, 256 = 20 x 12 + 2 x 8, 32 = 2 x 12 + 8):
   * padding cost as much as the 8-row kernel's 7% loss, and a cut last block ran through a
   * scratch tile. Rows that no mix covers pad one last block: of 8 rows if 8 or fewer remain.
   */
  static int tallBlocks(int m) {
    int most = m / 12;
    for (int t = most; t >= Math.max(0, most - 2); t--) {
      if ((m - 12 * t) % 8 == 0) return t;
    }
    return m - 12 * most > 8 ? most + 1 : most;
  }

  /** All row blocks of a product of m rows: {@code tall} of 12 rows, then those of 8. */
  static int rowBlocks(int m, int tall) {
    return tall + (Math.max(0, m - 12 * tall) + 7) / 8;
  }

  private static final ThreadLocal<float[]> PACKED = ThreadLocal.withInitial(() -> new float[0]);

  /** A reusable buffer for packed B: every element is written before it is read. */
  private static float[] packBuffer(int size) {
    float[] b = PACKED.get();
    if (b.length < size) {
      b = new float[size];
      PACKED.set(b);
    }
    return b;
  }

  /** Row blocks [from, to) by panels [panelFrom, panelTo), through every slice of k. */
  private static void rows(float[] a, int[] aRows, int acs, float[] c, int co, int m, int k,
      int n, float[] packed, int depth, int sliceSize, int tall, int panelFrom, int panelTo,
      int from, int to, boolean accumulate) {
    for (int p0 = panelFrom; p0 < panelTo; p0 += PANELS_PER_BLOCK) {
      int p1 = Math.min(panelTo, p0 + PANELS_PER_BLOCK);
      for (int kk = 0, sl = 0; kk < k; kk += depth, sl++) {
        int kc = Math.min(depth, k - kk);
        for (int rb = from; rb < to; rb++) {
          rowBlock(a, aRows, acs, c, co, m, n, packed, sl * sliceSize, p0, p1, kc, kk, tall, rb,
              kk == 0 && !accumulate);
        }
      }
    }
  }

  /**
   * B rows kk..kk+kc, cut into panels NR columns wide (zero-padded), each row-major: panels
   * [from, to) of them.
   */
  private static void pack(float[] b, int[] bRows, int bcs, int n, int kk, int kc,
      float[] packed, int at, int from, int to) {
    for (int jp = from; jp < to; jp++) {
      int j0 = jp * NR;
      int width = Math.min(NR, n - j0);
      int stride = panelStride(width);
      int base = at + jp * kc * NR;
      if (bcs == 1 && width == NR) {
        // Whole panels: two vector moves per row (an arraycopy call per 2 vectors costs more).
        for (int p = 0; p < kc; p++) {
          int src = bRows[kk + p] + j0;
          int dst = base + p * NR;
          FloatVector.fromArray(S, b, src).intoArray(packed, dst);
          FloatVector.fromArray(S, b, src + L).intoArray(packed, dst + L);
        }
      } else if (bcs == 1) {
        for (int p = 0; p < kc; p++) {
          int dst = base + p * stride;
          System.arraycopy(b, bRows[kk + p] + j0, packed, dst, width);
          for (int j = width; j < stride; j++) packed[dst + j] = 0f;
        }
      } else if (width == NR && GATHER) {
        // Transposed B, whole panels: each row of the panel is two gathers along a row of B's
        // storage (the columns a panel reads stay in L1 over the next rows).
        int[] columns = GATHER_INDEX.get();
        for (int j = 0; j < NR; j++) columns[j] = j * bcs;
        for (int p = 0; p < kc; p++) {
          int dst = base + p * NR;
          int src = bRows[kk + p] + j0 * bcs;
          FloatVector.fromArray(S, b, src, columns, 0).intoArray(packed, dst);
          FloatVector.fromArray(S, b, src, columns, L).intoArray(packed, dst + L);
        }
      } else {
        // Transposed B: row by row of the panel, each a strided walk along one row of B's
        // storage, written in order.
        for (int p = 0; p < kc; p++) {
          int dst = base + p * stride;
          int src = bRows[kk + p] + j0 * bcs;
          for (int j = 0; j < width; j++) packed[dst + j] = b[src + j * bcs];
          for (int j = width; j < stride; j++) packed[dst + j] = 0f;
        }
      }
    }
  }

  /** Floats per packed row of a panel: a last panel one vector wide or less is packed narrow. */
  private static int panelStride(int width) {
    return width <= L ? L : NR;
  }

  private static void rowBlock(float[] a, int[] aRows, int acs, float[] c, int co, int m,
      int n, float[] packed, int slice, int p0, int p1, int kc, int kk, int tall, int rb,
      boolean first) {
    int mr = rb < tall ? 12 : 8;
    int i0 = rb < tall ? 12 * rb : 12 * tall + 8 * (rb - tall);
    int rows = Math.min(mr, m - i0);
    float[] strip = STRIP.get();
    packStrip(a, aRows, acs, i0, rows, mr, kk, kc, strip);
    for (int jp = p0; jp < p1; jp++) {
      int j0 = jp * NR;
      int width = Math.min(NR, n - j0);
      int pb = slice + jp * kc * NR;
      int ci = co + i0 * n + j0;
      if (rows == mr && width == NR) {
        if (mr == 12) kernel12(strip, packed, pb, kc, c, ci, n, first);
        else kernel8(strip, packed, pb, kc, c, ci, n, first);
        continue;
      }
      // Edges: a kernel into a scratch tile, then the part that exists into C.
      float[] tile = TILE.get();
      if (width <= L) {
        if (mr == 12) kernel12OneVector(strip, packed, pb, kc, tile, 0, NR, L);
        else kernel8OneVector(strip, packed, pb, kc, tile, 0, NR, L);
      } else if (mr == 12) {
        kernel12(strip, packed, pb, kc, tile, 0, NR, true);
      } else {
        kernel8(strip, packed, pb, kc, tile, 0, NR, true);
      }
      for (int r = 0; r < rows; r++) {
        int dst = ci + r * n;
        for (int j = 0; j < width; j++) {
          c[dst + j] = first ? tile[r * NR + j] : c[dst + j] + tile[r * NR + j];
        }
      }
    }
  }

  /** Where A's row r, column p of a block of {@code mr} rows lies in its strip. */
  static int stripIndex(int mr, int r, int p) {
    return (p / QB) * (mr * QB) + r * QB + p % QB;
  }

  /** A's rows i0..i0+rows, columns kk..kk+kc, into a strip of {@code mr} rows (missing ones 0). */
  private static void packStrip(float[] a, int[] aRows, int acs, int i0, int rows, int mr,
      int kk, int kc, float[] strip) {
    if (acs == 1) {
      for (int r = 0; r < rows; r++) {
        int src = aRows[i0 + r] + kk;
        for (int p0 = 0; p0 < kc; p0 += QB) {
          int dst = stripIndex(mr, r, p0);
          if (p0 + QB <= kc && L <= QB) {
            for (int q = 0; q < QB; q += L) {
              FloatVector.fromArray(S, a, src + p0 + q).intoArray(strip, dst + q);
            }
          } else {
            for (int q = 0, w = Math.min(QB, kc - p0); q < w; q++) strip[dst + q] = a[src + p0 + q];
          }
        }
      }
    } else {
      // Transposed A: its columns are rows in memory, read in order, a block's rows at a time.
      for (int p = 0, col = kk * acs; p < kc; p++, col += acs) {
        int dst = stripIndex(mr, 0, p);
        for (int r = 0; r < rows; r++) strip[dst + r * QB] = a[aRows[i0 + r] + col];
      }
    }
    for (int r = rows; r < mr; r++) {
      for (int p = 0; p < kc; p++) strip[stripIndex(mr, r, p)] = 0f;
    }
  }

  private static final ThreadLocal<float[]> STRIP =
      ThreadLocal.withInitial(() -> new float[(KC + QB - 1) / QB * QB * MR]);
  /**
   * Transposed B is packed with gathers where vectors hold 16 floats (AVX-512: the forward
   * product of a 784-input linear layer took 387 µs against 472 with one float at a time); with
   * 8 (AVX2) they gained nothing, and narrower vectors may have no gather instruction at all.
   */
  private static final boolean GATHER = L >= 16;
  private static final ThreadLocal<int[]> GATHER_INDEX =
      ThreadLocal.withInitial(() -> new int[NR]);
  private static final ThreadLocal<float[]> TILE =
      ThreadLocal.withInitial(() -> new float[MR * NR]);

  /**
   * C[8 x NR] (+)= strip x panel, eight rows of two vectors, for products of few rows (16 or
   * 32 output channels of a convolution) that twelve-row blocks would pad. Accumulators start
   * from C (or zero on the first slice of k) and are stored once: no branch and no call inside,
   * so they stay in registers.
   */
  private static void kernel8(float[] strip, float[] packed, int pb, int kc, float[] c, int ci,
      int ldc, boolean first) {
    FloatVector c00 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci);
    FloatVector c01 = first ? FloatVector.zero(S)
        : FloatVector.fromArray(S, c, ci + L);
    FloatVector c10 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + ldc);
    FloatVector c11 = first ? FloatVector.zero(S)
        : FloatVector.fromArray(S, c, ci + ldc + L);
    FloatVector c20 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 2 * ldc);
    FloatVector c21 = first ? FloatVector.zero(S)
        : FloatVector.fromArray(S, c, ci + 2 * ldc + L);
    FloatVector c30 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 3 * ldc);
    FloatVector c31 = first ? FloatVector.zero(S)
        : FloatVector.fromArray(S, c, ci + 3 * ldc + L);
    FloatVector c40 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 4 * ldc);
    FloatVector c41 = first ? FloatVector.zero(S)
        : FloatVector.fromArray(S, c, ci + 4 * ldc + L);
    FloatVector c50 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 5 * ldc);
    FloatVector c51 = first ? FloatVector.zero(S)
        : FloatVector.fromArray(S, c, ci + 5 * ldc + L);
    FloatVector c60 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 6 * ldc);
    FloatVector c61 = first ? FloatVector.zero(S)
        : FloatVector.fromArray(S, c, ci + 6 * ldc + L);
    FloatVector c70 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 7 * ldc);
    FloatVector c71 = first ? FloatVector.zero(S)
        : FloatVector.fromArray(S, c, ci + 7 * ldc + L);
    for (int p = 0; p < kc; p++) {
      int bp = pb + p * NR;
      int ap = (p / QB) * (8 * QB) + p % QB;
      FloatVector b0 = FloatVector.fromArray(S, packed, bp);
      FloatVector b1 = FloatVector.fromArray(S, packed, bp + L);
      FloatVector x;
      x = FloatVector.broadcast(S, strip[ap + 0]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      x = FloatVector.broadcast(S, strip[ap + 1 * QB]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
      x = FloatVector.broadcast(S, strip[ap + 2 * QB]);
      c20 = b0.fma(x, c20);
      c21 = b1.fma(x, c21);
      x = FloatVector.broadcast(S, strip[ap + 3 * QB]);
      c30 = b0.fma(x, c30);
      c31 = b1.fma(x, c31);
      x = FloatVector.broadcast(S, strip[ap + 4 * QB]);
      c40 = b0.fma(x, c40);
      c41 = b1.fma(x, c41);
      x = FloatVector.broadcast(S, strip[ap + 5 * QB]);
      c50 = b0.fma(x, c50);
      c51 = b1.fma(x, c51);
      x = FloatVector.broadcast(S, strip[ap + 6 * QB]);
      c60 = b0.fma(x, c60);
      c61 = b1.fma(x, c61);
      x = FloatVector.broadcast(S, strip[ap + 7 * QB]);
      c70 = b0.fma(x, c70);
      c71 = b1.fma(x, c71);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + L);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + L);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + L);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + L);
    c60.intoArray(c, ci + 6 * ldc);
    c61.intoArray(c, ci + 6 * ldc + L);
    c70.intoArray(c, ci + 7 * ldc);
    c71.intoArray(c, ci + 7 * ldc + L);
  }

  /** C[8 x L] = strip x the panel's first vector: the last panel when it is that narrow. */
  private static void kernel8OneVector(float[] strip, float[] packed, int pb, int kc, float[] c,
      int ci, int ldc, int stride) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = c0;
    FloatVector c2 = c0;
    FloatVector c3 = c0;
    FloatVector c4 = c0;
    FloatVector c5 = c0;
    FloatVector c6 = c0;
    FloatVector c7 = c0;
    for (int p = 0; p < kc; p++) {
      int ap = (p / QB) * (8 * QB) + p % QB;
      FloatVector b0 = FloatVector.fromArray(S, packed, pb + p * stride);
      c0 = b0.fma(FloatVector.broadcast(S, strip[ap]), c0);
      c1 = b0.fma(FloatVector.broadcast(S, strip[ap + 1 * QB]), c1);
      c2 = b0.fma(FloatVector.broadcast(S, strip[ap + 2 * QB]), c2);
      c3 = b0.fma(FloatVector.broadcast(S, strip[ap + 3 * QB]), c3);
      c4 = b0.fma(FloatVector.broadcast(S, strip[ap + 4 * QB]), c4);
      c5 = b0.fma(FloatVector.broadcast(S, strip[ap + 5 * QB]), c5);
      c6 = b0.fma(FloatVector.broadcast(S, strip[ap + 6 * QB]), c6);
      c7 = b0.fma(FloatVector.broadcast(S, strip[ap + 7 * QB]), c7);
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + ldc);
    c2.intoArray(c, ci + 2 * ldc);
    c3.intoArray(c, ci + 3 * ldc);
    c4.intoArray(c, ci + 4 * ldc);
    c5.intoArray(c, ci + 5 * ldc);
    c6.intoArray(c, ci + 6 * ldc);
    c7.intoArray(c, ci + 7 * ldc);
  }

  /**
   * C[12 x NR] (+)= strip x panel, twelve rows of two vectors: 24 accumulators, two B vectors
   * and a broadcast fill 27 of AVX-512's 32 registers, and each B load feeds twelve multiply-adds
   * (the 8-row kernel ran at 192 GFLOP/s in L1 against this one's 205). Accumulators start
   * from C (or zero on the first slice of k) and are stored once: no branch and no call inside,
   * so they stay in registers.
   */
  private static void kernel12(float[] strip, float[] packed, int pb, int kc, float[] c, int ci,
      int ldc, boolean first) {
    FloatVector c00 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci);
    FloatVector c01 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + L);
    FloatVector c10 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + ldc);
    FloatVector c11 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + ldc + L);
    FloatVector c20 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 2 * ldc);
    FloatVector c21 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 2 * ldc + L);
    FloatVector c30 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 3 * ldc);
    FloatVector c31 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 3 * ldc + L);
    FloatVector c40 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 4 * ldc);
    FloatVector c41 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 4 * ldc + L);
    FloatVector c50 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 5 * ldc);
    FloatVector c51 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 5 * ldc + L);
    FloatVector c60 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 6 * ldc);
    FloatVector c61 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 6 * ldc + L);
    FloatVector c70 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 7 * ldc);
    FloatVector c71 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 7 * ldc + L);
    FloatVector c80 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 8 * ldc);
    FloatVector c81 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 8 * ldc + L);
    FloatVector c90 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 9 * ldc);
    FloatVector c91 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 9 * ldc + L);
    FloatVector ca0 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 10 * ldc);
    FloatVector ca1 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 10 * ldc + L);
    FloatVector cb0 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 11 * ldc);
    FloatVector cb1 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci + 11 * ldc + L);
    for (int p = 0; p < kc; p++) {
      int bp = pb + p * NR;
      int ap = (p / QB) * (12 * QB) + p % QB;
      FloatVector b0 = FloatVector.fromArray(S, packed, bp);
      FloatVector b1 = FloatVector.fromArray(S, packed, bp + L);
      FloatVector x;
      x = FloatVector.broadcast(S, strip[ap + 0]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      x = FloatVector.broadcast(S, strip[ap + 1 * QB]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
      x = FloatVector.broadcast(S, strip[ap + 2 * QB]);
      c20 = b0.fma(x, c20);
      c21 = b1.fma(x, c21);
      x = FloatVector.broadcast(S, strip[ap + 3 * QB]);
      c30 = b0.fma(x, c30);
      c31 = b1.fma(x, c31);
      x = FloatVector.broadcast(S, strip[ap + 4 * QB]);
      c40 = b0.fma(x, c40);
      c41 = b1.fma(x, c41);
      x = FloatVector.broadcast(S, strip[ap + 5 * QB]);
      c50 = b0.fma(x, c50);
      c51 = b1.fma(x, c51);
      x = FloatVector.broadcast(S, strip[ap + 6 * QB]);
      c60 = b0.fma(x, c60);
      c61 = b1.fma(x, c61);
      x = FloatVector.broadcast(S, strip[ap + 7 * QB]);
      c70 = b0.fma(x, c70);
      c71 = b1.fma(x, c71);
      x = FloatVector.broadcast(S, strip[ap + 8 * QB]);
      c80 = b0.fma(x, c80);
      c81 = b1.fma(x, c81);
      x = FloatVector.broadcast(S, strip[ap + 9 * QB]);
      c90 = b0.fma(x, c90);
      c91 = b1.fma(x, c91);
      x = FloatVector.broadcast(S, strip[ap + 10 * QB]);
      ca0 = b0.fma(x, ca0);
      ca1 = b1.fma(x, ca1);
      x = FloatVector.broadcast(S, strip[ap + 11 * QB]);
      cb0 = b0.fma(x, cb0);
      cb1 = b1.fma(x, cb1);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + L);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + L);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + L);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + L);
    c60.intoArray(c, ci + 6 * ldc);
    c61.intoArray(c, ci + 6 * ldc + L);
    c70.intoArray(c, ci + 7 * ldc);
    c71.intoArray(c, ci + 7 * ldc + L);
    c80.intoArray(c, ci + 8 * ldc);
    c81.intoArray(c, ci + 8 * ldc + L);
    c90.intoArray(c, ci + 9 * ldc);
    c91.intoArray(c, ci + 9 * ldc + L);
    ca0.intoArray(c, ci + 10 * ldc);
    ca1.intoArray(c, ci + 10 * ldc + L);
    cb0.intoArray(c, ci + 11 * ldc);
    cb1.intoArray(c, ci + 11 * ldc + L);
  }

  /** C[12 x L] = strip x the panel's first vector: the last panel when it is that narrow. */
  private static void kernel12OneVector(float[] strip, float[] packed, int pb, int kc, float[] c,
      int ci, int ldc, int stride) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = c0;
    FloatVector c2 = c0;
    FloatVector c3 = c0;
    FloatVector c4 = c0;
    FloatVector c5 = c0;
    FloatVector c6 = c0;
    FloatVector c7 = c0;
    FloatVector c8 = c0;
    FloatVector c9 = c0;
    FloatVector ca = c0;
    FloatVector cb = c0;
    for (int p = 0; p < kc; p++) {
      int ap = (p / QB) * (12 * QB) + p % QB;
      FloatVector b0 = FloatVector.fromArray(S, packed, pb + p * stride);
      c0 = b0.fma(FloatVector.broadcast(S, strip[ap]), c0);
      c1 = b0.fma(FloatVector.broadcast(S, strip[ap + 1 * QB]), c1);
      c2 = b0.fma(FloatVector.broadcast(S, strip[ap + 2 * QB]), c2);
      c3 = b0.fma(FloatVector.broadcast(S, strip[ap + 3 * QB]), c3);
      c4 = b0.fma(FloatVector.broadcast(S, strip[ap + 4 * QB]), c4);
      c5 = b0.fma(FloatVector.broadcast(S, strip[ap + 5 * QB]), c5);
      c6 = b0.fma(FloatVector.broadcast(S, strip[ap + 6 * QB]), c6);
      c7 = b0.fma(FloatVector.broadcast(S, strip[ap + 7 * QB]), c7);
      c8 = b0.fma(FloatVector.broadcast(S, strip[ap + 8 * QB]), c8);
      c9 = b0.fma(FloatVector.broadcast(S, strip[ap + 9 * QB]), c9);
      ca = b0.fma(FloatVector.broadcast(S, strip[ap + 10 * QB]), ca);
      cb = b0.fma(FloatVector.broadcast(S, strip[ap + 11 * QB]), cb);
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + ldc);
    c2.intoArray(c, ci + 2 * ldc);
    c3.intoArray(c, ci + 3 * ldc);
    c4.intoArray(c, ci + 4 * ldc);
    c5.intoArray(c, ci + 5 * ldc);
    c6.intoArray(c, ci + 6 * ldc);
    c7.intoArray(c, ci + 7 * ldc);
    c8.intoArray(c, ci + 8 * ldc);
    c9.intoArray(c, ci + 9 * ldc);
    ca.intoArray(c, ci + 10 * ldc);
    cb.intoArray(c, ci + 11 * ldc);
  }
}
