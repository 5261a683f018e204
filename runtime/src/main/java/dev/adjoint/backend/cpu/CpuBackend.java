package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.ParamUpdate;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Storage;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * The CPU backend. Contiguous float32 work goes to {@link FloatKernels} (Vector API or plain
 * loops, chosen by {@link Vectorization}); other dtypes and strided views take general loops
 * over element offsets ({@link Strided}).
 */
public final class CpuBackend implements Backend {
  /** The one CPU backend (stateless; {@code Backends.get(Device.CPU)} returns it). */
  public static final CpuBackend INSTANCE = new CpuBackend();

  private final FloatKernels kernels;

  private CpuBackend() {
    this(Vectorization.kernels());
  }

  /** A backend over the given kernels (tests compare the implementations this way). */
  public CpuBackend(FloatKernels kernels) {
    this.kernels = kernels;
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  public Storage allocate(DType dtype, int length) {
    return CpuStorage.allocate(dtype, length);
  }

  @Override
  public Storage upload(Object array) {
    if (array instanceof float[]) return new CpuStorage((float[]) array);
    if (array instanceof double[]) return new CpuStorage((double[]) array);
    if (array instanceof long[]) return new CpuStorage((long[]) array);
    throw new IllegalArgumentException("upload: not a float[], double[] or long[]: " + array);
  }

  @Override
  public Object download(Tensor t) {
    CpuStorage s = contiguousStorage(t, t.dtype());
    int from = t.isContiguous() ? t.offset() : 0;
    int to = from + t.numel();
    if (s.f != null) return Arrays.copyOfRange(s.f, from, to);
    if (s.d != null) return Arrays.copyOfRange(s.d, from, to);
    return Arrays.copyOfRange(s.l, from, to);
  }

  private static CpuStorage storage(Tensor t) {
    return (CpuStorage) t.storage();
  }

  /** The storage of {@code t} if contiguous (use its offset), else of a contiguous copy. */
  private CpuStorage contiguousStorage(Tensor t, DType dtype) {
    return t.isContiguous() && t.dtype() == dtype ? storage(t) : storage(copy(t, dtype));
  }

  private Tensor contiguous(Tensor t) {
    return t.isContiguous() ? t : copy(t, t.dtype());
  }

  @Override
  public Tensor copy(Tensor x, DType dtype) {
    int n = x.numel();
    CpuStorage src = storage(x);
    CpuStorage out = CpuStorage.allocate(dtype, n);
    if (x.isContiguous() && dtype == x.dtype()) {
      int o = x.offset();
      if (src.f != null) System.arraycopy(src.f, o, out.f, 0, n);
      else if (src.d != null) System.arraycopy(src.d, o, out.d, 0, n);
      else System.arraycopy(src.l, o, out.l, 0, n);
    } else if (dtype == x.dtype()) {
      StridedCopy.copy(src.array(), x, out.array());
    } else if (x.isContiguous() && src.l != null && out.f != null) {
      // masks: comparisons give INT64, used as float32 factors
      int o = x.offset();
      for (int i = 0; i < n; i++) out.f[i] = src.l[o + i];
    } else {
      int[] offs = x.isContiguous() ? null : Strided.offsets(x);
      for (int i = 0; i < n; i++) out.set(i, src.get(offs == null ? x.offset() + i : offs[i]));
    }
    return new Tensor(out, x.shape());
  }

  @Override
  public Tensor[] update(ParamUpdate u, Tensor param, Tensor grad, Tensor[] state) {
    return CpuUpdates.apply(kernels, u, param, grad, state);
  }

  @Override
  public Tensor unary(UnaryOp op, Tensor x, double p) {
    Tensor c = contiguous(x);
    CpuStorage s = storage(c);
    int n = c.numel();
    int o = c.offset();
    CpuStorage out = CpuStorage.allocate(x.dtype(), n);
    if (s.f != null) {
      kernels.unary(op, s.f, o, out.f, 0, n, (float) p);
    } else if (s.d != null) {
      for (int i = 0; i < n; i++) out.d[i] = Ops.apply(op, s.d[o + i], p);
    } else {
      for (int i = 0; i < n; i++) out.l[i] = (long) Ops.apply(op, (double) s.l[o + i], p);
    }
    return new Tensor(out, x.shape());
  }

  private static boolean comparison(BinaryOp op) {
    return op == BinaryOp.GT || op == BinaryOp.LT || op == BinaryOp.EQ;
  }

  @Override
  public Tensor binary(BinaryOp op, Tensor a, Tensor b, int[] shape, DType result) {
    int n = Shapes.numel(shape);
    CpuStorage out = CpuStorage.allocate(result, n);
    if (n == 0) return new Tensor(out, shape);
    boolean floats = result == DType.FLOAT32 && !comparison(op);
    // Comparisons of float32 tensors (relu's mask, for one) take the same row walk, and so does
    // float64 arithmetic (what gradient checks run in).
    boolean compareFloats = comparison(op) && a.dtype() == DType.FLOAT32
        && b.dtype() == DType.FLOAT32;
    boolean doubles = result == DType.FLOAT64 && !comparison(op)
        && a.dtype() == DType.FLOAT64 && b.dtype() == DType.FLOAT64;
    if (floats || compareFloats || doubles) {
      Tensor fa = doubles ? a : a.to(DType.FLOAT32);
      Tensor fb = doubles ? b : b.to(DType.FLOAT32);
      int last = shape.length == 0 ? 1 : shape[shape.length - 1];
      int sa = shape.length == 0 ? 0 : fa.strides()[shape.length - 1];
      int sb = shape.length == 0 ? 0 : fb.strides()[shape.length - 1];
      if ((sa == 0 || sa == 1 || last == 1) && (sb == 0 || sb == 1 || last == 1)) {
        int[] ra = rowStarts(fa);
        int[] rb = rowStarts(fb);
        CpuStorage x = storage(fa);
        CpuStorage y = storage(fb);
        int as = last == 1 ? 0 : sa;
        int bs = last == 1 ? 0 : sb;
        for (int r = 0; r < ra.length; r++) {
          if (floats) {
            kernels.binary(op, x.f, ra[r], as, y.f, rb[r], bs, out.f, r * last, last);
          } else if (doubles) {
            doubleRow(op, x.d, ra[r], as, y.d, rb[r], bs, out.d, r * last, last);
          } else {
            compareRow(op, x.f, ra[r], as, y.f, rb[r], bs, out.l, r * last, last);
          }
        }
        return new Tensor(out, shape);
      }
    }
    CpuStorage sa = storage(a);
    CpuStorage sb = storage(b);
    int[] oa = Strided.offsets(a);
    int[] ob = Strided.offsets(b);
    if (sa.l != null && sb.l != null) {
      for (int i = 0; i < n; i++) out.set(i, Ops.apply(op, sa.l[oa[i]], sb.l[ob[i]]));
    } else {
      for (int i = 0; i < n; i++) out.set(i, Ops.apply(op, sa.get(oa[i]), sb.get(ob[i])));
    }
    return new Tensor(out, shape);
  }

  private static void doubleRow(BinaryOp op, double[] a, int ao, int as, double[] b, int bo,
      int bs, double[] out, int oo, int n) {
    // One loop per common op, so that each compiles to a tight (vectorizable) loop.
    switch (op) {
      case ADD:
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i * as] + b[bo + i * bs];
        break;
      case SUB:
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i * as] - b[bo + i * bs];
        break;
      case MUL:
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i * as] * b[bo + i * bs];
        break;
      case DIV:
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i * as] / b[bo + i * bs];
        break;
      default:
        for (int i = 0; i < n; i++) out[oo + i] = Ops.apply(op, a[ao + i * as], b[bo + i * bs]);
    }
  }

  private static void compareRow(BinaryOp op, float[] a, int ao, int as, float[] b, int bo,
      int bs, long[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      float x = a[ao + i * as];
      float y = b[bo + i * bs];
      boolean v = op == BinaryOp.GT ? x > y : op == BinaryOp.LT ? x < y : x == y;
      out[oo + i] = v ? 1 : 0;
    }
  }

  /** Offsets of the first element of every row (last dimension) of a view. */
  private static int[] rowStarts(Tensor t) {
    if (t.dim() == 0) return new int[] {t.offset()};
    return Strided.offsets(t.slice(-1, 0, Math.min(1, t.size(-1))));
  }

  @Override
  public Tensor where(Tensor cond, Tensor a, Tensor b, int[] shape) {
    int n = Shapes.numel(shape);
    CpuStorage out = CpuStorage.allocate(a.dtype(), n);
    CpuStorage sc = storage(cond);
    CpuStorage sa = storage(a);
    CpuStorage sb = storage(b);
    int[] oc = Strided.offsets(cond);
    int[] oa = Strided.offsets(a);
    int[] ob = Strided.offsets(b);
    for (int i = 0; i < n; i++) {
      out.set(i, sc.get(oc[i]) != 0 ? sa.get(oa[i]) : sb.get(ob[i]));
    }
    return new Tensor(out, shape);
  }

  @Override
  public Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim) {
    int[] shape = x.shape();
    Tensor rows;
    int len;
    int[] outShape;
    if (dim < 0) {
      rows = contiguous(x);
      len = x.numel();
      outShape = keepDim ? ones(shape.length) : new int[0];
    } else {
      int[] perm = new int[shape.length];
      for (int i = 0, j = 0; i < shape.length; i++) if (i != dim) perm[j++] = i;
      perm[shape.length - 1] = dim;
      rows = contiguous(x.permute(perm));
      len = shape[dim];
      outShape = shape.clone();
      if (keepDim) {
        outShape[dim] = 1;
      } else {
        outShape = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != dim) outShape[j++] = shape[i];
      }
    }
    int count = Shapes.numel(outShape);
    DType type = op == ReduceOp.ARGMAX ? DType.INT64 : x.dtype();
    CpuStorage out = CpuStorage.allocate(type, count);
    CpuStorage s = storage(rows);
    int base = rows.offset();
    for (int r = 0; r < count; r++) {
      int start = base + r * len;
      switch (op) {
        case SUM:
          if (s.f != null) {
            out.f[r] = (float) kernels.sum(s.f, start, len);
          } else if (s.d != null) {
            double acc = 0;
            for (int i = 0; i < len; i++) acc += s.d[start + i];
            out.d[r] = acc;
          } else {
            long acc = 0;
            for (int i = 0; i < len; i++) acc += s.l[start + i];
            out.l[r] = acc;
          }
          break;
        case MAX:
        case ARGMAX: {
          int best = 0;
          double bestValue = s.get(start);
          for (int i = 1; i < len && !Double.isNaN(bestValue); i++) {
            double v = s.get(start + i);
            if (v > bestValue || Double.isNaN(v)) {
              best = i;
              bestValue = v;
            }
          }
          out.set(r, op == ReduceOp.MAX ? bestValue : best);
          break;
        }
        default:
          throw new IllegalArgumentException(op.toString());
      }
    }
    return new Tensor(out, outShape);
  }

  private static int[] ones(int n) {
    int[] o = new int[n];
    Arrays.fill(o, 1);
    return o;
  }

  @Override
  public Tensor matmul(Tensor a, Tensor b) {
    int[] sa = a.shape();
    int[] sb = b.shape();
    int m = sa[sa.length - 2];
    int k = sa[sa.length - 1];
    int n = sb[sb.length - 1];
    int[] outShape = sa.clone();
    outShape[outShape.length - 1] = n;
    int batch = Shapes.numel(Arrays.copyOf(sa, sa.length - 2));
    if (batch * m * n == 0 || k == 0) {
      return new Tensor(CpuStorage.allocate(a.dtype(), batch * m * n), outShape); // all zero
    }
    // Batch dimensions may be broadcast (stride 0) or strided, so a weight shared by a batch is
    // never copied. float32 matrices are read with their strides (a transposed operand costs
    // nothing); the other dtypes' plain loops want row-major matrices.
    boolean floats = a.dtype() == DType.FLOAT32;
    Tensor ca = floats ? a : rowMajorMatrices(a);
    Tensor cb = floats ? b : rowMajorMatrices(b);
    int[] as = ca.strides();
    int[] bs = cb.strides();
    int ars = as[as.length - 2];
    int acs = as[as.length - 1];
    int brs = bs[bs.length - 2];
    int bcs = bs[bs.length - 1];
    int[] ao = matrixOffsets(ca);
    int[] bo = matrixOffsets(cb);
    CpuStorage x = storage(ca);
    CpuStorage y = storage(cb);
    CpuStorage out = CpuStorage.allocate(a.dtype(), batch * m * n);
    java.util.function.IntConsumer one = bi -> {
      int co = bi * m * n;
      if (x.f != null) {
        kernels.gemm(x.f, ao[bi], ars, acs, y.f, bo[bi], brs, bcs, out.f, co, m, k, n);
      } else if (x.d != null) {
        for (int i = 0; i < m; i++) {
          for (int p = 0; p < k; p++) {
            double aip = x.d[ao[bi] + i * k + p];
            for (int j = 0; j < n; j++) out.d[co + i * n + j] += aip * y.d[bo[bi] + p * n + j];
          }
        }
      } else {
        for (int i = 0; i < m; i++) {
          for (int p = 0; p < k; p++) {
            long aip = x.l[ao[bi] + i * k + p];
            for (int j = 0; j < n; j++) out.l[co + i * n + j] += aip * y.l[bo[bi] + p * n + j];
          }
        }
      }
    };
    if (batch >= Parallel.threads() && (long) batch * m * n * k >= (1L << 22)) {
      Parallel.forEach(batch, one);
    } else {
      for (int bi = 0; bi < batch; bi++) one.accept(bi);
    }
    return new Tensor(out, outShape);
  }

  /** {@code t} if each of its matrices is row-major (batch strides free), else a copy. */
  private Tensor rowMajorMatrices(Tensor t) {
    int[] s = t.shape();
    int[] st = t.strides();
    int r = s.length;
    boolean rowMajor = (s[r - 1] <= 1 || st[r - 1] == 1)
        && (s[r - 2] <= 1 || st[r - 2] == s[r - 1]);
    return rowMajor ? t : copy(t, t.dtype());
  }

  /** Storage offset of the first element of every matrix of a batch. */
  private static int[] matrixOffsets(Tensor t) {
    int r = t.dim();
    return Strided.offsets(t.slice(r - 1, 0, Math.min(1, t.size(-1)))
        .slice(r - 2, 0, Math.min(1, t.size(-2))));
  }

  @Override
  public Tensor indexSelect(Tensor x, int dim, Tensor index) {
    long[] idx = (long[]) download(index);
    int size = x.shape()[dim];
    Tensor[] pieces = new Tensor[idx.length];
    for (int i = 0; i < idx.length; i++) {
      long j = idx[i] < 0 ? idx[i] + size : idx[i];
      if (j < 0 || j >= size) {
        throw new IllegalArgumentException("indexSelect: index " + idx[i] + " is out of range "
            + "for dimension " + dim + " of size " + size + " (shape " + Shapes.str(x.shape())
            + ")");
      }
      pieces[i] = x.slice(dim, (int) j, (int) j + 1);
    }
    if (pieces.length == 0) {
      int[] s = x.shape();
      s[dim] = 0;
      return new Tensor(CpuStorage.allocate(x.dtype(), 0), s);
    }
    return cat(pieces, dim);
  }

  @Override
  public Tensor gather(Tensor x, int dim, Tensor index) {
    int[] shape = index.shape();
    int n = index.numel();
    CpuStorage out = CpuStorage.allocate(x.dtype(), n);
    CpuStorage src = storage(x);
    long[] idx = (long[]) download(index);
    int[] xs = x.strides();
    int[] xShape = x.shape();
    int[] pos = new int[shape.length];
    for (int i = 0; i < n; i++) {
      long j = idx[i];
      if (j < 0 || j >= xShape[dim]) {
        throw new IllegalArgumentException("gather: index " + j + " is out of range for "
            + "dimension " + dim + " of size " + xShape[dim] + " (shape " + Shapes.str(xShape)
            + ")");
      }
      int off = x.offset();
      for (int d = 0; d < shape.length; d++) off += (d == dim ? (int) j : pos[d]) * xs[d];
      out.set(i, src.get(off));
      for (int d = shape.length - 1; d >= 0; d--) {
        if (++pos[d] < shape[d]) break;
        pos[d] = 0;
      }
    }
    return new Tensor(out, shape);
  }

  @Override
  public Tensor cat(Tensor[] xs, int dim) {
    int[] shape = xs[0].shape();
    int total = 0;
    for (Tensor x : xs) total += x.shape()[dim];
    shape[dim] = total;
    CpuStorage out = CpuStorage.allocate(xs[0].dtype(), Shapes.numel(shape));
    Tensor result = new Tensor(out, shape);
    int start = 0;
    for (Tensor x : xs) {
      int len = x.shape()[dim];
      int[] dst = Strided.offsets(result.slice(dim, start, start + len));
      int[] src = Strided.offsets(x);
      CpuStorage s = storage(x);
      for (int i = 0; i < dst.length; i++) out.set(dst[i], s.get(src[i]));
      start += len;
    }
    return result;
  }

  /**
   * For one image: the storage offset (relative to the image) that each element of its
   * unfolded {@code [C*k*k, OH*OW]} block reads, or -1 for padding. Shared by unfold and fold,
   * and by every image of a batch.
   */
  private static int[] windowMap(int[] strides, int c, int h, int wd, Window w) {
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

  @Override
  public Tensor unfold(Tensor x, Window w, double padValue) {
    int[] s = x.shape();
    if (x.dtype() == DType.FLOAT32 && x.isContiguous() && w.stride() == 1 && w.dilation() == 1) {
      return unfoldRows(x, w, (float) padValue);
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
    int k = w.kernel();
    return new Tensor(out, new int[] {s[0], s[1] * k * k, w.out(s[2]) * w.out(s[3])});
  }

  /**
   * float32 conv2d one image at a time: its columns go to a per-thread buffer that stays in
   * cache while the matmul reads it, instead of all images' columns (C*k*k times the input)
   * going through memory. Stride 1 without dilation copies whole window rows
   * ({@link #unfoldImage}); other windows go element by element through their offset map.
   */
  @Override
  public Tensor conv2d(Tensor x, Tensor weight, Window w) {
    if (x.dtype() != DType.FLOAT32 || weight.dtype() != DType.FLOAT32 || !x.isContiguous()) {
      return null;
    }
    boolean rowsCopy = w.stride() == 1 && w.dilation() == 1;
    int[] s = x.shape();
    int[] map = rowsCopy ? null : windowMap(x.strides(), s[1], s[2], s[3], w);
    int k = w.kernel();
    int rows = s[1] * k * k;
    int windows = w.out(s[2]) * w.out(s[3]);
    int o = weight.shape()[0];
    Tensor wm = contiguous(weight);
    float[] wf = storage(wm).f;
    float[] src = storage(x).f;
    float[] out = new float[s[0] * o * windows];
    Parallel.forEach(s[0], n -> {
      float[] cols = COLUMNS.get();
      if (cols.length < rows * windows) {
        cols = new float[rows * windows];
        COLUMNS.set(cols);
      }
      int image = x.offset() + n * s[1] * s[2] * s[3];
      if (rowsCopy) {
        unfoldImage(src, image, s, w, 0f, cols, 0);
      } else {
        unfoldImage(src, image, map, 0f, cols, 0);
      }
      kernels.gemm(wf, wm.offset(), cols, 0, out, n * o * windows, o, rows, windows);
    });
    return new Tensor(new CpuStorage(out), new int[] {s[0], o, windows});
  }

  /** One image's columns at a time, reused by the thread (every element written each time). */
  private static final ThreadLocal<float[]> COLUMNS = ThreadLocal.withInitial(() -> new float[0]);

  /**
   * im2col for the common case (float32, contiguous, stride 1, no dilation): every window row is
   * a contiguous run of an input row, copied whole.
   */
  private Tensor unfoldRows(Tensor x, Window w, float pad) {
    int[] s = x.shape();
    int k = w.kernel();
    int block = s[1] * k * k * w.out(s[2]) * w.out(s[3]);
    float[] src = storage(x).f;
    float[] out = new float[s[0] * block];
    Parallel.forEach(s[0], n -> unfoldImage(src, x.offset() + n * s[1] * s[2] * s[3], s, w, pad,
        out, n * block));
    return new Tensor(new CpuStorage(out), new int[] {s[0], block / (w.out(s[2]) * w.out(s[3])),
        w.out(s[2]) * w.out(s[3])});
  }

  /** One image's columns through its window offset map ({@link #windowMap}; -1: padding). */
  private static void unfoldImage(float[] src, int image, int[] map, float pad, float[] out,
      int at) {
    for (int i = 0; i < map.length; i++) out[at + i] = map[i] < 0 ? pad : src[image + map[i]];
  }

  /** The columns of the image at {@code src[image]}, written to {@code out} from {@code at}. */
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
        for (int kw = 0; kw < k; kw++) {
          int x0 = Math.max(0, p - kw);
          int x1 = Math.min(ow, wd + p - kw);
          for (int y = 0; y < oh; y++, o += ow) {
            int iy = y - p + kh;
            if (iy < 0 || iy >= h || x1 <= x0) {
              java.util.Arrays.fill(out, o, o + ow, pad);
              continue;
            }
            if (x0 > 0) java.util.Arrays.fill(out, o, o + x0, pad);
            System.arraycopy(src, image + (ch * h + iy) * wd + x0 - p + kw, out, o + x0,
                x1 - x0);
            if (x1 < ow) java.util.Arrays.fill(out, o + x1, o + ow, pad);
          }
        }
      }
    }
  }

  @Override
  public Tensor fold(Tensor cols, int channels, int height, int width, Window w) {
    int n = cols.shape()[0];
    int[] shape = {n, channels, height, width};
    int[] map = windowMap(dev.adjoint.tensor.Shapes.contiguousStrides(shape), channels, height,
        width, w);
    Tensor c = contiguous(cols);
    CpuStorage src = storage(c);
    int image = channels * height * width;
    CpuStorage out = CpuStorage.allocate(cols.dtype(), n * image);
    for (int b = 0; b < n; b++) {
      int from = c.offset() + b * map.length;
      int to = b * image;
      if (src.f != null) {
        for (int i = 0; i < map.length; i++) if (map[i] >= 0) out.f[to + map[i]] += src.f[from + i];
      } else {
        for (int i = 0; i < map.length; i++) {
          if (map[i] >= 0) out.set(to + map[i], out.get(to + map[i]) + src.get(from + i));
        }
      }
    }
    return new Tensor(out, shape);
  }
}
