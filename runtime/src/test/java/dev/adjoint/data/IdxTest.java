package dev.adjoint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files (MNIST's format) of every element type, gzip, and a test per malformed input. */
class IdxTest {
  @TempDir
  Path dir;

  /** An IDX file: magic, type, dimensions, then {@code data} as given (big-endian already). */
  private static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) b.putInt(d);
    b.put(data);
    return b.array();
  }

  private Path file(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private Path gz(String name, byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream o = new GZIPOutputStream(out)) {
      o.write(bytes);
    }
    return file(name, out.toByteArray());
  }

  @Test
  void everyElementType() throws IOException {
    byte[] u8 = {0, 1, (byte) 200, (byte) 255, 7, 8};
    Tensor a = Idx.read(file("u8", idx(0x08, new int[] {2, 3}, u8)));
    assertEquals(DType.INT64, a.dtype());
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(new long[] {0, 1, 200, 255, 7, 8}, a.toLongArray());
    assertArrayEquals(new long[] {0, 1, -56, -1, 7, 8},
        Idx.read(file("i8", idx(0x09, new int[] {6}, u8))).toLongArray());
    ByteBuffer s = ByteBuffer.allocate(4).putShort((short) -2).putShort((short) 300);
    assertArrayEquals(new long[] {-2, 300},
        Idx.read(file("i16", idx(0x0B, new int[] {2}, s.array()))).toLongArray());
    ByteBuffer i = ByteBuffer.allocate(8).putInt(-70000).putInt(Integer.MAX_VALUE);
    assertArrayEquals(new long[] {-70000, Integer.MAX_VALUE},
        Idx.read(file("i32", idx(0x0C, new int[] {2}, i.array()))).toLongArray());
    ByteBuffer f = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-0.25f);
    Tensor ft = Idx.read(file("f32", idx(0x0D, new int[] {1, 2}, f.array())));
    assertEquals(DType.FLOAT32, ft.dtype());
    assertArrayEquals(new float[] {1.5f, -0.25f}, ft.toFloatArray());
    ByteBuffer d = ByteBuffer.allocate(8).putDouble(Math.E);
    Tensor dt = Idx.read(file("f64", idx(0x0E, new int[] {1}, d.array())));
    assertEquals(DType.FLOAT64, dt.dtype());
    assertEquals(Math.E, dt.item());
  }

  @Test
  void mnistImagesAndLabelsGzipped() throws IOException {
    byte[] pixels = new byte[2 * 28 * 28];
    pixels[0] = (byte) 255;
    pixels[1] = (byte) 51;
    Tensor images = Idx.readImages(gz("train-images-idx3-ubyte.gz",
        idx(0x08, new int[] {2, 28, 28}, pixels)));
    assertArrayEquals(new int[] {2, 28, 28}, images.shape());
    assertEquals(1f, images.toFloatArray()[0]);
    assertEquals(0.2f, images.toFloatArray()[1], 1e-7);
    Tensor labels = Idx.readLabels(gz("labels.gz", idx(0x08, new int[] {2}, new byte[] {7, 3})),
        10);
    assertArrayEquals(new long[] {7, 3}, labels.toLongArray());
  }

  private static void fails(String message, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertEquals(message, e.getMessage());
  }

  interface Executable {
    void run() throws Exception;
  }

  @Test
  void wrongMagic() throws IOException {
    Path p = file("x", new byte[] {0x50, 0x4b, 8, 1, 0, 0, 0, 0});
    fails(p + ": bytes 0-1: magic 0x50 0x4B where an IDX file has 0x00 0x00: not an IDX file",
        () -> Idx.read(p));
  }

  @Test
  void unknownElementType() throws IOException {
    Path p = file("x", idx(0x0A, new int[] {1}, new byte[1]));
    fails(p + ": byte 2: unknown IDX element type 0x0A (known: 0x08 unsigned byte, 0x09 signed "
        + "byte, 0x0B 16-bit, 0x0C 32-bit integer, 0x0D float, 0x0E double)", () -> Idx.read(p));
  }

  @Test
  void noDimensions() throws IOException {
    Path p = file("x", idx(0x08, new int[0], new byte[0]));
    fails(p + ": byte 3: 0 dimensions; an IDX file has at least one", () -> Idx.read(p));
  }

  @Test
  void tooShort() throws IOException {
    Path p = file("x", new byte[] {0, 0});
    fails(p + ": 2 bytes, too short for an IDX file (its header takes at least 4)",
        () -> Idx.read(p));
    Path q = file("y", new byte[] {0, 0, 8, 3, 0, 0, 0, 2});
    fails(q + ": truncated header: 3 dimensions need bytes 4-15, but the data ends after 8 bytes",
        () -> Idx.read(q));
  }

  @Test
  void truncatedData() throws IOException {
    Path p = gz("t.gz", idx(0x08, new int[] {10, 28, 28}, new byte[7000]));
    fails(p + ": truncated: the header (unsigned byte [10, 28, 28]) promises 7840 bytes of data "
        + "from byte 16, but only 7000 follow (the data ends at byte 7016)", () -> Idx.read(p));
  }

  @Test
  void trailingBytes() throws IOException {
    Path p = file("x", idx(0x0B, new int[] {2}, new byte[6]));
    fails(p + ": byte 12: 2 bytes after the last element the header promises (16-bit integer "
        + "[2])", () -> Idx.read(p));
  }

  @Test
  void labelsOutOfRange() throws IOException {
    Path p = file("l", idx(0x08, new int[] {3}, new byte[] {1, 12, 3}));
    fails(p + ": byte 9: label 12 (example 1) is outside [0, 10)", () -> Idx.readLabels(p, 10));
    Path q = file("m", idx(0x08, new int[] {2, 2}, new byte[4]));
    fails(q + ": labels are a 1-dimensional integer IDX file, this one is unsigned byte [2, 2]",
        () -> Idx.readLabels(q, 10));
  }

  @Test
  void imagesThatAreNotBytes() throws IOException {
    Path p = file("f", idx(0x0D, new int[] {1}, new byte[4]));
    fails(p + ": byte 2: element type 0x0D (float), but images are unsigned bytes (0x08); use "
        + "Idx.read", () -> Idx.readImages(p));
  }

  @Test
  void corruptGzip() throws IOException {
    byte[] g = Files.readAllBytes(gz("a.gz", idx(0x08, new int[] {1000}, new byte[1000])));
    g[g.length - 5] ^= 0x55;
    Path p = file("bad.gz", g);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Idx.read(p));
    assertEquals(p + ": corrupt gzip data while reading (Corrupt GZIP trailer)", e.getMessage());
  }
}
