package dev.adjoint.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The size of a core's L2 cache, which the matrix product's blocking is sized by: read from
 * Linux's sysfs, 1 MB where that cannot be read (another OS, a container hiding it), or what
 * {@code -Dadjoint.l2=BYTES} says.
 */
final class CacheSize {
  static final long DEFAULT_L2 = 1L << 20;

  private CacheSize() {}

  static long l2Bytes() {
    Long given = Long.getLong("adjoint.l2");
    if (given != null && given > 0) return given;
    Path caches = Path.of("/sys/devices/system/cpu/cpu0/cache");
    for (int i = 0; i < 8; i++) {
      Path index = caches.resolve("index" + i);
      try {
        if (!Files.isDirectory(index)) break;
        String type = Files.readString(index.resolve("type")).trim();
        if (!Files.readString(index.resolve("level")).trim().equals("2")
            || type.equals("Instruction")) {
          continue;
        }
        long size = parseSize(Files.readString(index.resolve("size")).trim());
        if (size > 0) return size;
      } catch (IOException | RuntimeException unreadable) {
        return DEFAULT_L2;
      }
    }
    return DEFAULT_L2;
  }

  /** sysfs's "2048K", "1M" or "524288" as bytes; -1 where it is none of those. */
  static long parseSize(String text) {
    String t = text.toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("K")) unit = 1L << 10;
    else if (t.endsWith("M")) unit = 1L << 20;
    if (unit > 1) t = t.substring(0, t.length() - 1);
    try {
      return Long.parseLong(t) * unit;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
