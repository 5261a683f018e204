package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 loops with the Vector API. Loaded only through {@link Vectorization}, by reflection,
 * so that nothing else links against the incubator module.
 *
 * <p>The matrix product packs a 256-row slice of B into panels two vectors wide and runs a
 * 6 x (2 vectors) register-blocked micro-kernel of fused multiply-adds over them; row blocks
 * are shared among the cores for large products.
 */
final class PanamaFloatKernels implements FloatKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int MR = 6;
  private static final int NR = 2 * L;
  private static final int KC = 256;
  /** Multiply-adds below which a product runs on the calling thread only. */
  private static final long PARALLEL_WORK = 1L << 21;

  @Override
  public String name() {
    return "vector-api-" + S.vectorBitSize() + "bit";
  }

  @Override
  public void unary(Backend.UnaryOp op, float[] x, int xo, float[] out, int oo, int n, float p) {
    int i = 0;
    int bound = S.loopBound(n);
    FloatVector pv = FloatVector.broadcast(S, p);
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    switch (op) {
      case NEG:
      case ABS:
      case SQRT:
      case EXP:
      case LOG:
      case TANH:
      case SIN:
      case COS: {
        VectorOperators.Unary u = unaryOperator(op);
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, x, xo + i).lanewise(u).intoArray(out, oo + i);
        }
        break;
      }
      case RELU:
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).max(zero).intoArray(out, oo + i);
        break;
      case CLAMP_MIN:
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).max(pv).intoArray(out, oo + i);
        break;
      case CLAMP_MAX:
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).min(pv).intoArray(out, oo + i);
        break;
      case SIGMOID:
        for (; i < bound; i += L) {
          FloatVector e = FloatVector.fromArray(S, x, xo + i).neg().lanewise(VectorOperators.EXP);
          one.div(e.add(one)).intoArray(out, oo + i);
        }
        break;
      case POW:
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.POW, pv)
              .intoArray(out, oo + i);
        }
        break;
      default:
        break;
    }
    for (; i < n; i++) out[oo + i] = Ops.apply(op, x[xo + i], p);
  }

  private static VectorOperators.Unary unaryOperator(Backend.UnaryOp op) {
    switch (op) {
      case NEG: return VectorOperators.NEG;
      case ABS: return VectorOperators.ABS;
      case SQRT: return VectorOperators.SQRT;
      case EXP: return VectorOperators.EXP;
      case LOG: return VectorOperators.LOG;
      case TANH: return VectorOperators.TANH;
      case SIN: return VectorOperators.SIN;
      default: return VectorOperators.COS;
    }
  }

  private static VectorOperators.Binary binaryOperator(Backend.BinaryOp op) {
    switch (op) {
      case ADD: return VectorOperators.ADD;
      case SUB: return VectorOperators.SUB;
      case MUL: return VectorOperators.MUL;
      case DIV: return VectorOperators.DIV;
      case POW: return VectorOperators.POW;
      case MAX: return VectorOperators.MAX;
      case MIN: return VectorOperators.MIN;
      default: return null;
    }
  }

  @Override
  public void binary(Backend.BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
      float[] out, int oo, int n) {
    if (n == 0) return;
    VectorOperators.Binary v = binaryOperator(op);
    int i = 0;
    if (v != null && (op != Backend.BinaryOp.MAX && op != Backend.BinaryOp.MIN)) {
      int bound = S.loopBound(n);
      FloatVector sa = as == 0 ? FloatVector.broadcast(S, a[ao]) : null;
      FloatVector sb = bs == 0 ? FloatVector.broadcast(S, b[bo]) : null;
      for (; i < bound; i += L) {
        FloatVector x = sa != null ? sa : FloatVector.fromArray(S, a, ao + i);
        FloatVector y = sb != null ? sb : FloatVector.fromArray(S, b, bo + i);
        x.lanewise(v, y).intoArray(out, oo + i);
      }
    }
    for (; i < n; i++) out[oo + i] = Ops.apply(op, a[ao + i * as], b[bo + i * bs]);
  }

  @Override
  public double sum(float[] x, int off, int n) {
    double total = 0;
    for (int start = 0; start < n; start += ScalarFloatKernels.SUM_BLOCK) {
      int end = Math.min(n, start + ScalarFloatKernels.SUM_BLOCK);
      FloatVector acc = FloatVector.zero(S);
      int i = start;
      for (; i + L <= end; i += L) acc = acc.add(FloatVector.fromArray(S, x, off + i));
      double block = acc.reduceLanes(VectorOperators.ADD);
      for (; i < end; i++) block += x[off + i];
      total += block;
    }
    return total;
  }

  @Override
  public void gemm(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n) {
    if (m == 0 || n == 0) return;
    if (k == 0) {
      java.util.Arrays.fill(c, co, co + m * n, 0f);
      return;
    }
    int panels = (n + NR - 1) / NR;
    float[] packed = new float[panels * Math.min(KC, k) * NR];
    int rowBlocks = (m + MR - 1) / MR;
    for (int kk = 0; kk < k; kk += KC) {
      int kc = Math.min(KC, k - kk);
      pack(b, bo, n, kk, kc, packed, panels);
      boolean first = kk == 0;
      int kOffset = kk;
      if ((long) m * n * kc >= PARALLEL_WORK && rowBlocks > 1) {
        int chunk = Math.max(1, rowBlocks / (4 * Runtime.getRuntime().availableProcessors()));
        int chunks = (rowBlocks + chunk - 1) / chunk;
        IntStream.range(0, chunks).parallel().forEach(ch -> {
          int end = Math.min(rowBlocks, (ch + 1) * chunk);
          for (int rb = ch * chunk; rb < end; rb++) {
            rowBlock(a, ao, c, co, m, k, n, packed, panels, kc, kOffset, rb, first);
          }
        });
      } else {
        for (int rb = 0; rb < rowBlocks; rb++) {
          rowBlock(a, ao, c, co, m, k, n, packed, panels, kc, kOffset, rb, first);
        }
      }
    }
  }

  /** B rows kk..kk+kc, cut into panels NR columns wide (zero-padded), each row-major. */
  private static void pack(float[] b, int bo, int n, int kk, int kc, float[] packed, int panels) {
    for (int jp = 0; jp < panels; jp++) {
      int j0 = jp * NR;
      int width = Math.min(NR, n - j0);
      int base = jp * kc * NR;
      for (int p = 0; p < kc; p++) {
        int dst = base + p * NR;
        System.arraycopy(b, bo + (kk + p) * n + j0, packed, dst, width);
        for (int j = width; j < NR; j++) packed[dst + j] = 0f;
      }
    }
  }

  private static void rowBlock(float[] a, int ao, float[] c, int co, int m, int k, int n,
      float[] packed, int panels, int kc, int kk, int rb, boolean first) {
    int i0 = rb * MR;
    int rows = Math.min(MR, m - i0);
    for (int jp = 0; jp < panels; jp++) {
      int j0 = jp * NR;
      int width = Math.min(NR, n - j0);
      int pb = jp * kc * NR;
      int ai = ao + i0 * k + kk;
      int ci = co + i0 * n + j0;
      if (rows == MR) {
        kernel6(a, ai, k, packed, pb, kc, c, ci, n, width, first);
      } else {
        for (int r = 0; r < rows; r++) {
          kernel1(a, ai + r * k, packed, pb, kc, c, ci + r * n, width, first);
        }
      }
    }
  }

  private static void store(FloatVector v0, FloatVector v1, float[] c, int ci, int width,
      boolean first) {
    if (width == NR) {
      if (!first) {
        v0 = v0.add(FloatVector.fromArray(S, c, ci));
        v1 = v1.add(FloatVector.fromArray(S, c, ci + L));
      }
      v0.intoArray(c, ci);
      v1.intoArray(c, ci + L);
    } else {
      VectorMask<Float> m0 = S.indexInRange(0, width);
      VectorMask<Float> m1 = S.indexInRange(L, width);
      if (!first) {
        v0 = v0.add(FloatVector.fromArray(S, c, ci, m0));
        v1 = v1.add(FloatVector.fromArray(S, c, ci + L, m1));
      }
      v0.intoArray(c, ci, m0);
      v1.intoArray(c, ci + L, m1);
    }
  }

  /** Six rows of A against one panel: twelve vector accumulators stay in registers. */
  private static void kernel6(float[] a, int ai, int lda, float[] packed, int pb, int kc,
      float[] c, int ci, int ldc, int width, boolean first) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    int a0 = ai;
    int a1 = ai + lda;
    int a2 = ai + 2 * lda;
    int a3 = ai + 3 * lda;
    int a4 = ai + 4 * lda;
    int a5 = ai + 5 * lda;
    for (int p = 0; p < kc; p++) {
      int bp = pb + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, packed, bp);
      FloatVector b1 = FloatVector.fromArray(S, packed, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = b0.fma(x, c20);
      c21 = b1.fma(x, c21);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = b0.fma(x, c30);
      c31 = b1.fma(x, c31);
      x = FloatVector.broadcast(S, a[a4 + p]);
      c40 = b0.fma(x, c40);
      c41 = b1.fma(x, c41);
      x = FloatVector.broadcast(S, a[a5 + p]);
      c50 = b0.fma(x, c50);
      c51 = b1.fma(x, c51);
    }
    store(c00, c01, c, ci, width, first);
    store(c10, c11, c, ci + ldc, width, first);
    store(c20, c21, c, ci + 2 * ldc, width, first);
    store(c30, c31, c, ci + 3 * ldc, width, first);
    store(c40, c41, c, ci + 4 * ldc, width, first);
    store(c50, c51, c, ci + 5 * ldc, width, first);
  }

  /** One row of A against one panel (the rows left over below a multiple of six). */
  private static void kernel1(float[] a, int ai, float[] packed, int pb, int kc, float[] c,
      int ci, int width, boolean first) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int bp = pb + p * NR;
      FloatVector x = FloatVector.broadcast(S, a[ai + p]);
      c0 = FloatVector.fromArray(S, packed, bp).fma(x, c0);
      c1 = FloatVector.fromArray(S, packed, bp + L).fma(x, c1);
    }
    store(c0, c1, c, ci, width, first);
  }
}
