package dev.adjoint.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opening data files: gzip is recognised by its magic bytes (1f 8b), not by the name. */
final class DataFiles {
  private DataFiles() {}

  /** The file's bytes, decompressed when it is gzip. */
  static InputStream open(Path path) {
    try {
      BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
      in.mark(2);
      int a = in.read();
      int b = in.read();
      in.reset();
      if (a == 0x1f && b == 0x8b) return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
      return in;
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  static boolean gzip(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  /** An error reading (or decompressing) a file, naming it and where it happened. */
  static IllegalArgumentException corrupt(Path path, String where, IOException e) {
    return new IllegalArgumentException(path + ": " + (gzip(path) ? "corrupt gzip data" :
        "read error") + " " + where + " (" + e.getMessage() + ")", e);
  }
}
