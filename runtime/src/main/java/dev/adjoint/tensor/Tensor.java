package dev.adjoint.tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * An immutable n-dimensional array: a shape, strides and an offset into a {@link Storage} that
 * views share, a {@link DType} and a {@link Device}. Operations follow PyTorch's names and
 * semantics (NumPy broadcasting, negative dimensions counted from the end) and return new
 * tensors; views ({@link #transpose}, {@link #slice}, {@link #broadcastTo}, ...) share storage
 * and copy nothing. Every shape, dtype or device mismatch throws an
 * {@link IllegalArgumentException} that names the operation and the shapes.
 */
public final class Tensor {
  private final Storage storage;
  private final int[] shape;
  private final int[] strides;
  private final int offset;
  /** The indices of this tensor's last max pooling, for its derivatives ({@link #maxPool2dIndices}). */
  private PoolMemo poolMemo;

  /** For backends: a view of {@code storage}. */
  public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
    this.storage = storage;
    this.shape = shape.clone();
    this.strides = strides.clone();
    this.offset = offset;
  }

  /** For backends: a contiguous tensor over all of {@code storage}. */
  public Tensor(Storage storage, int[] shape) {
    this(storage, shape, Shapes.contiguousStrides(shape), 0);
  }

  // ---------------------------------------------------------------- creation

  /**
   * A FLOAT32 tensor holding a copy of {@code data} in row-major order; its length must fill {@code
   * shape}.
   */
  public static Tensor of(float[] data, int... shape) {
    return create("Tensor.of", data.clone(), data.length, shape);
  }

  /**
   * A FLOAT64 tensor holding a copy of {@code data} in row-major order; its length must fill {@code
   * shape}.
   */
  public static Tensor of(double[] data, int... shape) {
    return create("Tensor.of", data.clone(), data.length, shape);
  }

  /** An INT64 tensor (indices, labels) holding a copy of {@code data} in row-major order. */
  public static Tensor of(long[] data, int... shape) {
    return create("Tensor.of", data.clone(), data.length, shape);
  }

  /** Data converted to {@code dtype}. */
  public static Tensor of(DType dtype, double[] data, int... shape) {
    return of(data, shape).to(dtype);
  }

  private static Tensor create(String op, Object array, int length, int[] shape) {
    checkShape(op, shape);
    if (Shapes.numel(shape) != length) {
      throw new IllegalArgumentException(op + ": " + length + " values do not fill shape "
          + Shapes.str(shape) + " (" + Shapes.numel(shape) + " elements)");
    }
    return new Tensor(Backends.get(Device.CPU).upload(array), shape);
  }

  private static void checkShape(String op, int[] shape) {
    for (int s : shape) {
      if (s < 0) throw new IllegalArgumentException(op + ": negative size in shape " + Shapes.str(shape));
    }
  }

  /** A FLOAT32 tensor of zeros. */
  public static Tensor zeros(int... shape) {
    return zeros(DType.FLOAT32, shape);
  }

  /** A tensor of zeros of {@code dtype}. */
  public static Tensor zeros(DType dtype, int... shape) {
    checkShape("zeros", shape);
    return new Tensor(Backends.get(Device.CPU).allocate(dtype, Shapes.numel(shape)), shape);
  }

  /** A FLOAT32 tensor of ones. */
  public static Tensor ones(int... shape) {
    return full(DType.FLOAT32, 1, shape);
  }

  /** A tensor of ones of {@code dtype}. */
  public static Tensor ones(DType dtype, int... shape) {
    return full(dtype, 1, shape);
  }

  /** A FLOAT32 tensor with every element {@code value}. */
  public static Tensor full(double value, int... shape) {
    return full(DType.FLOAT32, value, shape);
  }

  /** A tensor of {@code dtype} with every element {@code value}. */
  public static Tensor full(DType dtype, double value, int... shape) {
    checkShape("full", shape);
    double[] d = new double[Shapes.numel(shape)];
    Arrays.fill(d, value);
    return of(d, shape).to(dtype);
  }

  /** A 0-dimensional FLOAT32 tensor. */
  public static Tensor scalar(double value) {
    return scalar(DType.FLOAT32, value);
  }

  /** A 0-dimensional tensor of {@code dtype}. */
  public static Tensor scalar(DType dtype, double value) {
    return full(dtype, value);
  }

  /** {@code [0, 1, ..., n-1]} as FLOAT32. */
  public static Tensor arange(int n) {
    return arange(DType.FLOAT32, 0, n);
  }

  /** {@code [start, start+1, ..., end-1]}. */
  public static Tensor arange(DType dtype, int start, int end) {
    if (end < start) {
      throw new IllegalArgumentException("arange: end " + end + " is before start " + start);
    }
    double[] d = new double[end - start];
    for (int i = 0; i < d.length; i++) d[i] = start + i;
    return of(d, d.length).to(dtype);
  }

  /** Standard normal samples, FLOAT32, reproducible from the generator's seed. */
  public static Tensor randn(RandomGenerator random, int... shape) {
    return randn(DType.FLOAT32, random, shape);
  }

  /** Standard normal samples of {@code dtype}, reproducible from the generator's seed. */
  public static Tensor randn(DType dtype, RandomGenerator random, int... shape) {
    checkShape("randn", shape);
    double[] d = new double[Shapes.numel(shape)];
    for (int i = 0; i < d.length; i++) d[i] = random.nextGaussian();
    return of(d, shape).to(dtype);
  }

  /** Uniform samples in [0, 1), FLOAT32. */
  public static Tensor rand(RandomGenerator random, int... shape) {
    return rand(DType.FLOAT32, random, shape);
  }

  /** Uniform samples in [0, 1) of {@code dtype}, reproducible from the generator's seed. */
  public static Tensor rand(DType dtype, RandomGenerator random, int... shape) {
    checkShape("rand", shape);
    double[] d = new double[Shapes.numel(shape)];
    for (int i = 0; i < d.length; i++) d[i] = random.nextDouble();
    return of(d, shape).to(dtype);
  }

  /** Zeros of this tensor's shape, dtype and device. */
  public Tensor zerosLike() {
    return new Tensor(backend().allocate(dtype(), numel()), shape);
  }

  /** Ones of this tensor's shape, dtype and device. */
  public Tensor onesLike() {
    return full(dtype(), 1, shape).to(device());
  }

  // ---------------------------------------------------------------- properties

  /** The shape (a copy). */
  public int[] shape() {
    return shape.clone();
  }

  /** The size of one dimension (negative counts from the end). */
  public int size(int dim) {
    return shape[Shapes.dim("size", dim, shape.length)];
  }

  /** The number of dimensions (0 for a scalar). */
  public int dim() {
    return shape.length;
  }

  /** The number of elements. */
  public int numel() {
    return Shapes.numel(shape);
  }

  /** The element type. */
  public DType dtype() {
    return storage.dtype();
  }

  /** Where the data lives. */
  public Device device() {
    return storage.device();
  }

  /** For backends. */
  public Storage storage() {
    return storage;
  }

  /** For backends: strides in elements (a copy). */
  public int[] strides() {
    return strides.clone();
  }

  /** For backends: offset of the first element in the storage. */
  public int offset() {
    return offset;
  }

  /** Whether the elements lie in row-major order without gaps (a view may not). */
  public boolean isContiguous() {
    int expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != expected) return false;
      expected *= shape[i];
    }
    return true;
  }

  /** The value of a one-element tensor. */
  public double item() {
    if (numel() != 1) {
      throw new IllegalArgumentException("item: tensor of shape " + Shapes.str(shape)
          + " has " + numel() + " elements, not 1");
    }
    return toDoubleArray()[0];
  }

  /** One element, by index per dimension (negative indices count from the end). */
  public double get(int... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of shape "
          + Shapes.str(shape));
    }
    Tensor t = this;
    for (int d = index.length - 1; d >= 0; d--) {
      int i = index[d] < 0 ? index[d] + shape[d] : index[d];
      if (i < 0 || i >= shape[d]) {
        throw new IllegalArgumentException("get: index " + index[d] + " is out of range for "
            + "dimension " + d + " of size " + shape[d] + " (shape " + Shapes.str(shape) + ")");
      }
      t = t.slice(d, i, i + 1);
    }
    return t.item();
  }

  public float[] toFloatArray() {
    return (float[]) backend().download(to(DType.FLOAT32));
  }

  public double[] toDoubleArray() {
    return (double[]) backend().download(to(DType.FLOAT64));
  }

  public long[] toLongArray() {
    return (long[]) backend().download(to(DType.INT64));
  }

  // ---------------------------------------------------------------- conversion

  public Tensor to(DType dtype) {
    return dtype == dtype() ? this : backend().copy(this, dtype);
  }

  /** A copy on another device (this tensor when already there). */
  public Tensor to(Device device) {
    if (device == device()) return this;
    Backend target = Backends.get(device);
    Tensor c = contiguous();
    return new Tensor(target.upload(c.backend().download(c)), shape);
  }

  /** The same values, cut from differentiation: its derivative is zero. */
  public Tensor detach() {
    return this;
  }

  /** This tensor if contiguous, else a contiguous copy. */
  public Tensor contiguous() {
    return isContiguous() && offset == 0 && storage.length() == numel() ? this
        : backend().copy(this, dtype());
  }

  private Backend backend() {
    return Backends.get(device());
  }

  private Backend backendFor(String op, Tensor other) {
    if (other.device() != device()) {
      throw new IllegalArgumentException(op + ": tensors are on different devices ("
          + device() + " " + Shapes.str(shape) + " and " + other.device() + " "
          + Shapes.str(other.shape) + "); move one with to(Device)");
    }
    return backend();
  }

  // ---------------------------------------------------------------- element-wise

  /** {@code this + other}, broadcast. */
  public Tensor add(Tensor other) {
    return binary("add", Backend.BinaryOp.ADD, other);
  }

  /** {@code this - other}, broadcast. */
  public Tensor sub(Tensor other) {
    return binary("sub", Backend.BinaryOp.SUB, other);
  }

  /** {@code this * other} element-wise, broadcast. */
  public Tensor mul(Tensor other) {
    return binary("mul", Backend.BinaryOp.MUL, other);
  }

  /** True division: integer tensors give FLOAT32. */
  public Tensor div(Tensor other) {
    return binary("div", Backend.BinaryOp.DIV, other);
  }

  /** {@code this ^ exponent} element-wise, broadcast; integer tensors give FLOAT32. */
  public Tensor pow(Tensor exponent) {
    return binary("pow", Backend.BinaryOp.POW, exponent);
  }

  /** Element-wise maximum of two tensors. */
  public Tensor maximum(Tensor other) {
    return binary("maximum", Backend.BinaryOp.MAX, other);
  }

  /** Element-wise minimum of two tensors. */
  public Tensor minimum(Tensor other) {
    return binary("minimum", Backend.BinaryOp.MIN, other);
  }

  /** 1 where this > other, else 0 (INT64; no derivative). */
  public Tensor gt(Tensor other) {
    return binary("gt", Backend.BinaryOp.GT, other);
  }

  /** 1 where this &lt; other, else 0 (INT64; no derivative). */
  public Tensor lt(Tensor other) {
    return binary("lt", Backend.BinaryOp.LT, other);
  }

  /** 1 where this == other, else 0 (INT64; no derivative). */
  public Tensor eq(Tensor other) {
    return binary("eq", Backend.BinaryOp.EQ, other);
  }

  /** {@code this + v}; the scalar takes this tensor's dtype. */
  public Tensor add(double v) {
    return add(scalarLike(v));
  }

  /** {@code this - v}; the scalar takes this tensor's dtype. */
  public Tensor sub(double v) {
    return sub(scalarLike(v));
  }

  /** {@code this * v}; the scalar takes this tensor's dtype. */
  public Tensor mul(double v) {
    return mul(scalarLike(v));
  }

  /** {@code this / v}; integer tensors give FLOAT32. */
  public Tensor div(double v) {
    return div(scalarLike(v));
  }

  /** 1 where this &gt; v, else 0 (INT64; no derivative). */
  public Tensor gt(double v) {
    return gt(scalarLike(v));
  }

  /** 1 where this &lt; v, else 0 (INT64; no derivative). */
  public Tensor lt(double v) {
    return lt(scalarLike(v));
  }

  /** 1 where this == v, else 0 (INT64; no derivative). */
  public Tensor eq(double v) {
    return eq(scalarLike(v));
  }

  /** A scalar operand: it takes this tensor's floating type (as in PyTorch). */
  private Tensor scalarLike(double v) {
    DType t = dtype().isFloating() || v == Math.rint(v) ? dtype() : DType.FLOAT32;
    return full(t, v).to(device());
  }

  private Tensor binary(String op, Backend.BinaryOp kind, Tensor other) {
    Backend b = backendFor(op, other);
    int[] out = Shapes.broadcast(op, shape, other.shape);
    DType result = DType.promote(dtype(), other.dtype());
    switch (kind) {
      case GT:
      case LT:
      case EQ:
        result = DType.INT64;
        break;
      case DIV:
      case POW:
        if (result == DType.INT64) result = DType.FLOAT32;
        break;
      default:
        break;
    }
    return b.binary(kind, broadcastTo(out), other.broadcastTo(out), out, result);
  }

  /** {@code -this}. */
  public Tensor neg() {
    return unary(Backend.UnaryOp.NEG, 0);
  }

  /** Element-wise e^x (integer tensors give FLOAT32, as for every transcendental function here). */
  public Tensor exp() {
    return floating("exp").unary(Backend.UnaryOp.EXP, 0);
  }

  /** Element-wise natural logarithm. */
  public Tensor log() {
    return floating("log").unary(Backend.UnaryOp.LOG, 0);
  }

  /** {@code log(1 + x)}, accurate where x is small. */
  public Tensor log1p() {
    return floating("log1p").unary(Backend.UnaryOp.LOG1P, 0);
  }

  /** The error function {@code 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt}. */
  public Tensor erf() {
    return floating("erf").unary(Backend.UnaryOp.ERF, 0);
  }

  /** Element-wise square root. */
  public Tensor sqrt() {
    return floating("sqrt").unary(Backend.UnaryOp.SQRT, 0);
  }

  /** Element-wise absolute value (derivative 0 at 0, as in PyTorch). */
  public Tensor abs() {
    return unary(Backend.UnaryOp.ABS, 0);
  }

  /** Element-wise hyperbolic tangent. */
  public Tensor tanh() {
    return floating("tanh").unary(Backend.UnaryOp.TANH, 0);
  }

  /** Element-wise {@code 1 / (1 + e^-x)}. */
  public Tensor sigmoid() {
    return floating("sigmoid").unary(Backend.UnaryOp.SIGMOID, 0);
  }

  /** Element-wise {@code max(x, 0)} (derivative 0 at 0). */
  public Tensor relu() {
    return unary(Backend.UnaryOp.RELU, 0);
  }

  /** Element-wise sine. */
  public Tensor sin() {
    return floating("sin").unary(Backend.UnaryOp.SIN, 0);
  }

  /** Element-wise cosine. */
  public Tensor cos() {
    return floating("cos").unary(Backend.UnaryOp.COS, 0);
  }

  /** Element-wise {@code x^p}. */
  public Tensor pow(double p) {
    return floating("pow").unary(Backend.UnaryOp.POW, p);
  }

  /** -1, 0 or 1 by sign (no derivative). */
  public Tensor sign() {
    return unary(Backend.UnaryOp.SIGN, 0);
  }

  /** Values limited to [min, max]. */
  public Tensor clamp(double min, double max) {
    if (min > max) {
      throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
    }
    return unary(Backend.UnaryOp.CLAMP_MIN, min).unary(Backend.UnaryOp.CLAMP_MAX, max);
  }

  private Tensor floating(String op) {
    return dtype().isFloating() ? this : to(DType.FLOAT32);
  }

  private Tensor unary(Backend.UnaryOp op, double parameter) {
    return backend().unary(op, this, parameter);
  }

  /** {@code cond != 0 ? a : b}, broadcast together. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    a.backendFor("where", b);
    a.backendFor("where", cond);
    if (a.dtype() != b.dtype()) {
      throw new IllegalArgumentException("where: dtypes differ (" + a.dtype() + " "
          + Shapes.str(a.shape) + " and " + b.dtype() + " " + Shapes.str(b.shape) + ")");
    }
    int[] out = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape),
        b.shape);
    return a.backend().where(cond.broadcastTo(out), a.broadcastTo(out), b.broadcastTo(out), out);
  }

  // ---------------------------------------------------------------- linear algebra

  /**
   * Matrix product with PyTorch's rules: 1-D operands are promoted to matrices (and the added
   * dimension removed again), leading batch dimensions broadcast.
   */
  public Tensor matmul(Tensor other) {
    String op = "matmul";
    Backend b = backendFor(op, other);
    if (dim() == 0 || other.dim() == 0) {
      throw new IllegalArgumentException(op + ": both operands need at least one dimension, got "
          + Shapes.str(shape) + " and " + Shapes.str(other.shape));
    }
    if (dtype() != other.dtype()) {
      throw new IllegalArgumentException(op + ": dtypes differ (" + dtype() + " "
          + Shapes.str(shape) + " and " + other.dtype() + " " + Shapes.str(other.shape) + ")");
    }
    Tensor a = dim() == 1 ? unsqueeze(0) : this;
    Tensor c = other.dim() == 1 ? other.unsqueeze(1) : other;
    int k = a.shape[a.dim() - 1];
    if (c.shape[c.dim() - 2] != k) {
      throw new IllegalArgumentException(op + ": shapes " + Shapes.str(shape) + " and "
          + Shapes.str(other.shape) + " do not chain (" + k + " columns against "
          + c.shape[c.dim() - 2] + " rows)");
    }
    int[] batchA = Arrays.copyOf(a.shape, a.dim() - 2);
    int[] batchC = Arrays.copyOf(c.shape, c.dim() - 2);
    int[] batch = Shapes.broadcast(op, batchA, batchC);
    int[] sa = concat(batch, a.shape[a.dim() - 2], k);
    int[] sc = concat(batch, k, c.shape[c.dim() - 1]);
    Tensor result = b.matmul(a.broadcastTo(sa), c.broadcastTo(sc));
    if (other.dim() == 1) result = result.squeeze(-1);
    if (dim() == 1) result = result.squeeze(other.dim() == 1 ? -1 : -2);
    return result;
  }

  private static int[] concat(int[] head, int... tail) {
    int[] out = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }

  // ---------------------------------------------------------------- views

  /** Swaps two dimensions (a view). */
  public Tensor transpose(int d0, int d1) {
    int a = Shapes.dim("transpose", d0, dim());
    int b = Shapes.dim("transpose", d1, dim());
    int[] order = new int[dim()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    order[a] = b;
    order[b] = a;
    return permute(order);
  }

  /** Reorders dimensions (a view). */
  public Tensor permute(int... order) {
    if (order.length != dim()) {
      throw new IllegalArgumentException("permute: " + Arrays.toString(order)
          + " does not name every dimension of a tensor of shape " + Shapes.str(shape));
    }
    boolean[] seen = new boolean[dim()];
    int[] s = new int[dim()];
    int[] st = new int[dim()];
    for (int i = 0; i < order.length; i++) {
      int d = Shapes.dim("permute", order[i], dim());
      if (seen[d]) {
        throw new IllegalArgumentException("permute: dimension " + order[i] + " repeats in "
            + Arrays.toString(order));
      }
      seen[d] = true;
      s[i] = shape[d];
      st[i] = strides[d];
    }
    return new Tensor(storage, s, st, offset);
  }

  /** The same elements in a new shape; one size may be -1. A view when contiguous. */
  public Tensor reshape(int... newShape) {
    int[] s = inferShape("reshape", newShape);
    Tensor c = isContiguous() ? this : contiguous();
    return new Tensor(c.storage, s, Shapes.contiguousStrides(s), c.offset);
  }

  /** As {@link #reshape}, but only for contiguous tensors, never copying. */
  public Tensor view(int... newShape) {
    if (!isContiguous()) {
      throw new IllegalArgumentException("view: tensor of shape " + Shapes.str(shape)
          + " is not contiguous; use reshape (which copies) or contiguous() first");
    }
    return reshape(newShape);
  }

  private int[] inferShape(String op, int[] newShape) {
    int[] s = newShape.clone();
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (unknown >= 0) {
          throw new IllegalArgumentException(op + ": more than one -1 in " + Shapes.str(newShape));
        }
        unknown = i;
      } else if (s[i] < 0) {
        throw new IllegalArgumentException(op + ": negative size in " + Shapes.str(newShape));
      } else {
        known *= s[i];
      }
    }
    if (unknown >= 0) {
      if (known == 0 || numel() % known != 0) {
        throw new IllegalArgumentException(op + ": cannot reshape " + Shapes.str(shape) + " ("
            + numel() + " elements) to " + Shapes.str(newShape));
      }
      s[unknown] = (int) (numel() / known);
    }
    if (Shapes.numel(s) != numel()) {
      throw new IllegalArgumentException(op + ": cannot reshape " + Shapes.str(shape) + " ("
          + numel() + " elements) to " + Shapes.str(newShape) + " (" + Shapes.numel(s)
          + " elements)");
    }
    return s;
  }

  /** A 1-D view (or copy) of all elements. */
  public Tensor flatten() {
    return reshape(-1);
  }

  /** Removes every dimension of size 1. */
  public Tensor squeeze() {
    int n = 0;
    for (int s : shape) if (s != 1) n++;
    int[] s = new int[n];
    int[] st = new int[n];
    int j = 0;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] != 1) {
        s[j] = shape[i];
        st[j++] = strides[i];
      }
    }
    return new Tensor(storage, s, st, offset);
  }

  /** Removes dimension {@code dim} if its size is 1 (else returns this tensor, as PyTorch). */
  public Tensor squeeze(int dim) {
    int d = Shapes.dim("squeeze", dim, dim());
    if (shape[d] != 1) return this;
    int[] s = new int[dim() - 1];
    int[] st = new int[dim() - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i == d) continue;
      s[j] = shape[i];
      st[j++] = strides[i];
    }
    return new Tensor(storage, s, st, offset);
  }

  /** Inserts a dimension of size 1 at {@code dim} (in [-dim()-1, dim()]). */
  public Tensor unsqueeze(int dim) {
    int d = Shapes.dim("unsqueeze", dim, dim() + 1);
    int[] s = new int[dim() + 1];
    int[] st = new int[dim() + 1];
    for (int i = 0, j = 0; i < s.length; i++) {
      if (i == d) {
        s[i] = 1;
        st[i] = d < dim() ? strides[d] * shape[d] : 1;
      } else {
        s[i] = shape[j];
        st[i] = strides[j++];
      }
    }
    return new Tensor(storage, s, st, offset);
  }

  /** A view with NumPy broadcasting to {@code target} (stride 0 along expanded dimensions). */
  public Tensor broadcastTo(int... target) {
    if (Arrays.equals(target, shape)) return this;
    if (target.length < dim()) {
      throw new IllegalArgumentException("broadcastTo: cannot broadcast " + Shapes.str(shape)
          + " to fewer dimensions " + Shapes.str(target));
    }
    int[] st = new int[target.length];
    int lead = target.length - dim();
    for (int i = 0; i < target.length; i++) {
      if (i < lead) {
        st[i] = 0;
        continue;
      }
      int s = shape[i - lead];
      if (s == target[i]) {
        st[i] = strides[i - lead];
      } else if (s == 1) {
        st[i] = 0;
      } else {
        throw new IllegalArgumentException("broadcastTo: cannot broadcast " + Shapes.str(shape)
            + " to " + Shapes.str(target) + " (dimension " + i + ": " + s + " vs " + target[i]
            + ")");
      }
    }
    return new Tensor(storage, target, st, offset);
  }

  /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code dim}. */
  public Tensor slice(int dim, int start, int end) {
    int d = Shapes.dim("slice", dim, dim());
    int n = shape[d];
    int s = start < 0 ? start + n : start;
    int e = end < 0 ? end + n : end;
    if (s < 0 || e > n || s > e) {
      throw new IllegalArgumentException("slice: [" + start + ", " + end + ") is out of range "
          + "for dimension " + dim + " of size " + n + " (shape " + Shapes.str(shape) + ")");
    }
    int[] sh = shape.clone();
    sh[d] = e - s;
    return new Tensor(storage, sh, strides, offset + s * strides[d]);
  }

  /**
   * Sums broadcast dimensions away so that the result has {@code target}'s shape (PyTorch's
   * {@code sum_to_size}): the inverse of {@link #broadcastTo}, and how gradients of broadcast
   * operands are reduced, in one place.
   */
  public Tensor sumToSize(int... target) {
    if (Arrays.equals(target, shape)) return this;
    int lead = dim() - target.length;
    if (lead < 0) {
      throw new IllegalArgumentException("sumToSize: cannot reduce " + Shapes.str(shape)
          + " to more dimensions " + Shapes.str(target));
    }
    Tensor t = this;
    for (int i = 0; i < lead; i++) t = t.sum(0, false);
    for (int i = 0; i < target.length; i++) {
      if (target[i] == 1 && t.shape[i] != 1) {
        t = t.sum(i, true);
      } else if (target[i] != t.shape[i]) {
        throw new IllegalArgumentException("sumToSize: cannot reduce " + Shapes.str(shape)
            + " to " + Shapes.str(target) + " (dimension " + i + ")");
      }
    }
    return t;
  }

  // ---------------------------------------------------------------- indexing and joining

  /** Rows (along {@code dim}) picked by a 1-D INT64 index. */
  public Tensor indexSelect(int dim, Tensor index) {
    int d = Shapes.dim("indexSelect", dim, dim());
    backendFor("indexSelect", index);
    if (index.dtype() != DType.INT64 || index.dim() != 1) {
      throw new IllegalArgumentException("indexSelect: index must be a 1-D INT64 tensor, got "
          + index.dtype() + " " + Shapes.str(index.shape));
    }
    return backend().indexSelect(this, d, index);
  }

  /** PyTorch's gather: {@code out[i][j] = this[i][index[i][j]]} for {@code dim = 1}. */
  public Tensor gather(int dim, Tensor index) {
    int d = Shapes.dim("gather", dim, dim());
    backendFor("gather", index);
    if (index.dtype() != DType.INT64 || index.dim() != dim()) {
      throw new IllegalArgumentException("gather: index must be an INT64 tensor with "
          + dim() + " dimensions, got " + index.dtype() + " " + Shapes.str(index.shape)
          + " for input " + Shapes.str(shape));
    }
    for (int i = 0; i < dim(); i++) {
      if (i != d && index.shape[i] > shape[i]) {
        throw new IllegalArgumentException("gather: index shape " + Shapes.str(index.shape)
            + " exceeds input shape " + Shapes.str(shape) + " in dimension " + i);
      }
    }
    return backend().gather(this, d, index);
  }

  /** Concatenation along {@code dim}. */
  public static Tensor cat(int dim, Tensor... xs) {
    if (xs.length == 0) throw new IllegalArgumentException("cat: no tensors");
    Tensor first = xs[0];
    int d = Shapes.dim("cat", dim, first.dim());
    for (Tensor x : xs) {
      first.backendFor("cat", x);
      boolean same = x.dim() == first.dim() && x.dtype() == first.dtype();
      for (int i = 0; same && i < x.dim(); i++) same = i == d || x.shape[i] == first.shape[i];
      if (!same) {
        throw new IllegalArgumentException("cat: " + x.dtype() + " " + Shapes.str(x.shape)
            + " does not match " + first.dtype() + " " + Shapes.str(first.shape)
            + " outside dimension " + dim);
      }
    }
    return first.backend().cat(xs, d);
  }

  /** Stacks equally shaped tensors along a new dimension. */
  public static Tensor stack(int dim, Tensor... xs) {
    if (xs.length == 0) throw new IllegalArgumentException("stack: no tensors");
    Tensor[] u = new Tensor[xs.length];
    for (int i = 0; i < xs.length; i++) {
      if (!Arrays.equals(xs[i].shape, xs[0].shape)) {
        throw new IllegalArgumentException("stack: shapes " + Shapes.str(xs[0].shape) + " and "
            + Shapes.str(xs[i].shape) + " differ");
      }
      u[i] = xs[i].unsqueeze(dim);
    }
    return cat(dim < 0 ? dim : dim, u);
  }

  // ---------------------------------------------------------------- image operations (NCHW)

  /**
   * im2col: the {@code k x k} windows of an {@code [N, C, H, W]} tensor as the columns of
   * {@code [N, C*k*k, OH*OW]} (PyTorch's {@code unfold}); outside the image reads 0.
   */
  public Tensor unfold(int kernel, int stride, int padding, int dilation) {
    return unfold("unfold", kernel, stride, padding, dilation, 0);
  }

  private Tensor unfold(String op, int kernel, int stride, int padding, int dilation,
      double padValue) {
    if (dim() != 4) {
      throw new IllegalArgumentException(op + ": expected an [N, C, H, W] tensor, got "
          + Shapes.str(shape));
    }
    Backend.Window w = window(op, kernel, stride, padding, dilation);
    return backend().unfold(this, w, padValue);
  }

  private Backend.Window window(String op, int kernel, int stride, int padding, int dilation) {
    if (kernel < 1 || stride < 1 || padding < 0 || dilation < 1) {
      throw new IllegalArgumentException(op + ": kernel " + kernel + ", stride " + stride
          + ", padding " + padding + ", dilation " + dilation + " must be positive (padding "
          + "non-negative)");
    }
    Backend.Window w = new Backend.Window(kernel, stride, padding, dilation);
    if (w.out(shape[2]) < 1 || w.out(shape[3]) < 1) {
      throw new IllegalArgumentException(op + ": a " + kernel + "x" + kernel + " window (dilation "
          + dilation + ", padding " + padding + ") does not fit input " + Shapes.str(shape));
    }
    return w;
  }

  /**
   * col2im, the adjoint of {@link #unfold}: {@code [N, C*k*k, OH*OW]} windows summed back into
   * {@code [N, C, height, width]}.
   */
  public Tensor fold(int height, int width, int kernel, int stride, int padding, int dilation) {
    String op = "fold";
    if (dim() != 3 || shape[1] % (kernel * kernel) != 0) {
      throw new IllegalArgumentException(op + ": expected [N, C*" + kernel + "*" + kernel
          + ", L] columns, got " + Shapes.str(shape));
    }
    int channels = shape[1] / (kernel * kernel);
    Backend.Window w = new Backend.Window(kernel, stride, padding, dilation);
    if (w.out(height) * w.out(width) != shape[2]) {
      throw new IllegalArgumentException(op + ": " + shape[2] + " columns do not match a "
          + height + "x" + width + " image with a " + kernel + "x" + kernel + " window ("
          + w.out(height) * w.out(width) + " windows)");
    }
    return backend().fold(this, channels, height, width, w);
  }

  /** {@code conv2d(weight, null, 1, 0, 1, 1)}. */
  public Tensor conv2d(Tensor weight) {
    return conv2d(weight, null, 1, 0, 1, 1);
  }

  /**
   * 2-D convolution (cross-correlation, as in PyTorch) of an {@code [N, C, H, W]} input with an
   * {@code [O, C/groups, k, k]} weight and an optional {@code [O]} bias: im2col and the matmul.
   */
  public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding, int dilation,
      int groups) {
    String op = "conv2d";
    int[] ws = weight.shape;
    checkConv(op, ws, groups);
    backendFor(op, weight);
    if (bias != null && (bias.dim() != 1 || bias.shape[0] != ws[0])) {
      throw new IllegalArgumentException(op + ": bias must have shape [" + ws[0] + "], got "
          + Shapes.str(bias.shape));
    }
    int n = shape[0];
    int k = ws[2];
    Backend.Window w = window(op, k, stride, padding, dilation);
    int cg = ws[1];
    int og = ws[0] / groups;
    int windows = w.out(shape[2]) * w.out(shape[3]);
    Tensor fused = groups == 1 ? backend().conv2d(this, weight, w) : null;
    Tensor out;
    if (fused != null) {
      out = fused.reshape(n, ws[0], w.out(shape[2]), w.out(shape[3]));
    } else {
      Tensor cols = backend().unfold(this, w, 0).reshape(n, groups, cg * k * k, windows);
      out = weight.reshape(groups, og, cg * k * k).matmul(cols)
          .reshape(n, ws[0], w.out(shape[2]), w.out(shape[3]));
    }
    return bias == null ? out : out.add(bias.reshape(1, ws[0], 1, 1));
  }

  private void checkConv(String op, int[] ws, int groups) {
    if (dim() != 4 || ws.length != 4) {
      throw new IllegalArgumentException(op + ": expected input [N, C, H, W] and weight [O, "
          + "C/groups, k, k], got " + Shapes.str(shape) + " and " + Shapes.str(ws));
    }
    if (groups < 1 || shape[1] % groups != 0 || ws[0] % groups != 0
        || ws[1] * groups != shape[1]) {
      throw new IllegalArgumentException(op + ": input " + Shapes.str(shape) + " and weight "
          + Shapes.str(ws) + " do not fit " + groups + " group(s) (weight needs "
          + (groups > 0 ? shape[1] / Math.max(1, groups) : 0) + " input channels per group)");
    }
    if (ws[2] != ws[3]) {
      throw new IllegalArgumentException(op + ": only square kernels are supported, got "
          + Shapes.str(ws));
    }
  }

  /** The gradient of {@code conv2d} with respect to its input (a transposed convolution). */
  public static Tensor conv2dInputGrad(int[] inputShape, Tensor weight, Tensor grad, int stride,
      int padding, int dilation, int groups) {
    int[] ws = weight.shape;
    if (groups == 1) {
      Tensor fused = grad.backendFor("conv2d", weight).conv2dInputGrad(grad, weight,
          inputShape.clone(), new Backend.Window(ws[2], stride, padding, dilation));
      if (fused != null) return fused;
    }
    int k = ws[2];
    int cg = ws[1];
    int og = ws[0] / groups;
    int n = grad.shape[0];
    int windows = grad.shape[2] * grad.shape[3];
    Tensor gcols = weight.reshape(groups, og, cg * k * k).transpose(1, 2)
        .matmul(grad.reshape(n, groups, og, windows)).reshape(n, inputShape[1] * k * k, windows);
    return gcols.fold(inputShape[2], inputShape[3], k, stride, padding, dilation);
  }

  /** The gradient of {@code conv2d} with respect to its weight. */
  public static Tensor conv2dWeightGrad(Tensor input, int[] weightShape, Tensor grad, int stride,
      int padding, int dilation, int groups) {
    if (groups == 1) {
      Tensor fused = input.backendFor("conv2d", grad).conv2dWeightGrad(input, grad,
          weightShape.clone(), new Backend.Window(weightShape[2], stride, padding, dilation));
      if (fused != null) return fused;
    }
    int k = weightShape[2];
    int cg = weightShape[1];
    int og = weightShape[0] / groups;
    int n = grad.shape[0];
    int windows = grad.shape[2] * grad.shape[3];
    Tensor cols = input.unfold(k, stride, padding, dilation).reshape(n, groups, cg * k * k,
        windows);
    return grad.reshape(n, groups, og, windows).matmul(cols.transpose(2, 3)).sum(0, false)
        .reshape(weightShape);
  }

  /** Max pooling over {@code k x k} windows of an {@code [N, C, H, W]} tensor. */
  public Tensor maxPool2d(int kernel, int stride, int padding) {
    return pool("maxPool2d", kernel, stride, padding, true);
  }

  /** Average pooling over {@code k x k} windows; padding counts as zeros (PyTorch's default). */
  public Tensor avgPool2d(int kernel, int stride, int padding) {
    return pool("avgPool2d", kernel, stride, padding, false);
  }

  private Tensor pool(String op, int kernel, int stride, int padding, boolean max) {
    if (dim() != 4) {
      throw new IllegalArgumentException(op + ": expected an [N, C, H, W] tensor, got "
          + Shapes.str(shape));
    }
    if (2 * padding > kernel) {
      throw new IllegalArgumentException(op + ": padding " + padding + " is more than half the "
          + "kernel " + kernel);
    }
    Backend.Window w = window(op, kernel, stride, padding, 1);
    if (max) return maxPoolWithIndices(w)[0];
    Tensor cols = poolWindows(op, kernel, stride, padding, false);
    return cols.mean(1, false).reshape(shape[0], shape[1], w.out(shape[2]), w.out(shape[3]));
  }

  /**
   * The indices that {@link #maxPool2d} took its values from (INT64 {@code [N, C, OH, OW]}, flat
   * within each {@code H x W} plane, as PyTorch's {@code return_indices=True}): what its
   * derivatives gather and scatter through. Kept from the forward pass when this tensor was
   * pooled with the same window last, else computed again.
   */
  Tensor maxPool2dIndices(int kernel, int stride, int padding) {
    PoolMemo m = poolMemo;
    if (m != null && m.kernel == kernel && m.stride == stride && m.padding == padding) {
      return m.indices;
    }
    return maxPoolWithIndices(window("maxPool2d", kernel, stride, padding, 1))[1];
  }

  /** What the last max pooling of this tensor chose (an optimization, invisible otherwise). */
  private record PoolMemo(int kernel, int stride, int padding, Tensor indices) {}

  private Tensor[] maxPoolWithIndices(Backend.Window w) {
    Tensor[] vi = backend().maxPool2d(this, w);
    if (vi == null) vi = maxPoolComposed(w);
    poolMemo = new PoolMemo(w.kernel(), w.stride(), w.padding(), vi[1]);
    return vi;
  }

  /**
   * Max pooling from {@link #unfold} and reductions, for backends without a kernel of their
   * own: the window position of each maximum is mapped to its plane index through a table
   * built here (padding positions map to the window's first element inside the image, which
   * is where an all -inf window's maximum is, as in PyTorch).
   */
  Tensor[] maxPoolComposed(Backend.Window w) {
    int k = w.kernel();
    int oh = w.out(shape[2]);
    int ow = w.out(shape[3]);
    int windows = oh * ow;
    Tensor cols = poolWindows("maxPool2d", k, w.stride(), w.padding(), true);
    Tensor values = cols.max(1, false).reshape(shape[0], shape[1], oh, ow);
    long[] table = new long[k * k * windows];
    for (int l = 0; l < windows; l++) {
      int y0 = (l / ow) * w.stride() - w.padding();
      int x0 = (l % ow) * w.stride() - w.padding();
      long first = (long) Math.max(0, y0) * shape[3] + Math.max(0, x0);
      for (int kk = 0; kk < k * k; kk++) {
        int iy = y0 + kk / k;
        int ix = x0 + kk % k;
        boolean inside = iy >= 0 && iy < shape[2] && ix >= 0 && ix < shape[3];
        table[kk * windows + l] = inside ? (long) iy * shape[3] + ix : first;
      }
    }
    Tensor indices = of(table, k * k, windows).to(device()).gather(0, cols.argmax(1))
        .reshape(shape[0], shape[1], oh, ow);
    return new Tensor[] {values, indices};
  }

  /**
   * The adjoint of {@link #gather}: zeros of {@code shape} in src's dtype, with each element of
   * {@code src} added at the position {@code index} names along {@code dim} ({@code src} has
   * index's shape). PyTorch's {@code zeros(shape).scatter_add_(dim, index, src)}.
   */
  static Tensor gatherBackward(int[] shape, int dim, Tensor index, Tensor src) {
    Tensor fused = src.backendFor("gather", index).gatherBackward(shape, dim, index, src);
    return fused != null ? fused : gatherBackwardComposed(shape, dim, index, src);
  }

  /** {@link #gatherBackward} for backends without a kernel of its own: a one-hot product. */
  static Tensor gatherBackwardComposed(int[] shape, int dim, Tensor index, Tensor src) {
    int size = shape[dim];
    int[] at = new int[index.dim() + 1];
    Arrays.fill(at, 1);
    at[index.dim()] = size;
    Tensor oneHot = index.unsqueeze(-1).eq(arange(DType.INT64, 0, size).to(src.device())
        .reshape(at)).to(src.dtype());
    Tensor spread = src.unsqueeze(-1).mul(oneHot).sum(dim, true);
    int[] order = new int[index.dim() + 1];
    for (int i = 0; i < order.length; i++) order[i] = i;
    order[dim] = index.dim();
    order[index.dim()] = dim;
    return spread.permute(order).squeeze(-1).sumToSize(shape).broadcastTo(shape);
  }

  /** relu's derivative applied to {@code g}: {@code g * (x > 0)}, in g's dtype. */
  static Tensor reluBackward(Tensor g, Tensor x) {
    if (!Arrays.equals(g.shape, x.shape)) {
      throw new IllegalArgumentException("reluBackward: shapes " + Shapes.str(g.shape) + " and "
          + Shapes.str(x.shape) + " differ");
    }
    Tensor fused = g.backendFor("reluBackward", x).reluBackward(g, x);
    return fused != null ? fused : g.mul(x.gt(0).to(g.dtype()));
  }

  /** {@code [N*C, k*k, OH*OW]}: every pooling window as a column (padding -inf for max). */
  Tensor poolWindows(String op, int kernel, int stride, int padding, boolean max) {
    return reshape(shape[0] * shape[1], 1, shape[2], shape[3]).unfold(op, kernel, stride,
        padding, 1, max ? Double.NEGATIVE_INFINITY : 0);
  }

  // ---------------------------------------------------------------- reductions

  /**
   * The sum of all elements, a 0-dimensional tensor (FLOAT32 sums are blocked and carried in
   * double).
   */
  public Tensor sum() {
    return backend().reduce(Backend.ReduceOp.SUM, this, -1, false);
  }

  /** Sums along {@code dim}; {@code keepDim} keeps it with size 1. */
  public Tensor sum(int dim, boolean keepDim) {
    return backend().reduce(Backend.ReduceOp.SUM, this, Shapes.dim("sum", dim, dim()), keepDim);
  }

  /** The mean of all elements, a 0-dimensional floating tensor; an empty tensor is an error. */
  public Tensor mean() {
    requireElements("mean");
    return floating("mean").sum().div(numel());
  }

  /** Means along {@code dim}; {@code keepDim} keeps it with size 1. */
  public Tensor mean(int dim, boolean keepDim) {
    int d = Shapes.dim("mean", dim, dim());
    if (shape[d] == 0) {
      throw new IllegalArgumentException("mean: dimension " + dim + " of " + Shapes.str(shape)
          + " is empty");
    }
    return floating("mean").sum(d, keepDim).div(shape[d]);
  }

  /** Largest values along {@code dim}. */
  public Tensor max(int dim, boolean keepDim) {
    int d = Shapes.dim("max", dim, dim());
    requireExtent("max", d);
    return backend().reduce(Backend.ReduceOp.MAX, this, d, keepDim);
  }

  /** The largest element. */
  public Tensor max() {
    requireElements("max");
    return backend().reduce(Backend.ReduceOp.MAX, this, -1, false);
  }

  /** Indices (INT64) of the largest values along {@code dim}; the first on ties. */
  public Tensor argmax(int dim) {
    int d = Shapes.dim("argmax", dim, dim());
    requireExtent("argmax", d);
    return backend().reduce(Backend.ReduceOp.ARGMAX, this, d, false);
  }

  private void requireElements(String op) {
    if (numel() == 0) {
      throw new IllegalArgumentException(op + ": tensor of shape " + Shapes.str(shape)
          + " is empty");
    }
  }

  private void requireExtent(String op, int d) {
    if (shape[d] == 0) {
      throw new IllegalArgumentException(op + ": dimension " + d + " of " + Shapes.str(shape)
          + " is empty");
    }
  }

  /** {@code log(sum(exp(x)))} along {@code dim}, computed stably (max subtracted first). */
  public Tensor logSumExp(int dim) {
    int d = Shapes.dim("logSumExp", dim, dim());
    requireExtent("logSumExp", d);
    Tensor m = floating("logSumExp").max(d, true).detach();
    return sub(m).exp().sum(d, true).log().add(m).squeeze(d);
  }

  /** Softmax along {@code dim}, computed stably (max subtracted first). */
  public Tensor softmax(int dim) {
    int d = Shapes.dim("softmax", dim, dim());
    requireExtent("softmax", d);
    Tensor e = floating("softmax").sub(max(d, true).detach()).exp();
    return e.div(e.sum(d, true));
  }

  /** Log-softmax along {@code dim}: {@code x - logSumExp(x)}, computed stably. */
  public Tensor logSoftmax(int dim) {
    int d = Shapes.dim("logSoftmax", dim, dim());
    return floating("logSoftmax").sub(logSumExp(d).unsqueeze(d));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Tensor(").append(dtype()).append(' ')
        .append(Shapes.str(shape));
    if (numel() <= 16) {
      b.append(' ').append(dtype() == DType.INT64 ? Arrays.toString(toLongArray())
          : Arrays.toString(toDoubleArray()));
    }
    if (device() != Device.CPU) b.append(" on ").append(device());
    return b.append(')').toString();
  }
}
