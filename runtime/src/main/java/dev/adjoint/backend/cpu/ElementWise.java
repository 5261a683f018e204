package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend.BinaryOp;
import dev.adjoint.tensor.Backend.UnaryOp;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;

/**
 * Element-wise operations on the CPU. Operands of any layout are walked as rows ({@link
 * RowPlan}): contiguous operands as one run, broadcast ones as runs with a scalar, split among
 * the cores above {@link Parallel#GRAIN} elements per core. float32 runs go to the chosen
 * {@link FloatKernels}; the other types have typed loops of their own, so no element goes
 * through a double conversion it does not need.
 */
final class ElementWise {
  private ElementWise() {}

  private static CpuStorage storage(Tensor t) {
    return (CpuStorage) t.storage();
  }

  static Tensor unary(FloatKernels kernels, UnaryOp op, Tensor x, double p) {
    int n = x.numel();
    CpuStorage out = CpuStorage.allocate(x.dtype(), n);
    Tensor result = new Tensor(out, x.shape());
    CpuStorage s = storage(x);
    float pf = (float) p;
    RowPlan plan = RowPlan.of(x.shape(), result, x);
    int st = plan.length() == 1 ? 1 : plan.rowStride(1);
    plan.forAll((at, len) -> {
      int o = at[0];
      int i = at[1];
      if (s.f != null && st == 1) {
        kernels.unary(op, s.f, i, out.f, o, len, pf);
      } else if (s.f != null) {
        for (int j = 0; j < len; j++) out.f[o + j] = Ops.apply(op, s.f[i + j * st], pf);
      } else if (s.d != null) {
        for (int j = 0; j < len; j++) out.d[o + j] = Ops.apply(op, s.d[i + j * st], p);
      } else {
        for (int j = 0; j < len; j++) {
          out.l[o + j] = (long) Ops.apply(op, (double) s.l[i + j * st], p);
        }
      }
    });
    return result;
  }

  static boolean comparison(BinaryOp op) {
    return op == BinaryOp.GT || op == BinaryOp.LT || op == BinaryOp.EQ;
  }

  static Tensor binary(FloatKernels kernels, BinaryOp op, Tensor a, Tensor b, int[] shape,
      DType result) {
    int n = Shapes.numel(shape);
    CpuStorage out = CpuStorage.allocate(result, n);
    Tensor r = new Tensor(out, shape);
    if (n == 0) return r;
    // Operands in the type the operation runs in: the result's, or for comparisons their
    // common type.
    DType work = comparison(op) ? DType.promote(a.dtype(), b.dtype()) : result;
    Tensor x = a.to(work);
    Tensor y = b.to(work);
    CpuStorage sx = storage(x);
    CpuStorage sy = storage(y);
    RowPlan plan = RowPlan.of(shape, r, x, y);
    int xs = plan.length() == 1 ? 0 : plan.rowStride(1);
    int ys = plan.length() == 1 ? 0 : plan.rowStride(2);
    boolean unit = plan.unitOrBroadcastRows();
    plan.forAll((at, len) -> {
      int o = at[0];
      int i = at[1];
      int j = at[2];
      if (out.l != null && comparison(op)) {
        if (sx.f != null) compare(op, sx.f, i, xs, sy.f, j, ys, out.l, o, len);
        else if (sx.d != null) compare(op, sx.d, i, xs, sy.d, j, ys, out.l, o, len);
        else compare(op, sx.l, i, xs, sy.l, j, ys, out.l, o, len);
      } else if (out.f != null) {
        if (unit) kernels.binary(op, sx.f, i, xs, sy.f, j, ys, out.f, o, len);
        else for (int e = 0; e < len; e++) out.f[o + e] = Ops.apply(op, sx.f[i + e * xs], sy.f[j + e * ys]);
      } else if (out.d != null) {
        doubles(op, sx.d, i, xs, sy.d, j, ys, out.d, o, len);
      } else {
        for (int e = 0; e < len; e++) out.l[o + e] = Ops.apply(op, sx.l[i + e * xs], sy.l[j + e * ys]);
      }
    });
    return r;
  }

