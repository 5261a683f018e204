package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend.Window;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * im2col ({@code unfold}), col2im ({@code fold}) and float32 convolution with its two
 * gradients on the CPU. Stride 1 without dilation goes to {@link ShiftedConvolutions} (no
 * im2col at all); the other windows work one image at a time: the image's columns go to a
 * per-thread buffer that stays in cache while the matmul reads (forward, weight gradient) or
 * writes (input gradient) it, instead of all images' columns ({@code C*k*k} times the input)
 * going through memory. Stride 1 without dilation moves whole window rows; other windows go
 * element by element through an offset map ({@link #windowMap}).
 */
final class Convolutions {
  private Convolutions() {}

  /** One image's columns at a time, reused by the thread (every element written each time). */
  private static final ThreadLocal<float[]> COLUMNS = ThreadLocal.withInitial(() -> new float[0]);

  private static float[] columns(int size) {
    float[] cols = COLUMNS.get();
    if (cols.length < size) {
      cols = new float[size];
      COLUMNS.set(cols);
    }
    return cols;
  }

  private static CpuStorage storage(Tensor t) {
    return (CpuStorage) t.storage();
  }

  private static boolean rowsCopy(Window w) {
    return w.stride() == 1 && w.dilation() == 1;
  }

  /**
   * For one image: the storage offset (relative to the image) that each element of its
   * unfolded {@code [C*k*k, OH*OW]} block reads, or -1 for padding. Shared by unfold and fold,
   * and by every image of a batch.
   */
  static int[] windowMap(int[] strides, int c, int h, int wd, Window w) {
    int oh = w.out(h);
    int ow = w.out(wd);
    int k = w.kernel();
    int[] map = new int[c * k * k * oh * ow];
    int i = 0;
    for (int ch = 0; ch < c; ch++) {
      for (int kh = 0; kh < k; kh++) {
        for (int kw = 0; kw < k; kw++) {
          for (int y = 0; y < oh; y++) {
            int iy = y * w.stride() - w.padding() + kh * w.dilation();
            for (int x = 0; x < ow; x++) {
              int ix = x * w.stride() - w.padding() + kw * w.dilation();
              map[i++] = iy < 0 || iy >= h || ix < 0 || ix >= wd ? -1
                  : ch * strides[1] + iy * strides[2] + ix * strides[3];
            }
          }
        }
      }
    }
    return map;
  }

  static Tensor unfold(Tensor x, Window w, double padValue) {
    int[] s = x.shape();
    int k = w.kernel();
    int[] outShape = {s[0], s[1] * k * k, w.out(s[2]) * w.out(s[3])};
    if (x.dtype() == DType.FLOAT32 && x.isContiguous() && rowsCopy(w)) {
      int block = outShape[1] * outShape[2];
      float[] src = storage(x).f;
      float[] out = new float[s[0] * block];
      Parallel.forEach(s[0], n -> unfoldImage(src, x.offset() + n * s[1] * s[2] * s[3], s, w,
          (float) padValue, out, n * block));
      return new Tensor(new CpuStorage(out), outShape);
    }
    int[] map = windowMap(x.strides(), s[1], s[2], s[3], w);
    int block = map.length;
    int sn = x.strides()[0];
    CpuStorage src = storage(x);
    CpuStorage out = CpuStorage.allocate(x.dtype(), s[0] * block);
    Parallel.forEach(s[0], n -> {
      int base = x.offset() + n * sn;
      int o = n * block;
      if (src.f != null) {
        unfoldImage(src.f, base, map, (float) padValue, out.f, o);
      } else {
        for (int i = 0; i < block; i++) {
          out.set(o + i, map[i] < 0 ? padValue : src.get(base + map[i]));
        }
      }
    });
    return new Tensor(out, outShape);
  }

  /** One image's columns through its window offset map ({@link #windowMap}; -1: padding). */
  private static void unfoldImage(float[] src, int image, int[] map, float pad, float[] out,
      int at) {
    for (int i = 0; i < map.length; i++) out[at + i] = map[i] < 0 ? pad : src[image + map[i]];
  }

  /**
   * The columns of the contiguous image at {@code src[image]} (stride 1, no dilation), written
   * to {@code out} from {@code at}: every window row is a run of an input row.
   */
  private static void unfoldImage(float[] src, int image, int[] s, Window w, float pad,
      float[] out, int at) {
    int c = s[1];
    int h = s[2];
    int wd = s[3];
    int k = w.kernel();
    int p = w.padding();
    int oh = w.out(h);
    int ow = w.out(wd);
    int o = at;
    for (int ch = 0; ch < c; ch++) {
      for (int kh = 0; kh < k; kh++) {
        for (int kw = 0; kw < k; kw++, o += oh * ow) {
          int x0 = Math.max(0, p - kw);
          int x1 = Math.min(ow, wd + p - kw);
          int y0 = Math.max(0, p - kh);
          int y1 = Math.min(oh, h + p - kh);
          if (x1 <= x0 || y1 <= y0) {
            Arrays.fill(out, o, o + oh * ow, pad);
            continue;
          }
          Arrays.fill(out, o, o + y0 * ow, pad);
          Arrays.fill(out, o + y1 * ow, o + oh * ow, pad);
          int plane = image + ch * h * wd;
          if (ow == wd) {
            // Same-size output (2 padding = k - 1): the window row is the plane shifted, one
            // copy for all its rows (clipped to the plane), then the columns that wrapped
            // around into a neighbouring row set to padding.
            int from = (y0 - p + kh) * wd + kw - p;
            int to = from + (y1 - y0) * ow;
            int lo = Math.max(from, 0);
            int hi = Math.min(to, h * wd);
            System.arraycopy(src, plane + lo, out, o + y0 * ow + lo - from, hi - lo);
            for (int y = y0; y < y1; y++) {
              int row = o + y * ow;
              for (int i = 0; i < x0; i++) out[row + i] = pad;
              for (int i = x1; i < ow; i++) out[row + i] = pad;
            }
            continue;
          }
          for (int y = y0; y < y1; y++) {
            int row = o + y * ow;
            int in = plane + (y - p + kh) * wd + x0 - p + kw;
            // Runs are short (an image row): plain loops beat a copy or fill call.
            for (int i = 0; i < x0; i++) out[row + i] = pad;
            for (int i = 0; i < x1 - x0; i++) out[row + x0 + i] = src[in + i];
            for (int i = x1; i < ow; i++) out[row + i] = pad;
          }
        }
      }
    }
  }

  /**
   * col2im of one image's columns {@code cols[from..]} into the contiguous image at
   * {@code out[to..]} (which it adds to): the exact reverse of {@link #unfoldImage} with rows.
   */
  private static void foldImage(float[] cols, int from, int[] s, Window w, float[] out, int to) {
    int c = s[1];
    int h = s[2];
    int wd = s[3];
    int k = w.kernel();
    int p = w.padding();
    int oh = w.out(h);
    int ow = w.out(wd);
    int o = from;
    for (int ch = 0; ch < c; ch++) {
      for (int kh = 0; kh < k; kh++) {
        for (int kw = 0; kw < k; kw++) {
          int x0 = Math.max(0, p - kw);
          int x1 = Math.min(ow, wd + p - kw);
          for (int y = 0; y < oh; y++, o += ow) {
            int iy = y - p + kh;
            if (iy < 0 || iy >= h || x1 <= x0) continue;
            int dst = to + (ch * h + iy) * wd + x0 - p + kw;
            int src = o + x0;
            for (int i = 0; i < x1 - x0; i++) out[dst + i] += cols[src + i];
          }
        }
      }
    }
  }

  /** col2im, the adjoint of {@link #unfold}: windows summed back into {@code [N, C, H, W]}. */
  static Tensor fold(Tensor cols, int channels, int height, int width, Window w) {
    int n = cols.shape()[0];
    int[] shape = {n, channels, height, width};
    Tensor c = cols.isContiguous() ? cols : cols.contiguous();
    CpuStorage src = storage(c);
    int image = channels * height * width;
    int block = cols.shape()[1] * cols.shape()[2];
    CpuStorage out = CpuStorage.allocate(cols.dtype(), n * image);
    if (src.f != null && rowsCopy(w)) {
      Parallel.forEach(n, b -> foldImage(src.f, c.offset() + b * block, shape, w, out.f,
          b * image));
      return new Tensor(out, shape);
    }
    int[] map = windowMap(Shapes.contiguousStrides(shape), channels, height, width, w);
    Parallel.forEach(n, b -> {
      int from = c.offset() + b * map.length;
      int to = b * image;
      if (src.f != null) {
        for (int i = 0; i < map.length; i++) if (map[i] >= 0) out.f[to + map[i]] += src.f[from + i];
      } else {
        for (int i = 0; i < map.length; i++) {
          if (map[i] >= 0) out.set(to + map[i], out.get(to + map[i]) + src.get(from + i));
        }
      }
    });
    return new Tensor(out, shape);
  }

  /** {@code [N, O, OH*OW]}: each image's columns, then the weight times them. */
  static Tensor conv2d(FloatKernels kernels, Tensor x, Tensor weight, Window w) {
    if (x.dtype() != DType.FLOAT32 || weight.dtype() != DType.FLOAT32) return null;
    if (ShiftedConvolutions.applies(w)) return ShiftedConvolutions.conv2d(kernels, x, weight, w);
    Tensor xc = x.isContiguous() ? x : x.contiguous();
    int[] s = xc.shape();
    int[] map = rowsCopy(w) ? null : windowMap(xc.strides(), s[1], s[2], s[3], w);
    int k = w.kernel();
    int rows = s[1] * k * k;
    int windows = w.out(s[2]) * w.out(s[3]);
    int o = weight.shape()[0];
    Tensor wm = weight.isContiguous() ? weight : weight.contiguous();
    float[] wf = storage(wm).f;
    float[] src = storage(xc).f;
    float[] out = new float[s[0] * o * windows];
    Parallel.forEach(s[0], n -> {
      float[] cols = columns(rows * windows);
      int image = xc.offset() + n * s[1] * s[2] * s[3];
      if (map == null) unfoldImage(src, image, s, w, 0f, cols, 0);
      else unfoldImage(src, image, map, 0f, cols, 0);
      kernels.gemm(wf, wm.offset(), cols, 0, out, n * o * windows, o, rows, windows);
    });
    return new Tensor(new CpuStorage(out), new int[] {s[0], o, windows});
  }

  /**
   * The input gradient: per image, {@code W^T g} into the thread's column buffer, then col2im
   * into that image (images are disjoint, so threads never share an output element).
   */
  static Tensor conv2dInputGrad(FloatKernels kernels, Tensor grad, Tensor weight,
      int[] inputShape, Window w) {
    if (grad.dtype() != DType.FLOAT32 || weight.dtype() != DType.FLOAT32) return null;
    if (ShiftedConvolutions.appliesToInputGrad(w)) {
      return ShiftedConvolutions.conv2dInputGrad(kernels, grad, weight, inputShape, w);
    }
    Tensor gc = grad.isContiguous() ? grad : grad.contiguous();
    Tensor wm = weight.isContiguous() ? weight : weight.contiguous();
    int[] s = inputShape;
    int k = w.kernel();
    int rows = s[1] * k * k;
    int windows = w.out(s[2]) * w.out(s[3]);
    int o = wm.shape()[0];
    int image = s[1] * s[2] * s[3];
    int[] map = rowsCopy(w) ? null : windowMap(Shapes.contiguousStrides(s), s[1], s[2], s[3], w);
    float[] wf = storage(wm).f;
    float[] g = storage(gc).f;
    float[] out = new float[s[0] * image];
    Parallel.forEach(s[0], n -> {
      float[] cols = columns(rows * windows);
      // cols[rows x windows] = W^T [rows x o] . g_n [o x windows]
      kernels.gemm(wf, wm.offset(), 1, rows, g, gc.offset() + n * o * windows, windows, 1, cols,
          0, rows, o, windows);
      if (map == null) {
        foldImage(cols, 0, s, w, out, n * image);
      } else {
        int to = n * image;
        for (int i = 0; i < map.length; i++) if (map[i] >= 0) out[to + map[i]] += cols[i];
      }
    });
    return new Tensor(new CpuStorage(out), s.clone());
  }

  /**
   * The weight gradient {@code sum_n g_n cols_n^T}: images split into one fixed range per
   * core, each range accumulated into its own partial sum, the partial sums added in order (so
   * the result does not depend on scheduling).
   */
  static Tensor conv2dWeightGrad(FloatKernels kernels, Tensor input, Tensor grad,
      int[] weightShape, Window w) {
    if (input.dtype() != DType.FLOAT32 || grad.dtype() != DType.FLOAT32) return null;
    if (ShiftedConvolutions.applies(w)) {
      return ShiftedConvolutions.conv2dWeightGrad(kernels, input, grad, weightShape, w);
    }
    Tensor xc = input.isContiguous() ? input : input.contiguous();
    Tensor gc = grad.isContiguous() ? grad : grad.contiguous();
    int[] s = xc.shape();
    int k = w.kernel();
    int rows = s[1] * k * k;
    int windows = w.out(s[2]) * w.out(s[3]);
    int o = weightShape[0];
    int image = s[1] * s[2] * s[3];
    int[] map = rowsCopy(w) ? null : windowMap(xc.strides(), s[1], s[2], s[3], w);
    float[] src = storage(xc).f;
    float[] g = storage(gc).f;
    int parts = Math.max(1, Math.min(s[0], Parallel.threads()));
    // The operand whose transpose the product packs is the narrower one: with fewer output
    // channels than window elements (the usual case) the sum is built transposed,
    // [rows x o] += cols [rows x windows] . g_n^T [windows x o], and transposed once at the end.
    boolean transposed = o < rows;
    float[][] partial = new float[parts][];
    Parallel.forEach(parts, part -> {
      float[] acc = new float[o * rows];
      for (int n = s[0] * part / parts; n < s[0] * (part + 1) / parts; n++) {
        float[] cols = columns(rows * windows);
        int at = xc.offset() + n * image;
        if (map == null) unfoldImage(src, at, s, w, 0f, cols, 0);
        else unfoldImage(src, at, map, 0f, cols, 0);
        int gn = gc.offset() + n * o * windows;
        if (transposed) {
          kernels.gemm(cols, 0, windows, 1, g, gn, 1, windows, acc, 0, rows, windows, o, true);
        } else {
          // acc[o x rows] += g_n [o x windows] . cols^T [windows x rows]
          kernels.gemm(g, gn, windows, 1, cols, 0, 1, windows, acc, 0, o, windows, rows, true);
        }
      }
      partial[part] = acc;
    });
    float[] sum = partial[0];
    for (int p = 1; p < parts; p++) {
      for (int i = 0; i < sum.length; i++) sum[i] += partial[p][i];
    }
    if (transposed) {
      float[] t = new float[sum.length];
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < o; j++) t[j * rows + r] = sum[r * o + j];
      }
      sum = t;
    }
    return new Tensor(new CpuStorage(sum), weightShape.clone());
  }
}
