package dev.adjoint.cuda;

import dev.adjoint.tensor.Backend;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.ParamUpdate;
import dev.adjoint.tensor.Storage;
import dev.adjoint.tensor.Tensor;

/**
 * The {@link Backend} of {@code Device.CUDA}, found by {@code ServiceLoader}. Constructing it
 * loads nothing: the device is opened by the first operation, and if that fails every
 * operation throws {@link CudaUnavailableException} with the reason.
 */
public final class CudaBackend implements Backend {
  private volatile Ops ops;
  private volatile CudaUnavailableException failure;

  /** For {@code ServiceLoader}. */
  public CudaBackend() {}

  @Override
  public Device device() {
    return Device.CUDA;
  }

  /** The open device, or the reason it cannot be opened (thrown anew, with the cause). */
  Ops ops() {
    Ops o = ops;
    if (o != null) return o;
    synchronized (this) {
      if (ops != null) return ops;
      if (failure == null) {
        try {
          ops = new Ops(new CudaRuntime(Devices.open()));
          return ops;
        } catch (CudaUnavailableException e) {
          failure = e;
        }
      }
      String reason = failure.getMessage().substring("CUDA is not available: ".length());
      throw new CudaUnavailableException(reason, failure.getCause());
    }
  }

  CudaRuntime runtime() {
    return ops().rt;
  }

  @Override
  public Storage allocate(DType dtype, int length) {
    return ops().rt.zeros(dtype, length);
  }

  @Override
  public Storage upload(Object array) {
    Ops o = ops();
    DType dtype;
    int n;
    if (array instanceof float[]) {
      dtype = DType.FLOAT32;
      n = ((float[]) array).length;
    } else if (array instanceof double[]) {
      dtype = DType.FLOAT64;
      n = ((double[]) array).length;
    } else if (array instanceof long[]) {
      dtype = DType.INT64;
      n = ((long[]) array).length;
    } else {
      throw new IllegalArgumentException("upload: not a float[], double[] or long[]: " + array);
    }
    CudaStorage s = o.rt.alloc(dtype, n);
    int bytes = n * dtype.bytes();
    if (n == 1) {
      s.deferConstant(bits(array), o.rt);
    } else if (bytes > 0 && bytes <= SMALL_UPLOAD) {
      // scalars and the like: a kernel parameter, queued without touching host memory again
      o.rt.launch(Kernels.OPTIM, "store_bytes", new Launch(1, 1, 1, 64, 1, 1),
          smallUpload(s.address, littleEndian(array, n)));
    } else if (n > 0) {
      o.rt.api.upload(s.address, array, n);
    }
    return s;
  }

  /** Uploads of at most this many bytes travel as a kernel parameter. */
  static final int SMALL_UPLOAD = 256;

  /** The kernels' {@code BytesParams}. */
  static Params smallUpload(long dst, byte[] data) {
    return new Params().ptr(dst).i32(data.length).raw(data, SMALL_UPLOAD);
  }

  /** The raw bits of a one-element array (a float's bits in the low half). */
  static long bits(Object array) {
    if (array instanceof float[]) return Float.floatToRawIntBits(((float[]) array)[0]) & 0xffffffffL;
    if (array instanceof double[]) return Double.doubleToRawLongBits(((double[]) array)[0]);
    return ((long[]) array)[0];
  }

  static byte[] littleEndian(Object array, int n) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n * (array instanceof float[] ? 4 : 8))
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    if (array instanceof float[]) b.asFloatBuffer().put((float[]) array, 0, n);
    else if (array instanceof double[]) b.asDoubleBuffer().put((double[]) array, 0, n);
    else b.asLongBuffer().put((long[]) array, 0, n);
    return b.array();
  }

  @Override
  public Object download(Tensor t) {
    Ops o = ops();
    Tensor c = t.isContiguous() ? t : o.elementwise.copy(t, t.dtype());
    int n = c.numel();
    Object array;
    switch (t.dtype()) {
      case FLOAT32:
        array = new float[n];
        break;
      case FLOAT64:
        array = new double[n];
        break;
      default:
        array = new long[n];
        break;
    }
    if (n > 0) {
      o.rt.api.download(CudaRuntime.first(c), array, n);
    } else {
      o.rt.api.synchronize();
    }
    o.elementwise.dropIfCopy(c, t);
    o.rt.throwReportedErrors();
    return array;
  }

  @Override
  public Tensor unary(UnaryOp op, Tensor x, double parameter) {
    return ops().elementwise.unary(op, x, parameter);
  }

  @Override
  public Tensor binary(BinaryOp op, Tensor a, Tensor b, int[] shape, DType result) {
    return ops().elementwise.binary(op, a, b, shape, result);
  }

  @Override
  public Tensor where(Tensor cond, Tensor a, Tensor b, int[] shape) {
    return ops().elementwise.where(cond, a, b, shape);
  }

  @Override
  public Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim) {
    return ops().reductions.reduce(op, x, dim, keepDim);
  }

  @Override
  public Tensor matmul(Tensor a, Tensor b) {
    return ops().matmuls.matmul(a, b);
  }

  @Override
  public Tensor copy(Tensor x, DType dtype) {
    return ops().elementwise.copy(x, dtype);
  }

  @Override
  public Tensor indexSelect(Tensor x, int dim, Tensor index) {
    return ops().indexing.indexSelect(x, dim, index);
  }

  @Override
  public Tensor gather(Tensor x, int dim, Tensor index) {
    return ops().indexing.gather(x, dim, index);
  }

  @Override
  public Tensor cat(Tensor[] xs, int dim) {
    return ops().indexing.cat(xs, dim);
  }

  @Override
  public Tensor unfold(Tensor x, Window w, double padValue) {
    return ops().images.unfold(x, w, padValue);
  }

  @Override
  public Tensor conv2d(Tensor x, Tensor weight, Window w) {
    return ops().matmuls.conv2d(x, weight, w);
  }

  @Override
  public Tensor fold(Tensor cols, int channels, int height, int width, Window w) {
    return ops().images.fold(cols, channels, height, width, w);
  }

  @Override
  public Tensor[] update(ParamUpdate update, Tensor param, Tensor grad, Tensor[] state) {
    return ops().updates.update(update, param, grad, state);
  }

  /** The operation areas over one open device. */
  static final class Ops {
    final CudaRuntime rt;
    final Elementwise elementwise;
    final Reductions reductions;
    final Matmuls matmuls;
    final Indexing indexing;
    final Images images;
    final Updates updates;

    Ops(CudaRuntime rt) {
      this.rt = rt;
      this.elementwise = new Elementwise(rt);
      this.reductions = new Reductions(rt, elementwise);
      this.matmuls = new Matmuls(rt, elementwise);
      this.indexing = new Indexing(rt, elementwise);
      this.images = new Images(rt, elementwise);
      this.updates = new Updates(rt, elementwise);
    }
  }
}
