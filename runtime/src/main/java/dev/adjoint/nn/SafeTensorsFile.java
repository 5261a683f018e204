package dev.adjoint.nn;

import dev.adjoint.tensor.Backends;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors file format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets"}}}) padded
 * with spaces to a multiple of 8, then the tensors' little-endian row-major bytes, which must
 * cover the data exactly (no overlap, no hole, nothing after). Written as the reference
 * implementation writes it: tensors sorted by dtype alignment, largest first, then by name.
 * Every check is made before any data is read, so a malformed file is an error, never a
 * partial result.
 */
final class SafeTensorsFile {
  /** The reference implementation's limit. */
  static final long MAX_HEADER = 100_000_000L;
  private static final int CHUNK = 1 << 20;

  private SafeTensorsFile() {}

  /** One tensor of the header; offsets are relative to the data after the header. */
  record Entry(String name, FileDType dtype, int[] shape, long begin, long end) {}

  /** A checked header: entries in header order, the metadata, where the data starts. */
  record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {}

  /** Thrown for malformed files; messages start with the file. */
  private static IllegalArgumentException bad(Path path, String problem) {
    return new IllegalArgumentException(path + ": " + problem);
  }

  static Header header(Path path) {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return header(path, ch);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  private static Header header(Path path, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw bad(path, "is " + size + " bytes long, too short for a safetensors file (which "
          + "starts with an 8-byte header length)");
    }
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(path, ch, len, 0);
    long n = len.getLong(0);
    if (n < 0 || n > MAX_HEADER) {
      throw bad(path, "header length " + Long.toUnsignedString(n) + " (bytes 0-7) is more than "
          + "the " + MAX_HEADER + " bytes safetensors allows: not a safetensors file, or a "
          + "corrupt one");
    }
    if (n > size - 8) {
      throw bad(path, "header length " + n + " (bytes 0-7) runs past the end of the file, "
          + "which has " + (size - 8) + " bytes after the length: truncated or not a "
          + "safetensors file");
    }
    ByteBuffer raw = ByteBuffer.allocate((int) n);
    readFully(path, ch, raw, 8);
    String text;
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(raw);
      text = chars.toString();
    } catch (CharacterCodingException e) {
      throw bad(path, "header (bytes 8-" + (8 + n) + ") is not valid UTF-8");
    }
    if (!text.startsWith("{")) {
      throw bad(path, "header does not start with '{' (a JSON object) but with "
          + (text.isEmpty() ? "nothing" : "'" + text.charAt(0) + "'"));
    }
    Object json;
    try {
      json = Json.parse(text);
    } catch (Json.Malformed e) {
      throw bad(path, "header is not valid JSON: " + e.getMessage() + " at character "
          + e.offset + " of the header (file byte " + (8 + e.offset) + ")");
    }
    if (!(json instanceof Map)) throw bad(path, "header is not a JSON object");
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> kv : ((Map<?, ?>) json).entrySet()) {
      String name = (String) kv.getKey();
      if (name.equals("__metadata__")) {
        metadata = metadata(path, kv.getValue());
      } else {
        entries.add(entry(path, name, kv.getValue()));
      }
    }
    checkCoverage(path, entries, size - 8 - n);
    return new Header(entries, metadata, 8 + n);
  }

  private static Map<String, String> metadata(Path path, Object v) {
    if (!(v instanceof Map)) {
      throw bad(path, "__metadata__ must be an object of strings, found " + describe(v));
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<?, ?> kv : ((Map<?, ?>) v).entrySet()) {
      if (!(kv.getValue() instanceof String)) {
        throw bad(path, "__metadata__ must map strings to strings, but \"" + kv.getKey()
            + "\" is " + describe(kv.getValue()));
      }
      m.put((String) kv.getKey(), (String) kv.getValue());
    }
    return m;
  }

  private static String describe(Object v) {
    if (v == null) return "null";
    if (v instanceof String) return "the string \"" + v + "\"";
    if (v instanceof Map) return "an object";
    if (v instanceof List) return "an array " + v;
    return v instanceof Boolean ? "" + v : "the number " + v;
  }

  private static Entry entry(Path path, String name, Object v) {
    String where = "tensor '" + name + "'";
    if (!(v instanceof Map)) {
      throw bad(path, where + ": expected an object with dtype, shape and data_offsets, found "
          + describe(v));
    }
    Map<?, ?> m = (Map<?, ?>) v;
    for (String key : new String[] {"dtype", "shape", "data_offsets"}) {
      if (!m.containsKey(key)) throw bad(path, where + ": no \"" + key + "\"");
    }
    Object dt = m.get("dtype");
    FileDType dtype = dt instanceof String ? FileDType.named((String) dt) : null;
    if (dtype == null) {
      throw bad(path, where + ": unknown dtype " + (dt instanceof String ? "\"" + dt + "\""
          : describe(dt)) + " (the format's dtypes that Adjoint reads: " + FileDType.readable()
          + ")");
    }
    if (dtype.readsAs == null) {
      throw bad(path, where + ": dtype " + dtype + " is not supported (Adjoint reads "
          + FileDType.readable() + ")");
    }
    long[] shape = integers(path, where, "shape", m.get("shape"), -1);
    long[] offsets = integers(path, where, "data_offsets", m.get("data_offsets"), 2);
    int[] dims = new int[shape.length];
    boolean empty = false;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] > Integer.MAX_VALUE) throw tooBig(path, where, shape);
      dims[i] = (int) shape[i];
      empty |= shape[i] == 0;
    }
    long numel = 1;
    for (int i = 0; i < shape.length && !empty; i++) {
      numel *= shape[i];
      if (numel > Integer.MAX_VALUE) throw tooBig(path, where, shape);
    }
    if (empty) numel = 0;
    if (offsets[1] < offsets[0]) {
      throw bad(path, where + ": data_offsets " + Arrays.toString(offsets) + " end before they "
          + "begin");
    }
    long bytes = numel * dtype.size;
    if (offsets[1] - offsets[0] != bytes) {
      throw bad(path, where + ": data_offsets " + Arrays.toString(offsets) + " span "
          + (offsets[1] - offsets[0]) + " bytes, but " + dtype + " " + Arrays.toString(shape)
          + " takes " + bytes);
    }
    return new Entry(name, dtype, dims, offsets[0], offsets[1]);
  }

  private static IllegalArgumentException tooBig(Path path, String where, long[] shape) {
    return bad(path, where + ": shape " + Arrays.toString(shape) + " has more elements than a "
        + "tensor can hold (" + Integer.MAX_VALUE + ")");
  }

  private static long[] integers(Path path, String where, String key, Object v, int count) {
    String problem = null;
    if (!(v instanceof List)) {
      problem = "must be an array of integers, found " + describe(v);
    } else if (count >= 0 && ((List<?>) v).size() != count) {
      problem = "must hold " + count + " integers, found " + v;
    }
    long[] out = problem == null ? new long[((List<?>) v).size()] : null;
    for (int i = 0; problem == null && i < out.length; i++) {
      Object x = ((List<?>) v).get(i);
      if (!(x instanceof BigInteger) || ((BigInteger) x).signum() < 0
          || ((BigInteger) x).bitLength() > 62) {
        problem = "must hold non-negative integers, found " + v;
      } else {
        out[i] = ((BigInteger) x).longValue();
      }
    }
    if (problem != null) throw bad(path, where + ": " + key + " " + problem);
    return out;
  }

  /** The tensors' bytes must tile the data: in offset order, each starts where the last ended. */
  private static void checkCoverage(Path path, List<Entry> entries, long dataBytes) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long at = 0;
    Entry last = null;
    for (Entry e : sorted) {
      if (e.begin() < at) {
        throw bad(path, "tensors '" + last.name() + "' and '" + e.name() + "' overlap (data "
            + "bytes [" + last.begin() + ", " + last.end() + ") and [" + e.begin() + ", "
            + e.end() + "))");
      }
      if (e.begin() > at) {
        throw bad(path, "data bytes [" + at + ", " + e.begin() + ") belong to no tensor ("
            + (last == null ? "before '" + e.name() + "'" : "between '" + last.name()
                + "' and '" + e.name() + "'") + ")");
      }
      at = e.end();
      last = e;
    }
    if (at != dataBytes) {
      throw bad(path, "the tensors take " + at + " bytes of data but the file has " + dataBytes
          + " after the header: " + (at > dataBytes ? "the file is truncated (tensor '"
              + last.name() + "' ends past its end)" : "there are trailing bytes"));
    }
  }

  private static void readFully(Path path, FileChannel ch, ByteBuffer b, long position)
      throws IOException {
    while (b.hasRemaining()) {
      int r = ch.read(b, position);
      if (r < 0) throw bad(path, "ended early while reading byte " + position);
      position += r;
    }
    b.flip();
  }

  /** A file's tensors (in header order) and metadata. */
  static SafeTensors.Contents read(Path path) {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      Header h = header(path, ch);
      ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (Entry e : h.entries()) out.put(e.name(), tensor(path, ch, h, e, buf));
      return new SafeTensors.Contents(out, h.metadata());
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  private static Tensor tensor(Path path, FileChannel ch, Header h, Entry e, ByteBuffer buf)
      throws IOException {
    int n = (int) ((e.end() - e.begin()) / e.dtype().size);
    DType t = e.dtype().readsAs;
    Object arr = t == DType.FLOAT32 ? new float[n] : t == DType.FLOAT64 ? new double[n]
        : (Object) new long[n];
    long pos = h.dataStart() + e.begin();
    int per = CHUNK / e.dtype().size;
    for (int done = 0; done < n; ) {
      int count = Math.min(n - done, per);
      buf.clear().limit(count * e.dtype().size);
      readFully(path, ch, buf, pos);
      long badAt = e.dtype().decode(buf, arr, done, count);
      if (badAt >= 0) {
        throw bad(path, "tensor '" + e.name() + "': U64 element " + badAt + " is "
            + Long.toUnsignedString(buf.getLong((int) (8 * (badAt - done))))
            + ", more than INT64 holds");
      }
      pos += (long) count * e.dtype().size;
      done += count;
    }
    return new Tensor(Backends.get(Device.CPU).upload(arr), e.shape());
  }

  /** Writes {@code tensors} (dtypes F32, F64, I64) and {@code metadata}, replacing the file. */
  static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
    List<Map.Entry<String, Tensor>> items = new ArrayList<>();
    for (Map.Entry<String, Tensor> kv : tensors.entrySet()) {
      if (kv.getKey() == null || kv.getValue() == null) {
        throw new IllegalArgumentException(path + ": tensor names and tensors must not be null"
            + " (" + kv.getKey() + " -> " + kv.getValue() + ")");
      }
      if (kv.getKey().equals("__metadata__")) {
        throw new IllegalArgumentException(path + ": \"__metadata__\" is reserved by the format "
            + "and cannot name a tensor");
      }
      items.add(kv);
    }
    items.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(
        kv -> -FileDType.of(kv.getValue().dtype()).ordinal()).thenComparing(Map.Entry::getKey));
    StringBuilder json = new StringBuilder("{");
    if (metadata != null && !metadata.isEmpty()) {
      json.append("\"__metadata__\":{");
      String sep = "";
      for (Map.Entry<String, String> kv : metadata.entrySet()) {
        json.append(sep).append(Json.quote(kv.getKey())).append(':')
            .append(Json.quote(String.valueOf(kv.getValue())));
        sep = ",";
      }
      json.append('}');
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> kv : items) {
      Tensor t = kv.getValue();
      long bytes = (long) t.numel() * t.dtype().bytes();
      if (json.length() > 1) json.append(',');
      json.append(Json.quote(kv.getKey())).append(":{\"dtype\":\"")
          .append(FileDType.of(t.dtype())).append("\",\"shape\":[");
      int[] s = t.shape();
      for (int i = 0; i < s.length; i++) json.append(i > 0 ? "," : "").append(s[i]);
      json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes)
          .append("]}");
      offset += bytes;
    }
    json.append('}');
    byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
    byte[] head = Arrays.copyOf(text, text.length + (8 - text.length % 8) % 8);
    Arrays.fill(head, text.length, head.length, (byte) ' ');
    Path dir = path.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      // created like any new file (the umask's permissions, not createTempFile's 0600)
      tmp = dir.resolve(path.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(head.length);
        writeAll(ch, b);
        writeAll(ch, ByteBuffer.wrap(head));
        for (Map.Entry<String, Tensor> kv : items) writeData(ch, kv.getValue(), b);
      }
      try {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    } finally {
      try {
        if (tmp != null) Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the move succeeded or the error above is the one to report
      }
    }
  }

  private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
    if (b.position() > 0) b.flip();
    while (b.hasRemaining()) ch.write(b);
    b.clear();
  }

  private static void writeData(FileChannel ch, Tensor t, ByteBuffer b) throws IOException {
    int n = t.numel();
    int per = CHUNK / t.dtype().bytes();
    Object arr = t.dtype() == DType.FLOAT32 ? t.toFloatArray()
        : t.dtype() == DType.FLOAT64 ? t.toDoubleArray() : (Object) t.toLongArray();
    for (int done = 0; done < n; done += per) {
      int count = Math.min(per, n - done);
      b.clear();
      if (arr instanceof float[]) b.asFloatBuffer().put((float[]) arr, done, count);
      else if (arr instanceof double[]) b.asDoubleBuffer().put((double[]) arr, done, count);
      else b.asLongBuffer().put((long[]) arr, done, count);
      b.position(count * t.dtype().bytes());
      writeAll(ch, b);
    }
  }
}
