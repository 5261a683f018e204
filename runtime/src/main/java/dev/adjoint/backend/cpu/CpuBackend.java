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
    return ElementWise.unary(kernels, op, x, p);
  }

  @Override
  public Tensor binary(BinaryOp op, Tensor a, Tensor b, int[] shape, DType result) {
    return ElementWise.binary(kernels, op, a, b, shape, result);
  }

  @Override
  public Tensor where(Tensor cond, Tensor a, Tensor b, int[] shape) {
    return ElementWise.where(cond, a, b, shape);
  }

  @Override
  public Tensor reluBackward(Tensor g, Tensor x) {
    return ElementWise.reluBackward(kernels, g, x);
  }

  @Override
  public Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim) {
    return Reductions.reduce(kernels, op, x, dim, keepDim);
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
  public Tensor gatherBackward(int[] shape, int dim, Tensor index, Tensor src) {
    return Pooling.gatherBackward(shape, dim, index, src);
  }

  @Override
  public Tensor[] maxPool2d(Tensor x, Window w) {
    return Pooling.maxPool2d(kernels, x, w);
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

  @Override
  public Tensor unfold(Tensor x, Window w, double padValue) {
    return Convolutions.unfold(x, w, padValue);
  }

  @Override
  public Tensor fold(Tensor cols, int channels, int height, int width, Window w) {
    return Convolutions.fold(cols, channels, height, width, w);
  }

  @Override
  public Tensor conv2d(Tensor x, Tensor weight, Window w) {
    return Convolutions.conv2d(kernels, x, weight, w);
  }

  @Override
  public Tensor conv2dInputGrad(Tensor grad, Tensor weight, int[] inputShape, Window w) {
    return Convolutions.conv2dInputGrad(kernels, grad, weight, inputShape, w);
  }

  @Override
  public Tensor conv2dWeightGrad(Tensor input, Tensor grad, int[] weightShape, Window w) {
    return Convolutions.conv2dWeightGrad(kernels, input, grad, weightShape, w);
  }
}
