package dev.adjoint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors format written and read back, models saved and loaded, and every error. */
class SafeTensorsTest {
  @TempDir
  Path dir;

  record Lin(Tensor weight, Tensor bias) {}

  record Net(Lin fc1, Lin fc2, @Buffer Tensor steps, int width) {}

  private static Net net(double scale, int width) {
    return new Net(new Lin(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).mul(scale),
        Tensor.of(new float[] {7, 8}, 2)), new Lin(Tensor.of(new double[] {0.5, 0.25}, 1, 2),
        null), Tensor.of(new long[] {3}, 1).mul((long) scale), width);
  }

  @Test
  void modelsRoundTripUnderStateDictNames() {
    Path p = dir.resolve("net.safetensors");
    SafeTensors.save(p, net(2, 5));
    assertEquals(List.of("steps", "fc2.weight", "fc1.bias", "fc1.weight"),
        List.copyOf(SafeTensors.read(p).keySet()), "I64, F64, F32 in that order, then by name");
    assertEquals(Map.of("format", "pt"), SafeTensors.metadata(p));
    Net loaded = SafeTensors.load(p, net(1, 9));
    assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, loaded.fc1().weight().toFloatArray());
    assertArrayEquals(new int[] {2, 3}, loaded.fc1().weight().shape());
    assertEquals(DType.FLOAT64, loaded.fc2().weight().dtype());
    assertNull(loaded.fc2().bias());
    assertEquals(6, loaded.steps().get(0));
    assertEquals(9, loaded.width(), "carried components come from the template");
  }

  @Test
  void tensorsOfEveryWrittenDtypeAndShapeRoundTrip() throws IOException {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("scalar", Tensor.scalar(2.5));
    m.put("empty", Tensor.zeros(0, 3));
    m.put("f64", Tensor.of(new double[] {Math.PI, -0.0, Double.NaN}, 3));
    m.put("i64", Tensor.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, 2, 1));
    m.put("ünïcode \"name\"", Tensor.ones(1));
    m.put("view", Tensor.arange(6).reshape(2, 3).transpose(0, 1));
    Map<String, String> meta = Map.of("k", "v\n\"");
    Path p = dir.resolve("all.safetensors");
    SafeTensors.write(p, m, meta);
    SafeTensors.Contents c = SafeTensors.readContents(p);
    assertEquals(meta, c.metadata());
    for (Map.Entry<String, Tensor> e : m.entrySet()) {
      Tensor t = c.tensors().get(e.getKey());
      assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
      assertEquals(e.getValue().dtype(), t.dtype(), e.getKey());
      assertArrayEquals(e.getValue().toDoubleArray(), t.toDoubleArray(), e.getKey());
    }
    byte[] bytes = Files.readAllBytes(p);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    String head = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertTrue(head.startsWith("{\"__metadata__\":{\"k\":\"v\\n\\\"\"}"), head);
    assertEquals("", head.substring(head.lastIndexOf('}') + 1).trim(), "padded with spaces");
    assertEquals(0, Files.list(dir).filter(f -> f.toString().endsWith(".tmp")).count());
  }

  // ---------------------------------------------------------------- malformed files

  private Path file(String header, int dataBytes) throws IOException {
    return raw(header.getBytes(StandardCharsets.UTF_8), header.length(), dataBytes);
  }

  private Path raw(byte[] header, long declaredLength, int dataBytes) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(declaredLength).put(header);
    Path p = dir.resolve("bad.safetensors");
    Files.write(p, b.array());
    return p;
  }

  private static void fails(Path p, String problem) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SafeTensors.read(p));
    assertEquals(p + ": " + problem, e.getMessage());
  }

  private static final String F32 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
      + "\"data_offsets\":[0,8]}}";

  @Test
  void tooShort() throws IOException {
    Path p = dir.resolve("short.safetensors");
    Files.write(p, new byte[] {1, 2, 3});
    fails(p, "is 3 bytes long, too short for a safetensors file (which starts with an 8-byte "
        + "header length)");
  }

  @Test
  void headerLengthBeyondTheLimit() throws IOException {
    fails(raw(new byte[0], 200_000_000L, 0), "header length 200000000 (bytes 0-7) is more than "
        + "the 100000000 bytes safetensors allows: not a safetensors file, or a corrupt one");
    fails(raw(new byte[0], -1, 0), "header length 18446744073709551615 (bytes 0-7) is more than "
        + "the 100000000 bytes safetensors allows: not a safetensors file, or a corrupt one");
  }

  @Test
  void headerLengthPastTheEnd() throws IOException {
    fails(raw("{}".getBytes(StandardCharsets.UTF_8), 50, 0), "header length 50 (bytes 0-7) runs "
        + "past the end of the file, which has 2 bytes after the length: truncated or not a "
        + "safetensors file");
  }

  @Test
  void headerNotUtf8() throws IOException {
    fails(raw(new byte[] {'{', (byte) 0xff, '}'}, 3, 0), "header (bytes 8-11) is not valid "
        + "UTF-8");
  }

  @Test
  void headerNotAnObject() throws IOException {
    fails(file("[1, 2]", 0), "header does not start with '{' (a JSON object) but with '['");
  }

  @Test
  void headerNotJson() throws IOException {
    fails(file("{\"a\" {}}", 0), "header is not valid JSON: expected ':' but found '{' at "
        + "character 5 of the header (file byte 13)");
    fails(file("{\"a\":1,}", 0), "header is not valid JSON: expected a key string at character "
        + "7 of the header (file byte 15)");
  }

  @Test
  void duplicateNames() throws IOException {
    fails(file("{\"a\":{},\"a\":{}}", 0), "header is not valid JSON: duplicate key \"a\" at "
        + "character 8 of the header (file byte 16)");
  }

  @Test
  void metadataThatIsNotStrings() throws IOException {
    fails(file("{\"__metadata__\":{\"epoch\":3}}", 0), "__metadata__ must map strings to "
        + "strings, but \"epoch\" is the number 3");
  }

  @Test
  void entriesThatAreNotTensors() throws IOException {
    fails(file("{\"a\":5}", 0), "tensor 'a': expected an object with dtype, shape and "
        + "data_offsets, found the number 5");
    fails(file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,0]}}", 0), "tensor 'a': no "
        + "\"shape\"");
  }

  @Test
  void unknownAndUnsupportedDtypes() throws IOException {
    fails(file("{\"a\":{\"dtype\":\"F12\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
        "tensor 'a': unknown dtype \"F12\" (the format's dtypes that Adjoint reads: BOOL, U8, "
        + "I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64)");
    fails(file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1),
        "tensor 'a': dtype F8_E4M3 is not supported (Adjoint reads BOOL, U8, I8, I16, U16, F16, "
        + "BF16, I32, U32, F32, F64, I64, U64)");
  }

  @Test
  void badShapes() throws IOException {
    fails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,8]}}", 8),
        "tensor 'a': shape must hold non-negative integers, found [2, -1]");
    fails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", 8),
        "tensor 'a': shape [65536, 65536] has more elements than a tensor can hold (2147483647)");
  }

  @Test
  void offsetsThatDoNotMatchTheShape() throws IOException {
    fails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8),
        "tensor 'a': data_offsets [8, 0] end before they begin");
    fails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
        "tensor 'a': data_offsets [0, 8] span 8 bytes, but F32 [3] takes 12");
    fails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8),
        "tensor 'a': data_offsets must hold 2 integers, found [0]");
  }

  @Test
  void overlappingTensors() throws IOException {
    fails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
        "tensors 'a' and 'b' overlap (data bytes [0, 8) and [4, 12))");
  }

  @Test
  void bytesThatBelongToNoTensor() throws IOException {
    fails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16),
        "data bytes [8, 12) belong to no tensor (between 'a' and 'b')");
    fails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
        "data bytes [0, 4) belong to no tensor (before 'a')");
  }

  @Test
  void truncatedData() throws IOException {
    fails(file(F32, 5), "the tensors take 8 bytes of data but the file has 5 after the header: "
        + "the file is truncated (tensor 'a' ends past its end)");
  }

  @Test
  void trailingBytes() throws IOException {
    fails(file(F32, 9), "the tensors take 8 bytes of data but the file has 9 after the header: "
        + "there are trailing bytes");
  }

  @Test
  void unsignedValuesTooLargeForInt64() throws IOException {
    Path p = file("{\"u\":{\"dtype\":\"U64\",\"shape\":[2],\"data_offsets\":[0,16]}}", 16);
    byte[] b = Files.readAllBytes(p);
    for (int i = b.length - 8; i < b.length; i++) b[i] = (byte) 0xff;
    Files.write(p, b);
    fails(p, "tensor 'u': U64 element 1 is 18446744073709551615, more than INT64 holds");
  }

  @Test
  void aMissingFile() {
    Path p = dir.resolve("none.safetensors");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> SafeTensors.read(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
  }

  // ---------------------------------------------------------------- files that do not fit

  @Test
  void namesShapesAndDtypesThatDoNotFitTheModel() {
    Path p = dir.resolve("other.safetensors");
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("fc1.weight", Tensor.zeros(3, 2));
    m.put("fc1.bias", Tensor.of(new long[] {1, 2}, 2));
    m.put("fc2.bias", Tensor.zeros(1));
    m.put("fc3.weight", Tensor.zeros(1));
    SafeTensors.write(p, m);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SafeTensors.load(p, net(1, 1)));
    assertEquals(p + " does not fit Net:\n"
        + "  missing (in the model, not in " + p + "): fc2.weight, steps\n"
        + "  unexpected (in " + p + ", not in the model): fc3.weight\n"
        + "  'fc1.weight' has shape [3, 2] in " + p + " but [2, 3] in the Net\n"
        + "  'fc1.bias' holds integer INT64 values in " + p + " but the Net's tensor is FLOAT32\n"
        + "  'fc2.bias' is in " + p + ", but it is null in the Net it is loaded into (an absent "
        + "optional tensor)", e.getMessage());
  }

  @Test
  void reservedAndNullNames() {
    Path p = dir.resolve("w.safetensors");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SafeTensors.write(p, Map.of("__metadata__", Tensor.zeros(1))));
    assertEquals(p + ": \"__metadata__\" is reserved by the format and cannot name a tensor",
        e.getMessage());
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("a", null);
    e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, m));
    assertEquals(p + ": tensor names and tensors must not be null (a -> null)", e.getMessage());
  }
}
