package dev.adjoint.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.DType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The caching allocator's bookkeeping over a fake device memory (no GPU). */
class CachingAllocatorTest {
  /** Hands out addresses from a counter, up to a capacity; records every call. */
  static final class FakeMemory implements DeviceMemory {
    final long capacity;
    long next = 1L << 32;
    long inUse;
    int allocations;
    final List<long[]> live = new ArrayList<>();

    FakeMemory(long capacity) {
      this.capacity = capacity;
    }

    @Override
    public long allocate(long bytes) {
      if (inUse + bytes > capacity) throw new OutOfMemory("fake: " + bytes + " bytes");
      long a = next;
      next += bytes + 4096;
      inUse += bytes;
      allocations++;
      live.add(new long[] {a, bytes});
      return a;
    }

    @Override
    public void free(long address) {
      for (int i = 0; i < live.size(); i++) {
        if (live.get(i)[0] == address) {
          inUse -= live.remove(i)[1];
          return;
        }
      }
      throw new AssertionError("free of " + address + ", never allocated");
    }
  }

  @Test
  void sizeClassesAreFourPerPowerOfTwoWithAtMostAQuarterWasted() {
    long previous = 0;
    Set<Long> classes = new HashSet<>();
    for (long bytes = 1; bytes < (64L << 20); bytes = bytes * 9 / 8 + 1) {
      long c = CachingAllocator.sizeClass(bytes);
      assertTrue(c >= bytes, bytes + " -> " + c);
      assertEquals(0, c % CachingAllocator.MIN_BLOCK, "multiple of 512: " + c);
      assertTrue(c - bytes < Math.max(CachingAllocator.MIN_BLOCK, bytes / 4 + 1),
          "waste of " + bytes + " -> " + c);
      assertTrue(c >= previous, "monotonic");
      assertEquals(c, CachingAllocator.sizeClass(c), "a class is its own class");
      previous = c;
      classes.add(c);
    }
    for (int e = 12; e < 26; e++) {
      long lo = 1L << e;
      long count = classes.stream().filter(c -> c > lo && c <= 2 * lo).count();
      assertTrue(count <= 4, count + " classes in (2^" + e + ", 2^" + (e + 1) + "]");
    }
  }

  @Test
  void smallBlocksComeFromSegmentsAndAreReusedAfterRelease() {
    FakeMemory mem = new FakeMemory(1L << 30);
    CachingAllocator a = new CachingAllocator(mem, 1L << 30);
    List<CudaStorage> held = new ArrayList<>();
    for (int i = 0; i < 100; i++) held.add(a.allocate(DType.FLOAT32, 250));  // 1000 bytes
    assertEquals(1, mem.allocations, "100 blocks of 1 KiB from one 2 MiB segment");
    Set<Long> addresses = new HashSet<>();
    for (CudaStorage s : held) addresses.add(s.address);
    assertEquals(100, addresses.size(), "distinct blocks");
    long first = held.get(0).address;
    a.release(held.get(0));
    CudaStorage again = a.allocate(DType.FLOAT64, 120);  // 960 bytes: the same class
    assertEquals(first, again.address, "the released block is handed out again");
    assertEquals(1, mem.allocations);
    CachingAllocator.Stats s = a.stats();
    assertEquals(100 * 1024, s.allocatedBytes());
    assertEquals(CachingAllocator.SEGMENT, s.reservedBytes());
  }

  @Test
  void blocksOfUnreachableStoragesReturnWithoutFinalizers() throws InterruptedException {
    FakeMemory mem = new FakeMemory(1L << 30);
    CachingAllocator a = new CachingAllocator(mem, 1L << 30);
    long address = allocateAndDrop(a);
    CudaStorage reused = null;
    for (int i = 0; i < 50 && reused == null; i++) {
      System.gc();
      Thread.sleep(10);
      if (a.stats().allocatedBytes() == 0) reused = a.allocate(DType.FLOAT32, 1 << 20);
    }
    assertTrue(reused != null, "the phantom reference was queued after a collection");
    assertEquals(address, reused.address);
    assertEquals(1, mem.allocations, "no second cuMemAlloc");
  }

  private static long allocateAndDrop(CachingAllocator a) {
    return a.allocate(DType.FLOAT32, 1 << 20).address;  // 4 MiB: a large block
  }

  @Test
  void largeBlocksAreAllocatedByClassAndCached() {
    FakeMemory mem = new FakeMemory(1L << 30);
    CachingAllocator a = new CachingAllocator(mem, 1L << 30);
    CudaStorage big = a.allocate(DType.FLOAT64, 300_000);  // 2.4 MB
    assertEquals(CachingAllocator.sizeClass(2_400_000), mem.live.get(0)[1]);
    a.release(big);
    CudaStorage other = a.allocate(DType.FLOAT32, 590_000);  // 2.36 MB, same class
    assertEquals(big.address, other.address);
    a.release(other);
    a.releaseCachedLarge();
    assertEquals(0, mem.inUse, "empty cache returns cached large blocks to the driver");
    assertEquals(0, a.stats().reservedBytes());
  }

  @Test
  void aCollectionIsRequestedWhenFreshMemoryPassesTheThreshold() {
    FakeMemory mem = new FakeMemory(1L << 40);
    CachingAllocator a = new CachingAllocator(mem, 64L << 20);
    for (int i = 0; i < 200; i++) a.allocate(DType.FLOAT32, 1 << 20);  // 4 MiB, dropped
    CachingAllocator.Stats s = a.stats();
    assertTrue(s.gcRequests() > 0, "collections requested");
    assertTrue(s.reservedBytes() < 200L * (4 << 20) / 2,
        "dropped blocks were reused: " + s.reservedBytes() + " bytes reserved");
  }

  @Test
  void outOfMemoryCollectsFirstThenSaysWhatIsHeld() {
    FakeMemory mem = new FakeMemory(64L << 20);
    CachingAllocator a = new CachingAllocator(mem, 1L << 40);
    for (int i = 0; i < 40; i++) a.allocate(DType.FLOAT32, 1 << 20);  // dropped: collectable
    List<CudaStorage> held = new ArrayList<>();
    for (int i = 0; i < 15; i++) held.add(a.allocate(DType.FLOAT32, 1 << 20));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> a.allocate(DType.FLOAT32, 4 << 20));
    assertTrue(e.getMessage().startsWith("CUDA out of memory: allocating 16777216 bytes"),
        e.getMessage());
    assertTrue(e.getMessage().contains((15L << 22) + " bytes are held by live tensors"),
        e.getMessage());
    assertEquals(15, held.size());
  }

  @Test
  void poisonFillsEveryBlockHandedOut() {
    FakeMemory mem = new FakeMemory(1L << 30);
    CachingAllocator a = new CachingAllocator(mem, 1L << 30);
    List<long[]> fills = new ArrayList<>();
    a.setPoison(true, (address, bytes) -> fills.add(new long[] {address, bytes}));
    CudaStorage s = a.allocate(DType.INT64, 10);
    a.setPoison(false, null);
    a.allocate(DType.INT64, 10);
    assertEquals(1, fills.size());
    assertEquals(s.address, fills.get(0)[0]);
    assertEquals(512, fills.get(0)[1]);
    assertNotEquals(0, s.address);
  }
}
