package dev.adjoint.cuda;

import java.util.Arrays;

/**
 * The bytes of a kernel's parameter struct, laid out as a C compiler lays out the struct
 * (little-endian, every field at a multiple of its size, the whole rounded up to 8 bytes): the
 * Java side of the structs in {@code src/main/cuda}. Fields must be put in declaration order.
 */
final class Params {
  /** Array fields of the kernels' {@code Shape} and {@code View} structs have this many slots. */
  static final int MAXD = 8;

  private byte[] bytes = new byte[256];
  private int size;

  /** A device address ({@code i64} in the kernels). */
  Params ptr(long address) {
    return i64(address);
  }

  Params i64(long v) {
    align(8);
    for (int i = 0; i < 8; i++) bytes[size++] = (byte) (v >>> (8 * i));
    return this;
  }

  Params f64(double v) {
    return i64(Double.doubleToRawLongBits(v));
  }

  Params i32(int v) {
    align(4);
    for (int i = 0; i < 4; i++) bytes[size++] = (byte) (v >>> (8 * i));
    return this;
  }

  /** A fixed-size {@code int[length]} field; slots past {@code values.length} hold 0. */
  Params ints(int[] values, int length) {
    if (values.length > length) {
      throw new IllegalArgumentException(values.length + " values for an int[" + length + "]");
    }
    for (int i = 0; i < length; i++) i32(i < values.length ? values[i] : 0);
    return this;
  }

  /** Raw bytes ({@code unsigned char[length]}), zero-padded. */
  Params raw(byte[] values, int length) {
    if (values.length > length) {
      throw new IllegalArgumentException(values.length + " bytes for a char[" + length + "]");
    }
    if (size + length + 8 > bytes.length) bytes = Arrays.copyOf(bytes, size + length + 256);
    System.arraycopy(values, 0, bytes, size, values.length);
    size += length;
    return this;
  }

  /** The kernels' {@code Shape}: rank, element count, sizes. */
  Params shape(int[] shape) {
    long n = 1;
    for (int s : shape) n *= s;
    return i32(shape.length).i32((int) n).ints(shape, MAXD);
  }

  /** The kernels' {@code View}: element offset and strides. */
  Params view(int offset, int[] strides) {
    return i32(offset).ints(strides, MAXD);
  }

  /** The struct's bytes, padded to its 8-byte alignment. */
  byte[] bytes() {
    align(8);
    return Arrays.copyOf(bytes, size);
  }

  int size() {
    return (size + 7) & ~7;
  }

  private void align(int to) {
    int aligned = (size + to - 1) & -to;
    if (aligned + 8 > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, aligned + 8));
    while (size < aligned) bytes[size++] = 0;
  }
}
