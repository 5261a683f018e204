package dev.adjoint.tensor;

import java.util.Arrays;

/** Shape arithmetic: sizes, strides, broadcasting, dimension normalization. */
public final class Shapes {
  private Shapes() {}

  /** The number of elements of a shape; more than {@code Integer.MAX_VALUE} is an error. */
  public static int numel(int[] shape) {
    long n = 1;
    for (int s : shape) n *= s;
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + str(shape) + " has " + n
          + " elements; at most " + Integer.MAX_VALUE + " are supported");
    }
    return (int) n;
  }

  /** Row-major (C order) strides of a shape. */
  public static int[] contiguousStrides(int[] shape) {
    int[] strides = new int[shape.length];
    int s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= Math.max(1, shape[i]);
    }
    return strides;
  }

  /** The broadcast of two shapes (NumPy rules), or an error naming the operation. */
  public static int[] broadcast(String op, int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int da = i < n - a.length ? 1 : a[i - (n - a.length)];
      int db = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
            + " cannot be broadcast together (dimension " + i + ": " + da + " vs " + db + ")");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** A dimension index with negatives counted from the end, checked. */
  public static int dim(String op, int dim, int rank) {
    int d = dim < 0 ? dim + rank : dim;
    if (d < 0 || d >= rank) {
      throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range for a "
          + rank + "-dimensional tensor");
    }
    return d;
  }

  /** A shape as error messages print it: {@code [2, 3]}. */
  public static String str(int[] shape) {
    return Arrays.toString(shape);
  }
}
