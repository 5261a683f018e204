package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend;
import dev.adjoint.tensor.ParamUpdate;

/** Plain Java loops: the reference every faster path is compared with, and the fallback. */
public final class ScalarFloatKernels implements FloatKernels {
  static final int SUM_BLOCK = 1024;

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void unary(Backend.UnaryOp op, float[] x, int xo, float[] out, int oo, int n, float p) {
    switch (op) {
      case NEG:
        for (int i = 0; i < n; i++) out[oo + i] = -x[xo + i];
        return;
      case RELU:
        for (int i = 0; i < n; i++) {
          float v = x[xo + i];
          out[oo + i] = v > 0 ? v : 0;
        }
        return;
      default:
        for (int i = 0; i < n; i++) out[oo + i] = Ops.apply(op, x[xo + i], p);
    }
  }

  @Override
  public void binary(Backend.BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
      float[] out, int oo, int n) {
    switch (op) {
      case ADD:
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i * as] + b[bo + i * bs];
        return;
      case SUB:
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i * as] - b[bo + i * bs];
        return;
      case MUL:
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i * as] * b[bo + i * bs];
        return;
      case DIV:
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i * as] / b[bo + i * bs];
        return;
      default:
        for (int i = 0; i < n; i++) out[oo + i] = Ops.apply(op, a[ao + i * as], b[bo + i * bs]);
    }
  }

  @Override
  public void reluBackward(float[] g, int go, float[] x, int xo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] > 0 ? g[go + i] : 0f;
  }

  @Override
  public void maxPool(float[] x, int at, int[] map, int[] first, int windows, int elems,
      float[] values, int vo, int[] index, int io) {
    for (int l = 0; l < windows; l++) {
      int best = first[l];
      float v = Float.NEGATIVE_INFINITY;
      for (int e = 0; e < elems && v == v; e++) {
        int off = map[e * windows + l];
        if (off < 0) continue;
        float y = x[at + off];
        if (y > v || y != y) {
          v = y;
          best = off;
        }
      }
      values[vo + l] = v;
      index[io + l] = best;
    }
  }

  @Override
  public double sum(float[] x, int off, int n) {
    // Blocks summed in float, blocks carried in double: error grows with the block, not with n.
    double total = 0;
    for (int start = 0; start < n; start += SUM_BLOCK) {
      int end = Math.min(n, start + SUM_BLOCK);
      float s0 = 0;
      float s1 = 0;
      float s2 = 0;
      float s3 = 0;
      int i = start;
      for (; i + 3 < end; i += 4) {
        s0 += x[off + i];
        s1 += x[off + i + 1];
        s2 += x[off + i + 2];
        s3 += x[off + i + 3];
      }
      for (; i < end; i++) s0 += x[off + i];
      total += (double) (s0 + s1) + (double) (s2 + s3);
    }
    return total;
  }

  @Override
  public void gemm(float[] a, int[] aRows, int acs, float[] b, int[] bRows, int bcs, float[] c,
      int co, int m, int k, int n, boolean accumulate) {
    if (!accumulate) java.util.Arrays.fill(c, co, co + m * n, 0f);
    for (int i = 0; i < m; i++) {
      int ci = co + i * n;
      for (int p = 0; p < k; p++) {
        float aip = a[aRows[i] + p * acs];
        int bp = bRows[p];
        for (int j = 0; j < n; j++) c[ci + j] += aip * b[bp + j * bcs];
      }
    }
  }

  @Override
  public void sgd(ParamUpdate.Sgd u, float[] p, float[] g, float[] buf, float[] outP,
      float[] outBuf, int from, int to) {
    UpdateLoops.sgd(u, p, g, buf, outP, outBuf, from, to);
  }

  @Override
  public void adam(ParamUpdate.Adam u, float[] p, float[] g, float[] m, float[] v, float[] vmax,
      float[] outP, float[] outM, float[] outV, float[] outVmax, int from, int to) {
    UpdateLoops.adam(u, p, g, m, v, vmax, outP, outM, outV, outVmax, from, to);
  }

  @Override
  public void rmsProp(ParamUpdate.RmsProp u, float[] p, float[] g, float[] sq, float[] buf,
      float[] ga, float[] outP, float[] outSq, float[] outBuf, float[] outGa, int from, int to) {
    UpdateLoops.rmsProp(u, p, g, sq, buf, ga, outP, outSq, outBuf, outGa, from, to);
  }
}