  private static void doubles(BinaryOp op, double[] a, int ao, int as, double[] b, int bo,
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

  private static void compare(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
      long[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      float x = a[ao + i * as];
      float y = b[bo + i * bs];
      out[oo + i] = (op == BinaryOp.GT ? x > y : op == BinaryOp.LT ? x < y : x == y) ? 1 : 0;
    }
  }

  private static void compare(BinaryOp op, double[] a, int ao, int as, double[] b, int bo,
      int bs, long[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      double x = a[ao + i * as];
      double y = b[bo + i * bs];
      out[oo + i] = (op == BinaryOp.GT ? x > y : op == BinaryOp.LT ? x < y : x == y) ? 1 : 0;
    }
  }

  private static void compare(BinaryOp op, long[] a, int ao, int as, long[] b, int bo, int bs,
      long[] out, int oo, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = Ops.apply(op, a[ao + i * as], b[bo + i * bs]);
  }

  /** {@code cond != 0 ? a : b}; all three already broadcast to {@code shape}. */
  static Tensor where(Tensor cond, Tensor a, Tensor b, int[] shape) {
    int n = Shapes.numel(shape);
    CpuStorage out = CpuStorage.allocate(a.dtype(), n);
    Tensor r = new Tensor(out, shape);
    if (n == 0) return r;
    CpuStorage sc = storage(cond);
    CpuStorage sa = storage(a);
    CpuStorage sb = storage(b);
    RowPlan plan = RowPlan.of(shape, r, cond, a, b);
    int len1 = plan.length();
    int cs = len1 == 1 ? 0 : plan.rowStride(1);
    int as = len1 == 1 ? 0 : plan.rowStride(2);
    int bs = len1 == 1 ? 0 : plan.rowStride(3);
    plan.forAll((at, len) -> {
      int o = at[0];
      int c = at[1];
      int i = at[2];
      int j = at[3];
      if (out.f != null && sc.l != null) {
        for (int e = 0; e < len; e++) {
          out.f[o + e] = sc.l[c + e * cs] != 0 ? sa.f[i + e * as] : sb.f[j + e * bs];
        }
      } else if (out.f != null && sc.f != null) {
        for (int e = 0; e < len; e++) {
          out.f[o + e] = sc.f[c + e * cs] != 0 ? sa.f[i + e * as] : sb.f[j + e * bs];
        }
      } else if (out.d != null && sc.l != null) {
        for (int e = 0; e < len; e++) {
          out.d[o + e] = sc.l[c + e * cs] != 0 ? sa.d[i + e * as] : sb.d[j + e * bs];
        }
      } else {
        for (int e = 0; e < len; e++) {
          out.set(o + e, sc.get(c + e * cs) != 0 ? sa.get(i + e * as) : sb.get(j + e * bs));
        }
      }
    });
    return r;
  }

  /**
   * {@code g * (x > 0)} in g's dtype, for relu's derivative: one pass, no mask tensor. NaN in x
   * gives 0, as the mask does.
   */
  static Tensor reluBackward(FloatKernels kernels, Tensor g, Tensor x) {
    int[] shape = g.shape();
    int n = g.numel();
    CpuStorage out = CpuStorage.allocate(g.dtype(), n);
    Tensor r = new Tensor(out, shape);
    if (n == 0) return r;
    CpuStorage sg = storage(g);
    CpuStorage sx = storage(x);
    RowPlan plan = RowPlan.of(shape, r, g, x);
    int gs = plan.length() == 1 ? 0 : plan.rowStride(1);
    int xs = plan.length() == 1 ? 0 : plan.rowStride(2);
    plan.forAll((at, len) -> {
      int o = at[0];
      int i = at[1];
      int j = at[2];
      if (out.f != null && sx.f != null) {
        if (gs == 1 && xs == 1) {
          kernels.reluBackward(sg.f, i, sx.f, j, out.f, o, len);
        } else {
          for (int e = 0; e < len; e++) out.f[o + e] = sx.f[j + e * xs] > 0 ? sg.f[i + e * gs] : 0f;
        }
      } else {
        for (int e = 0; e < len; e++) out.set(o + e, sx.get(j + e * xs) > 0 ? sg.get(i + e * gs) : 0);
      }
    });
    return r;
  }
}
