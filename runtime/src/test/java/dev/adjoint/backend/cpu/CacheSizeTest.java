package dev.adjoint.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CacheSizeTest {
  @Test
  void parsesSysfsSizes() {
    assertEquals(2048L << 10, CacheSize.parseSize("2048K"));
    assertEquals(1L << 20, CacheSize.parseSize("1M"));
    assertEquals(524288, CacheSize.parseSize("524288"));
    assertEquals(-1, CacheSize.parseSize("big"));
    assertEquals(-1, CacheSize.parseSize(""));
  }

  @Test
  void l2IsPositiveOnEveryMachine() {
    // sysfs where there is one, the 1 MB default where not: never zero, whatever the OS.
    assertTrue(CacheSize.l2Bytes() >= 64 << 10, "L2 " + CacheSize.l2Bytes());
  }
}
