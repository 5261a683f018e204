package dev.adjoint.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.tensor.Backend;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the plain loops, over awkward sizes (Lucene's pattern). Skipped
 * by assumption when the JVM runs without {@code --add-modules jdk.incubator.vector}; the
 * plain loops are always checked against double-precision references.
 */
class FloatKernelsTest {
  private static final int[] SIZES = {0, 1, 4, 6, 13, 17, 31, 64, 207, 702, 1024, 1031};
  private final FloatKernels scalar = new ScalarFloatKernels();
  private final FloatKernels vector = Vectorization.vectorKernels();
  private final Random random = new Random(11);

  private float[] data(int n, int pad) {
    float[] x = new float[n + pad];
    for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * 2);
    return x;
  }

  @Test
  void vectorKernelsArePresentWhenTheModuleIs() {
    boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertEquals(module, vector != null);
  }

  @Test
  void unaryMatchesPlainLoops() {
    assumeTrue(vector != null);
    for (Backend.UnaryOp op : Backend.UnaryOp.values()) {
      for (int n : SIZES) {
        float[] x = data(n, 3);
        if (op == Backend.UnaryOp.LOG || op == Backend.UnaryOp.SQRT || op == Backend.UnaryOp.POW
            || op == Backend.UnaryOp.LOG1P) {
          for (int i = 0; i < x.length; i++) x[i] = Math.abs(x[i]) + 0.1f;
        }
        float[] a = new float[n + 1];
        float[] b = new float[n + 1];
        scalar.unary(op, x, 3, a, 1, n, 1.5f);
        vector.unary(op, x, 3, b, 1, n, 1.5f);
        for (int i = 0; i < n + 1; i++) {
          assertEquals(a[i], b[i], 2e-6 * Math.max(1, Math.abs(a[i])), op + " n=" + n + " i=" + i);
        }
      }
    }
  }

  /**
   * Erf's ranges and their edges, infinities, NaN and signed zeros, in and out of vectors, and
   * 100,000 values over [-5, 5].
   */
  @Test
  void erfMatchesPlainLoopsOnEveryRange() {
    assumeTrue(vector != null);
    float[] edges = {0f, -0f, 1f, -1f, Math.nextDown(1f), 3f, Math.nextUp(3f), 6f, -6f, 7f, 40f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f, -1e-8f, 0.5f, 2.5f};
    for (int n : SIZES) {
      float[] x = data(n, 0);
      for (int i = 0; i < n; i++) {
        if (i % 3 == 0) x[i] = edges[(i / 3) % edges.length];
        else if (i % 3 == 1) x[i] *= 2.5f;
      }
      float[] a = new float[n];
      float[] b = new float[n];
      scalar.unary(Backend.UnaryOp.ERF, x, 0, a, 0, n, 0);
      vector.unary(Backend.UnaryOp.ERF, x, 0, b, 0, n, 0);
      for (int i = 0; i < n; i++) {
        assertEquals(Float.isNaN(a[i]), Float.isNaN(b[i]), "erf(" + x[i] + ")");
        if (Float.isNaN(a[i])) continue;
        // float lanes, truncated series: within 2 ulp of the rounded double result
        assertEquals(a[i], b[i], 2 * Math.ulp(a[i]), "erf(" + x[i] + "), n=" + n);
        if (x[i] == 0) assertEquals(Float.floatToIntBits(x[i]), Float.floatToIntBits(b[i]));
      }
    }
    int n = 100_000;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = -5 + 10f * i / n;
    float[] a = new float[n];
    float[] b = new float[n];
    scalar.unary(Backend.UnaryOp.ERF, x, 0, a, 0, n, 0);
    vector.unary(Backend.UnaryOp.ERF, x, 0, b, 0, n, 0);
    for (int i = 0; i < n; i++) {
      assertEquals(a[i], b[i], 2 * Math.ulp(a[i]), "erf(" + x[i] + ")");
    }
  }

  @Test
  void binaryMatchesPlainLoopsWithScalarOperands() {
    assumeTrue(vector != null);
    for (Backend.BinaryOp op : Backend.BinaryOp.values()) {
      for (int n : SIZES) {
        for (int[] strides : new int[][] {{1, 1}, {1, 0}, {0, 1}}) {
          float[] x = data(n, 2);
          float[] y = data(n, 2);
          for (int i = 0; i < y.length; i++) y[i] = Math.abs(y[i]) + 0.5f;
          if (op == Backend.BinaryOp.POW) {
            for (int i = 0; i < x.length; i++) x[i] = Math.abs(x[i]) + 0.1f;
          }
          float[] a = new float[n];
          float[] b = new float[n];
          scalar.binary(op, x, 2, strides[0], y, 1, strides[1], a, 0, n);
          vector.binary(op, x, 2, strides[0], y, 1, strides[1], b, 0, n);
          for (int i = 0; i < n; i++) {
            assertEquals(a[i], b[i], 2e-6 * Math.max(1, Math.abs(a[i])), op + " n=" + n);
          }
        }
      }
    }
  }

  @Test
  void sumsAgreeAndAreAccurate() {
    for (FloatKernels k : new FloatKernels[] {scalar, vector}) {
      if (k == null) continue;
      for (int n : SIZES) {
        float[] x = data(n, 5);
        double exact = 0;
        for (int i = 0; i < n; i++) exact += x[i + 5];
        assertEquals(exact, k.sum(x, 5, n), 1e-5 * Math.max(1, n), k.name() + " n=" + n);
      }
    }
  }

  /** Transposed and broadcast operands, read through their strides. */
  @Test
  void stridedGemmAgreesWithDoublePrecisionReference() {
    int[][] shapes = {{1, 1, 1}, {7, 300, 33}, {33, 17, 10}, {100, 257, 64}, {13, 5, 257}};
    for (FloatKernels k : new FloatKernels[] {scalar, vector}) {
      if (k == null) continue;
      for (int[] s : shapes) {
        int m = s[0];
        int kk = s[1];
        int n = s[2];
        float[] a = data(m * kk + 2, 1);
        float[] b = data(kk * n + 2, 2);
        // {ars, acs, brs, bcs}: row-major, A transposed, B transposed, both, broadcast rows
        int[][] strides = {{kk, 1, n, 1}, {1, m, n, 1}, {kk, 1, 1, kk}, {1, m, 1, kk},
            {0, 1, 0, 1}};
        for (int[] st : strides) {
          float[] c = new float[m * n + 3];
          k.gemm(a, 2, st[0], st[1], b, 1, st[2], st[3], c, 3, m, kk, n);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double e = 0;
              for (int p = 0; p < kk; p++) {
                e += (double) a[2 + i * st[0] + p * st[1]] * b[1 + p * st[2] + j * st[3]];
              }
              assertEquals(e, c[3 + i * n + j], 1e-4 * Math.sqrt(kk) * 4, k.name() + " m=" + m
                  + " k=" + kk + " n=" + n + " strides=" + java.util.Arrays.toString(st));
            }
          }
        }
      }
    }
  }

  @Test
  void gemmAgreesWithDoublePrecisionReference() {
    int[] dims = {1, 2, 5, 6, 7, 12, 13, 24, 25, 31, 33, 64, 100, 257};
    for (FloatKernels k : new FloatKernels[] {scalar, vector}) {
      if (k == null) continue;
      for (int m : dims) {
        for (int kk : new int[] {1, 3, 17, 255, 257, 300}) {
          int n = dims[(m + kk) % dims.length];
          float[] a = data(m * kk, 1);
          float[] b = data(kk * n, 2);
          float[] c = new float[m * n + 3];
          k.gemm(a, 1, b, 2, c, 3, m, kk, n);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double e = 0;
              for (int p = 0; p < kk; p++) e += (double) a[1 + i * kk + p] * b[2 + p * n + j];
              assertEquals(e, c[3 + i * n + j], 1e-4 * Math.sqrt(kk) * 4,
                  k.name() + " m=" + m + " k=" + kk + " n=" + n);
            }
          }
        }
      }
    }
  }

  @Test
  void reluBackwardMatchesPlainLoops() {
    assumeTrue(vector != null);
    for (int n : SIZES) {
      float[] g = data(n, 3);
      float[] x = data(n, 2);
      if (n > 6) {
        x[2 + 1] = Float.NaN;
        x[2 + 2] = 0f;
        x[2 + 3] = -0f;
      }
      float[] a = new float[n + 1];
      float[] b = new float[n + 1];
      scalar.reluBackward(g, 3, x, 2, a, 1, n);
      vector.reluBackward(g, 3, x, 2, b, 1, n);
      assertArrayEquals(a, b, "n=" + n);
      for (int i = 0; i < n; i++) assertEquals(x[2 + i] > 0 ? g[3 + i] : 0f, a[1 + i]);
    }
  }

  /** Windows in lanes against one window at a time: padding, NaN, -inf, ties, tails. */
  @Test
  void maxPoolMatchesPlainLoops() {
    assumeTrue(vector != null);
    for (int windows : new int[] {1, 5, 16, 17, 33, 196}) {
      for (int elems : new int[] {1, 4, 9}) {
        float[] x = data(400, 0);
        x[7] = Float.NaN;
        x[9] = Float.NEGATIVE_INFINITY;
        x[10] = x[11];
        int[] map = new int[elems * windows];
        int[] first = new int[windows];
        for (int l = 0; l < windows; l++) {
          first[l] = -1;
          for (int e = 0; e < elems; e++) {
            int off = random.nextInt(10) == 0 ? -1 : random.nextInt(400);
            map[e * windows + l] = off;
            if (first[l] < 0 && off >= 0) first[l] = off;
          }
          if (first[l] < 0) first[l] = 0;
        }
        float[] va = new float[windows + 2];
        float[] vb = new float[windows + 2];
        int[] ia = new int[windows + 1];
        int[] ib = new int[windows + 1];
        scalar.maxPool(x, 0, map, first, windows, elems, va, 2, ia, 1);
        vector.maxPool(x, 0, map, first, windows, elems, vb, 2, ib, 1);
        String what = "windows=" + windows + " elems=" + elems;
        assertArrayEquals(va, vb, what);
        assertArrayEquals(ia, ib, what);
      }
    }
  }

  @Test
  void gemmAccumulatesWhenAsked() {
    for (FloatKernels k : new FloatKernels[] {scalar, vector}) {
      if (k == null) continue;
      for (int[] s : new int[][] {{7, 300, 33}, {16, 9, 784}, {33, 17, 10}}) {
        int m = s[0];
        int kk = s[1];
        int n = s[2];
        float[] a = data(m * kk, 0);
        float[] b = data(kk * n, 0);
        float[] c = data(m * n, 0);
        float[] once = new float[m * n];
        k.gemm(a, 0, kk, 1, b, 0, 1, kk, once, 0, m, kk, n);
        float[] acc = c.clone();
        k.gemm(a, 0, kk, 1, b, 0, 1, kk, acc, 0, m, kk, n, true);
        for (int i = 0; i < m * n; i++) {
          assertEquals(c[i] + once[i], acc[i], 1e-4 * Math.sqrt(kk) * 4, k.name() + " "
              + java.util.Arrays.toString(s));
        }
      }
    }
  }

  /** Row blocks of 12 and 8 cover every row, padding none where m is a multiple of 4 from 8. */
  @Test
  void rowBlocksCoverEveryRow() {
    assumeTrue(vector != null, "no Vector API");
    for (int m = 1; m <= 400; m++) {
      int tall = PanamaGemm.tallBlocks(m);
      int covered = 12 * tall + 8 * (PanamaGemm.rowBlocks(m, tall) - tall);
      assertTrue(covered >= m && covered - m < 8, "m=" + m + " tall=" + tall);
      if (m % 4 == 0 && m >= 8) assertEquals(m, covered, "m=" + m + " tall=" + tall);
    }
    assertEquals(10, PanamaGemm.tallBlocks(128));
    assertEquals(20, PanamaGemm.tallBlocks(256));
  }

  /**
   * Row tables: rows of A and B that start anywhere and overlap (the shifted rows of a padded
   * image), A read in place or transposed, B packed from rows or columns, against a double
   * reference; sizes cover whole and partial 8-row blocks, one- and two-vector panels and k
   * split into several slices.
   */
  @Test
  void rowTableGemmAgreesWithDoublePrecisionReference() {
    // Row blocks of 12 whole and cut (11, 12, 13, 25), and n = 1100 for more than one block
    // of columns (1024 on a 2 MB L2, 512 on 1 MB), on one thread and cut among several
    // (16 x 300 x 500: two row blocks, cut by columns).
    int[][] shapes = {{1, 1, 1}, {8, 9, 10}, {16, 144, 196}, {13, 300, 33}, {32, 289, 7},
        {9, 840, 16}, {3, 5, 17}, {64, 300, 128}, {11, 40, 33}, {12, 70, 64}, {25, 260, 47},
        {36, 30, 1100}, {40, 60, 1100}, {16, 300, 500}, {20, 33, 64}, {128, 40, 70},
        {100, 17, 40}};
    for (FloatKernels k : new FloatKernels[] {scalar, vector}) {
      if (k == null) continue;
      for (int[] s : shapes) {
        int m = s[0];
        int kk = s[1];
        int n = s[2];
        float[] a = data(m * kk + 64, 0);
        float[] b = data(kk * n + 64, 0);
        for (int acs : new int[] {1, 3}) {
          for (int bcs : new int[] {1, 2}) {
            int[] aRows = new int[m];
            int[] bRows = new int[kk];
            // Overlapping, out-of-order row starts that stay inside the arrays.
            for (int i = 0; i < m; i++) aRows[i] = random.nextInt(a.length - (kk - 1) * acs);
            for (int p = 0; p < kk; p++) bRows[p] = random.nextInt(b.length - (n - 1) * bcs);
            for (boolean accumulate : new boolean[] {false, true}) {
              float[] c = data(m * n + 5, 0);
              float[] before = c.clone();
              k.gemm(a, aRows, acs, b, bRows, bcs, c, 5, m, kk, n, accumulate);
              String what = k.name() + " " + java.util.Arrays.toString(s) + " acs=" + acs
                  + " bcs=" + bcs + " accumulate=" + accumulate;
              for (int i = 0; i < 5; i++) assertEquals(before[i], c[i], what + " before C");
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                  double e = accumulate ? before[5 + i * n + j] : 0;
                  for (int p = 0; p < kk; p++) {
                    e += (double) a[aRows[i] + p * acs] * b[bRows[p] + j * bcs];
                  }
                  assertEquals(e, c[5 + i * n + j], 1e-4 * Math.sqrt(kk) * 4, what);
                }
              }
            }
          }
        }
      }
    }
  }
}
