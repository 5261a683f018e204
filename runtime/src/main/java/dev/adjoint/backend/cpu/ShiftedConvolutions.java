package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend.Window;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * float32 convolution with stride 1 and no dilation, and its two gradients, as products over the
 * shifted rows of a padded image: with the image zero-padded into a {@code [C, Hp, Wp]} buffer,
 * the window element (c, kh, kw) of every output position, laid out in rows of the padded width
 * {@code Wp}, is one run of the buffer starting at {@code c*Hp*Wp + kh*Wp + kw}. A row table
 * ({@link FloatKernels#gemm(float[], int[], int, float[], int[], int, float[], int, int, int,
 * int, boolean)}) reads those runs in place, so no im2col copy is made and no col2im pass
 * sums windows back: the output has {@code Wp - Wo} extra columns per row, dropped when it is
 * copied out (7% to 14% more multiply-adds for 28- and 14-wide images, against two passes over
 * nine times the image).
 *
 * <ul>
 *   <li>forward: {@code out_n [O, Ho*Wp] = W [O, C*k*k] . rows(pad(x_n))};
 *   <li>input gradient, a convolution of the gradient padded by {@code k-1-p} with the weight
 *       flipped and its channels swapped: {@code dx_n [C, H*Wg] = W' [C, O*k*k] . rows(pad(g_n))};
 *   <li>weight gradient, summed over the batch, transposed:
 *       {@code dW^T [C*k*k, O] += rows(pad(x_n)) [C*k*k, Ho*Wp] . g_n^T [Ho*Wp, O]}, with g_n
 *       widened to {@code Wp} by zero columns.
 * </ul>
 */
final class ShiftedConvolutions {
  private ShiftedConvolutions() {}

  private static final ThreadLocal<float[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[3][0]);

  /** This thread's scratch buffer {@code i}, at least {@code size} long (contents undefined). */
  private static float[] scratch(int i, int size) {
    float[][] s = SCRATCH.get();
    if (s[i].length < size) s[i] = new float[size];
    return s[i];
  }

  static boolean applies(Window w) {
    return w.stride() == 1 && w.dilation() == 1;
  }

  private static float[] data(Tensor t) {
    return ((CpuStorage) t.storage()).f;
  }

  /**
   * {@code channels} planes of {@code h x wd} at {@code src[from..]} into {@code dst} padded by
   * {@code p} on every side: {@code [channels, h + 2p, wd + 2p]}, then {@code slack} zeros (the
   * last shifted run reads up to k - 2 past the planes).
   */
  private static void pad(float[] src, int from, int channels, int h, int wd, int p, float[] dst,
      int slack) {
    int hp = h + 2 * p;
    int wp = wd + 2 * p;
    Arrays.fill(dst, 0, channels * hp * wp + slack, 0f);
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(src, from + (c * h + y) * wd, dst, (c * hp + y + p) * wp + p, wd);
      }
    }
  }

  /** Where each window element's run starts in a padded {@code [channels, hp, wp]} buffer. */
  private static int[] runs(int channels, int hp, int wp, int k) {
    int[] r = new int[channels * k * k];
    int i = 0;
    for (int c = 0; c < channels; c++) {
      for (int kh = 0; kh < k; kh++) {
        for (int kw = 0; kw < k; kw++) r[i++] = (c * hp + kh) * wp + kw;
      }
    }
    return r;
  }

  /** Rows {@code [rows, h, wp]} of {@code src} into {@code [rows, h, w]} at {@code dst[to..]}. */
  private static void narrow(float[] src, int rows, int h, int wp, int w, float[] dst, int to) {
    for (int r = 0; r < rows * h; r++) System.arraycopy(src, r * wp, dst, to + r * w, w);
  }

  static Tensor conv2d(FloatKernels kernels, Tensor x, Tensor weight, Window w) {
    Tensor xc = x.isContiguous() ? x : x.contiguous();
    Tensor wm = weight.isContiguous() ? weight : weight.contiguous();
    int[] s = xc.shape();
    int c = s[1];
    int k = w.kernel();
    int p = w.padding();
    int hp = s[2] + 2 * p;
    int wp = s[3] + 2 * p;
    int oh = w.out(s[2]);
    int ow = w.out(s[3]);
    int o = wm.shape()[0];
    int ckk = c * k * k;
    int[] bRows = runs(c, hp, wp, k);
    int[] aRows = FloatKernels.rows(wm.offset(), ckk, o);
    float[] src = data(xc);
    float[] wf = data(wm);
    float[] out = new float[s[0] * o * oh * ow];
    int image = c * s[2] * s[3];
    Parallel.forEach(s[0], n -> {
      float[] padded = scratch(0, c * hp * wp + k);
      pad(src, xc.offset() + n * image, c, s[2], s[3], p, padded, k);
      float[] wide = scratch(1, o * oh * wp);
      kernels.gemm(wf, aRows, 1, padded, bRows, 1, wide, 0, o, ckk, oh * wp, false);
      narrow(wide, o, oh, wp, ow, out, n * o * oh * ow);
    });
    return new Tensor(new CpuStorage(out), new int[] {s[0], o, oh * ow});
  }

  /** Applies when the gradient's padding {@code k - 1 - p} is not negative. */
  static boolean appliesToInputGrad(Window w) {
    return applies(w) && w.padding() <= w.kernel() - 1;
  }

  static Tensor conv2dInputGrad(FloatKernels kernels, Tensor grad, Tensor weight,
      int[] inputShape, Window w) {
    Tensor gc = grad.isContiguous() ? grad : grad.contiguous();
    Tensor wm = weight.isContiguous() ? weight : weight.contiguous();
    int[] s = inputShape;
    int c = s[1];
    int k = w.kernel();
    int q = k - 1 - w.padding();
    int[] gs = gc.shape();
    int o = gs[1];
    int oh = gs[2];
    int ow = gs[3];
    int hg = oh + 2 * q;
    int wg = ow + 2 * q;
    int okk = o * k * k;
    // W'[c, (o, kh, kw)] = W[o, c, k-1-kh, k-1-kw]: the weight flipped, channels swapped.
    float[] wf = data(wm);
    float[] flipped = new float[c * okk];
    for (int oc = 0; oc < o; oc++) {
      for (int ic = 0; ic < c; ic++) {
        for (int kh = 0; kh < k; kh++) {
          for (int kw = 0; kw < k; kw++) {
            flipped[ic * okk + (oc * k + kh) * k + kw] =
                wf[wm.offset() + ((oc * c + ic) * k + (k - 1 - kh)) * k + (k - 1 - kw)];
          }
        }
      }
    }
    int[] aRows = FloatKernels.rows(0, okk, c);
    int[] bRows = runs(o, hg, wg, k);
    float[] g = data(gc);
    float[] out = new float[s[0] * c * s[2] * s[3]];
    Parallel.forEach(s[0], n -> {
      float[] padded = scratch(0, o * hg * wg + k);
      pad(g, gc.offset() + n * o * oh * ow, o, oh, ow, q, padded, k);
      float[] wide = scratch(1, c * s[2] * wg);
      kernels.gemm(flipped, aRows, 1, padded, bRows, 1, wide, 0, c, okk, s[2] * wg, false);
      narrow(wide, c, s[2], wg, s[3], out, n * c * s[2] * s[3]);
    });
    return new Tensor(new CpuStorage(out), s.clone());
  }

  static Tensor conv2dWeightGrad(FloatKernels kernels, Tensor input, Tensor grad,
      int[] weightShape, Window w) {
    Tensor xc = input.isContiguous() ? input : input.contiguous();
    Tensor gc = grad.isContiguous() ? grad : grad.contiguous();
    int[] s = xc.shape();
    int c = s[1];
    int k = w.kernel();
    int p = w.padding();
    int hp = s[2] + 2 * p;
    int wp = s[3] + 2 * p;
    int o = weightShape[0];
    int oh = gc.shape()[2];
    int ow = gc.shape()[3];
    int ckk = c * k * k;
    int positions = oh * wp;
    int[] aRows = runs(c, hp, wp, k);
    int[] bRows = FloatKernels.rows(0, 1, positions);
    float[] src = data(xc);
    float[] g = data(gc);
    int image = c * s[2] * s[3];
    int parts = Math.max(1, Math.min(s[0], Parallel.threads()));
    float[][] partial = new float[parts][];
    Parallel.forEach(parts, part -> {
      float[] acc = new float[ckk * o];
      for (int n = s[0] * part / parts; n < s[0] * (part + 1) / parts; n++) {
        float[] padded = scratch(0, c * hp * wp + k);
        pad(src, xc.offset() + n * image, c, s[2], s[3], p, padded, k);
        // g_n in rows of the padded width, zero beyond the output's own columns.
        float[] wide = scratch(1, o * positions);
        int gn = gc.offset() + n * o * oh * ow;
        for (int r = 0; r < o * oh; r++) {
          System.arraycopy(g, gn + r * ow, wide, r * wp, ow);
          // the 2p columns past each row: a loop, as Arrays.fill's call cost 5% of a CNN step
          for (int j = r * wp + ow; j < (r + 1) * wp; j++) wide[j] = 0f;
        }
        kernels.gemm(padded, aRows, 1, wide, bRows, positions, acc, 0, ckk, positions, o,
            true);
      }
      partial[part] = acc;
    });
    float[] sum = partial[0];
    for (int q = 1; q < parts; q++) {
      for (int i = 0; i < sum.length; i++) sum[i] += partial[q][i];
    }
    float[] t = new float[sum.length];
    for (int r = 0; r < ckk; r++) {
      for (int j = 0; j < o; j++) t[j * ckk + r] = sum[r * o + j];
    }
    return new Tensor(new CpuStorage(t), weightShape.clone());
  }
}
