package dev.adjoint.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.tensor.Backend.Window;
import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend's float32 convolution and its two gradients, on the plain loops and on the
 * Vector API kernels (when the module is present), against direct float64 loops over every
 * output, channel and window element. The windows cover both paths: stride 1 without dilation
 * (shifted rows of a padded image, {@link ShiftedConvolutions}; same-size, valid, even
 * kernels, padding past {@code k - 1} for the input gradient) and the per-image im2col path
 * (strides, dilation). Inputs include views: a batch slice (an offset) and a transposed copy.
 */
class ConvolutionKernelsTest {
  private final Random random = new Random(23);

  private static List<FloatKernels> kernels() {
    List<FloatKernels> ks = new ArrayList<>();
    ks.add(new ScalarFloatKernels());
    FloatKernels v = Vectorization.vectorKernels();
    if (v != null) ks.add(v);
    return ks;
  }

  private float[] data(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) random.nextGaussian();
    return x;
  }

  /** {kernel, stride, padding, dilation}. */
  private static final int[][] WINDOWS = {{3, 1, 1, 1}, {3, 1, 0, 1}, {2, 1, 1, 1},
      {1, 1, 1, 1}, {3, 1, 3, 1}, {4, 1, 1, 1}, {5, 1, 2, 1}, {3, 2, 1, 1}, {3, 1, 2, 2}};
  /** {n, c, h, w, o}. */
  private static final int[][] SIZES = {{2, 3, 9, 7, 5}, {1, 1, 6, 6, 2}, {3, 16, 14, 14, 32},
      {2, 1, 28, 28, 16}};

  @Test
  void convolutionAndGradientsMatchDirectLoops() {
    for (FloatKernels k : kernels()) {
      CpuBackend backend = new CpuBackend(k);
      for (int[] wv : WINDOWS) {
        Window w = new Window(wv[0], wv[1], wv[2], wv[3]);
        for (int[] s : SIZES) {
          int n = s[0];
          int c = s[1];
          int h = s[2];
          int wd = s[3];
          int o = s[4];
          int kk = w.kernel();
          int oh = w.out(h);
          int ow = w.out(wd);
          if (oh <= 0 || ow <= 0) continue;
          String what = k.name() + " " + Arrays.toString(s) + " window " + Arrays.toString(wv);
          // x is the second half of a larger batch: a view with an offset.
          float[] xs = data(2 * n * c * h * wd);
          Tensor x = Tensor.of(xs, 2 * n, c, h, wd).slice(0, n, 2 * n);
          float[] wf = data(o * c * kk * kk);
          Tensor weight = Tensor.of(wf, o, c, kk, kk);
          float[] gf = data(n * o * oh * ow);
          Tensor g = Tensor.of(gf, n, o, oh, ow);
          int xo = n * c * h * wd;

          double[] y = new double[n * o * oh * ow];
          double[] dx = new double[n * c * h * wd];
          double[] dw = new double[o * c * kk * kk];
          for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
              for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                  int out = ((b * o + oc) * oh + i) * ow + j;
                  for (int ic = 0; ic < c; ic++) {
                    for (int u = 0; u < kk; u++) {
                      for (int v = 0; v < kk; v++) {
                        int iy = i * w.stride() - w.padding() + u * w.dilation();
                        int ix = j * w.stride() - w.padding() + v * w.dilation();
                        if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                        int xi = ((b * c + ic) * h + iy) * wd + ix;
                        int wi = ((oc * c + ic) * kk + u) * kk + v;
                        y[out] += (double) xs[xo + xi] * wf[wi];
                        dx[xi] += (double) gf[out] * wf[wi];
                        dw[wi] += (double) gf[out] * xs[xo + xi];
                      }
                    }
                  }
                }
              }
            }
          }
          Tensor got = backend.conv2d(x, weight, w);
          assertArrayEquals(new int[] {n, o, oh * ow}, got.shape(), what);
          close(y, got, what + " forward");
          int[] xShape = {n, c, h, wd};
          close(dx, backend.conv2dInputGrad(g, weight, xShape, w), what + " input grad");
          close(dw, backend.conv2dWeightGrad(x, g, new int[] {o, c, kk, kk}, w),
              what + " weight grad");
          // Strided views read the same as their contiguous copies.
          Tensor gv = g.transpose(2, 3).contiguous().transpose(2, 3);
          Tensor xv = x.transpose(2, 3).contiguous().transpose(2, 3);
          close(dx, backend.conv2dInputGrad(gv, weight, xShape, w), what + " strided grad");
          close(y, backend.conv2d(xv, weight, w), what + " strided input");
          close(dw, backend.conv2dWeightGrad(xv, gv, new int[] {o, c, kk, kk}, w),
              what + " strided weight grad");
        }
      }
    }
  }

  /** Equal up to float32 rounding of sums of many products: relative to the largest value. */
  private static void close(double[] expected, Tensor actual, String what) {
    double[] a = actual.toDoubleArray();
    assertEquals(expected.length, a.length, what);
    double scale = 1;
    for (double v : expected) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < a.length; i++) {
      assertEquals(expected[i], a[i], 2e-5 * scale, what + " at " + i);
    }
  }
}
