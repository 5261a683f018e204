package dev.adjoint.nn;

import dev.adjoint.tensor.DType;
import java.nio.ByteBuffer;

/**
 * The element types of the safetensors format, in the format's alignment order (the order its
 * reference writer sorts tensors by), with how each is read into an Adjoint dtype: floating
 * types into FLOAT32 (F16, BF16) or their own, integer and boolean types into INT64.
 */
enum FileDType {
  BOOL(1, DType.INT64), U8(1, DType.INT64), I8(1, DType.INT64), F8_E5M2(1, null),
  F8_E4M3(1, null), I16(2, DType.INT64), U16(2, DType.INT64), F16(2, DType.FLOAT32),
  BF16(2, DType.FLOAT32), I32(4, DType.INT64), U32(4, DType.INT64), F32(4, DType.FLOAT32),
  F64(8, DType.FLOAT64), I64(8, DType.INT64), U64(8, DType.INT64);

  final int size;
  /** The dtype this file type is read as; null when it is not supported. */
  final DType readsAs;

  FileDType(int size, DType readsAs) {
    this.size = size;
    this.readsAs = readsAs;
  }

  /** The file type a tensor of {@code t} is written as. */
  static FileDType of(DType t) {
    switch (t) {
      case FLOAT32: return F32;
      case FLOAT64: return F64;
      default: return I64;
    }
  }

  /** A file type by its header name, or null. */
  static FileDType named(String name) {
    for (FileDType d : values()) if (d.name().equals(name)) return d;
    return null;
  }

  /** Names of the types that can be read, for messages. */
  static String readable() {
    StringBuilder b = new StringBuilder();
    for (FileDType d : values()) {
      if (d.readsAs == null) continue;
      if (b.length() > 0) b.append(", ");
      b.append(d.name());
    }
    return b.toString();
  }

  /**
   * Decodes {@code count} little-endian elements from {@code in} into {@code out} (a
   * {@code float[]}, {@code double[]} or {@code long[]} of {@link #readsAs}) from index
   * {@code at}. Returns the index of an U64 element too large for INT64, or -1.
   */
  long decode(ByteBuffer in, Object out, int at, int count) {
    switch (this) {
      case F32:
        in.asFloatBuffer().get((float[]) out, at, count);
        break;
      case F64:
        in.asDoubleBuffer().get((double[]) out, at, count);
        break;
      case I64:
        in.asLongBuffer().get((long[]) out, at, count);
        break;
      case F16: {
        float[] f = (float[]) out;
        for (int k = 0; k < count; k++) f[at + k] = halfToFloat(in.getShort(2 * k) & 0xffff);
        break;
      }
      case BF16: {
        float[] f = (float[]) out;
        for (int k = 0; k < count; k++) f[at + k] = Float.intBitsToFloat(in.getShort(2 * k) << 16);
        break;
      }
      default: {
        long[] l = (long[]) out;
        for (int k = 0; k < count; k++) {
          long v = integer(in, k);
          if (this == U64 && v < 0) return at + k;
          l[at + k] = v;
        }
      }
    }
    return -1;
  }

  private long integer(ByteBuffer in, int k) {
    switch (this) {
      case BOOL: return in.get(k) != 0 ? 1 : 0;
      case U8: return in.get(k) & 0xff;
      case I8: return in.get(k);
      case I16: return in.getShort(2 * k);
      case U16: return in.getShort(2 * k) & 0xffff;
      case I32: return in.getInt(4 * k);
      case U32: return in.getInt(4 * k) & 0xffffffffL;
      default: return in.getLong(8 * k);
    }
  }

  /** IEEE binary16 to float32, exactly (subnormals, infinities and NaN payloads kept). */
  static float halfToFloat(int h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | mant << 13);
    if (exp != 0) return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
    float v = mant * 0x1p-24f;
    return sign != 0 ? -v : v;
  }
}
