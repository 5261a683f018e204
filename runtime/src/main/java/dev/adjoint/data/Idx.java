package dev.adjoint.data;

import dev.adjoint.tensor.Backends;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * IDX files, the format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte.gz}),
 * gzip-compressed or not (recognised by content). The header is two zero bytes, an element
 * type (0x08 unsigned byte, 0x09 signed byte, 0x0B 16-bit, 0x0C 32-bit integer, 0x0D float,
 * 0x0E double), the number of dimensions and each dimension as a 32-bit big-endian integer;
 * then the elements, big-endian, row-major.
 *
 * <pre>{@code
 * Tensor images = Idx.readImages(Path.of("train-images-idx3-ubyte.gz"));   // [60000, 28, 28], [0, 1]
 * Tensor labels = Idx.readLabels(Path.of("train-labels-idx1-ubyte.gz"), 10);
 * }</pre>
 *
 * <p>A file with the wrong magic bytes, an unknown type, no dimensions, fewer or more data
 * bytes than the header promises, or (for {@link #readLabels}) a label out of range is an
 * error naming the file, the byte offset (in the decompressed data) and the problem; nothing
 * is returned from it.
 */
public final class Idx {
  private Idx() {}

  /** The tensor as stored: integer types as INT64, float as FLOAT32, double as FLOAT64. */
  public static Tensor read(Path path) {
    return parse(path).tensor();
  }

  /**
   * Unsigned-byte images scaled to [0, 1] as FLOAT32 ({@code pixel / 255}), in the file's shape.
   */
  public static Tensor readImages(Path path) {
    Parsed p = parse(path);
    if (p.type != 0x08) {
      throw new IllegalArgumentException(path + ": byte 2: element type " + hex(p.type) + " ("
          + typeName(p.type) + "), but images are unsigned bytes (0x08); use Idx.read");
    }
    float[] f = new float[p.count];
    for (int i = 0; i < f.length; i++) f[i] = (p.data.get(i) & 0xff) / 255f;
    return new Tensor(Backends.get(Device.CPU).upload(f), p.shape);
  }

  /** One-dimensional integer labels, each in [0, classes), as INT64. */
  public static Tensor readLabels(Path path, int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("Idx.readLabels: classes " + classes + " must be >= 1");
    }
    Parsed p = parse(path);
    if (p.shape.length != 1 || p.type > 0x0C) {
      throw new IllegalArgumentException(path + ": labels are a 1-dimensional integer IDX file"
          + ", this one is " + typeName(p.type) + " " + Arrays.toString(p.shape));
    }
    long[] l = p.longs();
    for (int i = 0; i < l.length; i++) {
      if (l[i] < 0 || l[i] >= classes) {
        throw new IllegalArgumentException(path + ": byte " + (p.dataStart + (long) i * p.size)
            + ": label " + l[i] + " (example " + i + ") is outside [0, " + classes + ")");
      }
    }
    return new Tensor(Backends.get(Device.CPU).upload(l), p.shape);
  }

  private static String hex(int b) {
    return String.format("0x%02X", b);
  }

  private static String typeName(int type) {
    switch (type) {
      case 0x08: return "unsigned byte";
      case 0x09: return "signed byte";
      case 0x0B: return "16-bit integer";
      case 0x0C: return "32-bit integer";
      case 0x0D: return "float";
      case 0x0E: return "double";
      default: return "unknown";
    }
  }

  private static int size(int type) {
    switch (type) {
      case 0x08: case 0x09: return 1;
      case 0x0B: return 2;
      case 0x0C: case 0x0D: return 4;
      case 0x0E: return 8;
      default: return -1;
    }
  }

  /** A checked file: header fields and exactly the data bytes. */
  private static final class Parsed {
    int type;
    int size;
    int[] shape;
    int count;
    long dataStart;
    ByteBuffer data;

    long[] longs() {
      long[] l = new long[count];
      for (int i = 0; i < count; i++) {
        switch (type) {
          case 0x08: l[i] = data.get(i) & 0xff; break;
          case 0x09: l[i] = data.get(i); break;
          case 0x0B: l[i] = data.getShort(2 * i); break;
          default: l[i] = data.getInt(4 * i);
        }
      }
      return l;
    }

    Tensor tensor() {
      Object arr;
      if (type == 0x0D) {
        float[] f = new float[count];
        data.asFloatBuffer().get(f);
        arr = f;
      } else if (type == 0x0E) {
        double[] d = new double[count];
        data.asDoubleBuffer().get(d);
        arr = d;
      } else {
        arr = longs();
      }
      return new Tensor(Backends.get(Device.CPU).upload(arr), shape);
    }
  }

  private static Parsed parse(Path path) {
    byte[] bytes;
    try (InputStream in = DataFiles.open(path)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw DataFiles.corrupt(path, "while reading", e);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    if (bytes.length < 4) {
      throw new IllegalArgumentException(path + ": " + bytes.length + " bytes, too short for an"
          + " IDX file (its header takes at least 4)");
    }
    if (bytes[0] != 0 || bytes[1] != 0) {
      throw new IllegalArgumentException(path + ": bytes 0-1: magic " + hex(bytes[0] & 0xff)
          + " " + hex(bytes[1] & 0xff) + " where an IDX file has 0x00 0x00: not an IDX file");
    }
    Parsed p = new Parsed();
    p.type = bytes[2] & 0xff;
    p.size = size(p.type);
    if (p.size < 0) {
      throw new IllegalArgumentException(path + ": byte 2: unknown IDX element type "
          + hex(p.type) + " (known: 0x08 unsigned byte, 0x09 signed byte, 0x0B 16-bit, 0x0C "
          + "32-bit integer, 0x0D float, 0x0E double)");
    }
    int dims = bytes[3] & 0xff;
    if (dims == 0) {
      throw new IllegalArgumentException(path + ": byte 3: 0 dimensions; an IDX file has at "
          + "least one");
    }
    p.dataStart = 4L + 4L * dims;
    if (bytes.length < p.dataStart) {
      throw new IllegalArgumentException(path + ": truncated header: " + dims + " dimensions "
          + "need bytes 4-" + (p.dataStart - 1) + ", but the data ends after " + bytes.length
          + " bytes");
    }
    p.shape = new int[dims];
    long count = 1;
    for (int d = 0; d < dims; d++) {
      long s = b.getInt(4 + 4 * d) & 0xffffffffL;
      if (s > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(path + ": byte " + (4 + 4 * d) + ": dimension " + d
            + " has size " + s + ", more than a tensor holds");
      }
      p.shape[d] = (int) s;
      count = Math.min(count * s, Long.MAX_VALUE / 16);
    }
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(path + ": dimensions " + Arrays.toString(p.shape)
          + " hold more elements than a tensor can (" + Integer.MAX_VALUE + ")");
    }
    p.count = (int) count;
    long need = count * p.size;
    long have = bytes.length - p.dataStart;
    if (have < need) {
      throw new IllegalArgumentException(path + ": truncated: the header (" + typeName(p.type)
          + " " + Arrays.toString(p.shape) + ") promises " + need + " bytes of data from byte "
          + p.dataStart + ", but only " + have + " follow (the data ends at byte " + bytes.length
          + ")");
    }
    if (have > need) {
      throw new IllegalArgumentException(path + ": byte " + (p.dataStart + need) + ": "
          + (have - need) + " bytes after the last element the header promises ("
          + typeName(p.type) + " " + Arrays.toString(p.shape) + ")");
    }
    p.data = b.position((int) p.dataStart).slice().order(ByteOrder.BIG_ENDIAN);
    return p;
  }
}
