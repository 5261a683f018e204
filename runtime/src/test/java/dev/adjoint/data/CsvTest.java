package dev.adjoint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV files, plain and gzip, and a test per malformed input showing its message. */
class CsvTest {
  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private Path gzip(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return p;
  }

  @Test
  void featuresAndLabels() throws IOException {
    Dataset d = Csv.read(write("a.csv", "1,2,0\n 3.5 , -4e-1 ,2\n\n\"5\",nan,1\r\n"));
    assertArrayEquals(new int[] {3, 2}, d.x().shape());
    assertEquals(DType.FLOAT32, d.x().dtype());
    assertArrayEquals(new float[] {1, 2, 3.5f, -0.4f, 5, Float.NaN}, d.x().toFloatArray());
    assertArrayEquals(new long[] {0, 2, 1}, d.y().toLongArray());
  }

  @Test
  void gzipIsRecognisedByContentAndHeadersSkipped() throws IOException {
    Path p = gzip("data.bin", "label;a;b\n1;0.5;0.25\n0;1;2\n");
    Dataset d = Csv.reader().header(true).delimiter(';').labelColumn(0).classes(2)
        .dtype(DType.FLOAT64).read(p);
    assertArrayEquals(new double[] {0.5, 0.25, 1, 2}, d.x().toDoubleArray());
    assertArrayEquals(new long[] {1, 0}, d.y().toLongArray());
    Tensor all = Csv.reader().header(true).delimiter(';').noLabels().readTensor(p);
    assertArrayEquals(new int[] {2, 3}, all.shape());
  }

  @Test
  void theDigitsFormat() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int r = 0; r < 20; r++) {
      for (int c = 0; c < 64; c++) b.append((r + c) % 17).append(',');
      b.append(r % 10).append('\n');
    }
    Dataset d = Csv.read(gzip("digits.csv.gz", b.toString()));
    assertArrayEquals(new int[] {20, 64}, d.x().shape());
    assertEquals(9, d.y().get(19));
  }

  private static void fails(String message, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertEquals(message, e.getMessage());
  }

  interface Executable {
    void run() throws Exception;
  }

  @Test
  void raggedRows() throws IOException {
    Path p = write("r.csv", "1,2,0\n\n3,1\n");
    fails(p + ":3: 2 fields, but line 1 has 3", () -> Csv.read(p));
  }

  @Test
  void fieldsThatAreNotNumbers() throws IOException {
    Path p = write("n.csv", "1,2,0\n3,abc,1\n");
    fails(p + ":2, field 2: 'abc' is not a number", () -> Csv.read(p));
    Path q = write("f.csv", "1.5f,0\n");
    fails(q + ":1, field 1: '1.5f' is not a number", () -> Csv.read(q));
    Path e = write("e.csv", "1,,0\n");
    fails(e + ":1, field 2: empty field", () -> Csv.read(e));
  }

  @Test
  void labelsOutOfRange() throws IOException {
    Path p = write("l.csv", "1,9\n2,10\n");
    fails(p + ":2, field 2: label '10' is outside [0, 10) for 10 classes",
        () -> Csv.reader().classes(10).read(p));
    Path q = write("neg.csv", "1,-1\n");
    fails(q + ":1, field 2: label '-1' is negative (class labels are 0, 1, 2, ...)",
        () -> Csv.read(q));
    Path r = write("frac.csv", "1,2.5\n");
    fails(r + ":1, field 2: label '2.5' is not a whole number (class labels are 0, 1, 2, ...)",
        () -> Csv.read(r));
  }

  @Test
  void aLabelColumnThatDoesNotExist() throws IOException {
    Path p = write("c.csv", "1,2\n");
    fails(p + ":1: label column 5 does not exist in a row of 2 fields", () -> Csv.read(p, 5));
  }

  @Test
  void noRows() throws IOException {
    Path p = write("h.csv", "a,b,label\n\n");
    fails(p + ": no data rows after the header (2 lines)",
        () -> Csv.reader().header(true).read(p));
  }

  @Test
  void corruptGzip() throws IOException {
    Path good = gzip("g.csv.gz", "1,2,0\n".repeat(2000));
    byte[] b = Files.readAllBytes(good);
    Path p = dir.resolve("cut.csv.gz");
    Files.write(p, Arrays.copyOf(b, b.length / 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Csv.read(p));
    assertTrue(e.getMessage().startsWith(p + ": corrupt gzip data after line "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("(Unexpected end of ZLIB input stream)"), e.getMessage());
  }

  @Test
  void readerMisuse() {
    fails("Csv: readTensor(path) reads every column; call noLabels() first, or read(path) for "
        + "features and labels", () -> Csv.reader().readTensor(dir));
    fails("Csv: read(path) returns features and labels; use readTensor(path) after noLabels()",
        () -> Csv.reader().noLabels().read(dir));
    fails("Csv: features are floating-point, not INT64", () -> Csv.reader().dtype(DType.INT64));
  }
}
