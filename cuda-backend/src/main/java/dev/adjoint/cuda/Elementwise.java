package dev.adjoint.cuda;

import static dev.adjoint.cuda.CudaRuntime.base;
import static dev.adjoint.cuda.CudaRuntime.suffix;

import dev.adjoint.tensor.Backend.BinaryOp;
import dev.adjoint.tensor.Backend.UnaryOp;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * Element-wise operations, where, and copies (strided, converting, into strided destinations).
 * Operands are views of any strides; {@link Layout} merges what can be walked as one dimension,
 * so contiguous and scalar-broadcast operands take the kernels' rank-1 fast path.
 */
final class Elementwise {
  private static final int[] NONE = new int[0];
  private final CudaRuntime rt;

  Elementwise(CudaRuntime rt) {
    this.rt = rt;
  }

  Tensor unary(UnaryOp op, Tensor x, double parameter) {
    int n = x.numel();
    CudaStorage out = rt.alloc(x.dtype(), n);
    if (n > 0) {
      Tensor src = fitting(x);
      Layout l = Layout.of(src);
      Params p = ewParams(out.address, base(src), 0, 0, parameter, l.shape, src.offset(),
          l.strides[0], 0, NONE, 0, NONE);
      rt.launch(Kernels.ELEMENTWISE, "unary_" + name(op) + "_" + suffix(x.dtype()),
          Launch.linear(n, rt.multiprocessors), p);
      dropIfCopy(src, x);
    }
    return new Tensor(out, x.shape());
  }

  static String name(Enum<?> op) {
    return op.name().toLowerCase(Locale.ROOT);
  }

  static boolean comparison(BinaryOp op) {
    return op == BinaryOp.GT || op == BinaryOp.LT || op == BinaryOp.EQ;
  }

  /**
   * The type a binary operation computes in, as the CPU backend does: arithmetic in the
   * result's type (integer division and power in float32); comparisons in the operands' type
   * when they agree, else in float64 (exact for float32 and for INT64 up to 2^53).
   */
  static DType computeType(BinaryOp op, DType a, DType b, DType result) {
    if (!comparison(op)) return result;
    return a == b ? a : DType.FLOAT64;
  }

  Tensor binary(BinaryOp op, Tensor a, Tensor b, int[] shape, DType result) {
    DType compute = computeType(op, a.dtype(), b.dtype(), result);
    DType produced = comparison(op) ? DType.INT64 : compute;
    int n = Shapes.numel(shape);
    CudaStorage out = rt.alloc(produced, n);
    if (n > 0) {
      Tensor ca = a.dtype() == compute ? a : copy(a, compute);
      Tensor cb = b.dtype() == compute ? b : copy(b, compute);
      Layout l = Layout.of(ca, cb);
      if (!l.fits()) {
        ca = ca.isContiguous() ? ca : copy(ca, compute);
        cb = cb.isContiguous() ? cb : copy(cb, compute);
        l = Layout.of(ca, cb);
      }
      // A scalar operand known on the host (x.mul(0.5)) goes as a parameter: b = 0.
      CudaStorage sb = CudaRuntime.storage(cb);
      boolean scalar = sb.constant && sb.dtype() == compute;
      Params p = ewParams(out.address, base(ca), scalar ? 0 : base(cb), 0,
          scalar ? Double.longBitsToDouble(sb.constantBits) : 0, l.shape, ca.offset(),
          l.strides[0], cb.offset(), l.strides[1], 0, NONE);
      rt.launch(Kernels.ELEMENTWISE, "binary_" + name(op) + "_" + suffix(compute),
          Launch.linear(n, rt.multiprocessors), p);
      dropIfCopy(ca, a);
      dropIfCopy(cb, b);
    }
    Tensor t = new Tensor(out, shape);
    if (produced == result) return t;
    Tensor converted = copy(t, result);
    rt.release(t);
    return converted;
  }

  Tensor where(Tensor cond, Tensor a, Tensor b, int[] shape) {
    int n = Shapes.numel(shape);
    CudaStorage out = rt.alloc(a.dtype(), n);
    if (n > 0) {
      Layout l = Layout.of(a, b, cond);
      Tensor ca = a;
      Tensor cb = b;
      Tensor cc = cond;
      if (!l.fits()) {
        ca = copy(a, a.dtype());
        cb = copy(b, b.dtype());
        cc = copy(cond, cond.dtype());
        l = Layout.of(ca, cb, cc);
      }
      Params p = ewParams(out.address, base(ca), base(cb), base(cc), 0, l.shape, ca.offset(),
          l.strides[0], cb.offset(), l.strides[1], cc.offset(), l.strides[2]);
      rt.launch(Kernels.ELEMENTWISE, "where_" + suffix(a.dtype()) + "_" + suffix(cond.dtype()),
          Launch.linear(n, rt.multiprocessors), p);
      dropIfCopy(ca, a);
      dropIfCopy(cb, b);
      dropIfCopy(cc, cond);
    }
    return new Tensor(out, shape);
  }

  /** A contiguous copy of any view, converted to {@code dtype}. */
  Tensor copy(Tensor x, DType dtype) {
    int[] shape = x.shape();
    CudaStorage out = rt.alloc(dtype, x.numel());
    copyInto(x, out, dtype, 0, Shapes.contiguousStrides(shape));
    return new Tensor(out, shape);
  }

  /**
   * Writes {@code src} (any view) into {@code dst} at element offset {@code offset} with the
   * given strides (a slice of a larger result, for cat). Views whose dimensions do not merge
   * into {@link Params#MAXD} are copied one slice of their first dimension at a time.
   */
  void copyInto(Tensor src, CudaStorage dst, DType dtype, int offset, int[] dstStrides) {
    int n = src.numel();
    if (n == 0) return;
    Layout l = Layout.of(src.shape(), src.strides(), dstStrides);
    if (!l.fits()) {
      int[] inner = Arrays.copyOfRange(dstStrides, 1, dstStrides.length);
      for (int i = 0; i < src.size(0); i++) {
        copyInto(src.slice(0, i, i + 1).squeeze(0), dst, dtype, offset + i * dstStrides[0],
            inner);
      }
      return;
    }
    Params p = copyParams(dst.address, base(src), l.shape, src.offset(), l.strides[0], offset,
        l.strides[1]);
    rt.launch(Kernels.ELEMENTWISE, "copy_" + suffix(src.dtype()) + "_" + suffix(dtype),
        Launch.linear(n, rt.multiprocessors), p);
  }

  /** The kernels' {@code EwParams}: out, a, b, c, the scalar, the shape, three views. */
  static Params ewParams(long out, long a, long b, long c, double p, int[] shape, int oa,
      int[] sa, int ob, int[] sb, int oc, int[] sc) {
    return new Params().ptr(out).ptr(a).ptr(b).ptr(c).f64(p).shape(shape).view(oa, sa)
        .view(ob, sb).view(oc, sc);
  }

  /** The kernels' {@code CopyParams}: dst, src, the shape, the source's and dst's views. */
  static Params copyParams(long dst, long src, int[] shape, int os, int[] ss, int od,
      int[] sd) {
    return new Params().ptr(dst).ptr(src).shape(shape).view(os, ss).view(od, sd);
  }

  /** {@code x}, or a contiguous copy when its dimensions do not merge into MAXD. */
  Tensor fitting(Tensor x) {
    return Layout.of(x).fits() ? x : copy(x, x.dtype());
  }

  /** Releases {@code used} if it is a temporary made from {@code original}. */
  void dropIfCopy(Tensor used, Tensor original) {
    if (used.storage() != original.storage()) rt.release(used);
  }
}
