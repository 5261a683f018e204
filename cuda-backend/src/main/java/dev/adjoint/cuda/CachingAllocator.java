package dev.adjoint.cuda;

import dev.adjoint.tensor.DType;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Device memory for tensors, as PyTorch's caching allocator gives it: sizes are rounded up to
 * size classes (four per power of two), a block freed by a tensor goes to the free list of its
 * class and is handed to the next request of that class, and the driver is asked for memory
 * only when a list is empty. Blocks up to {@link #SMALL_LIMIT} are cut from
 * {@link #SEGMENT}-byte segments, so that even a burst of small tensors costs few
 * {@code cuMemAlloc} calls.
 *
 * <p>A block is freed when its storage becomes unreachable: a phantom reference to the storage
 * is queued by the garbage collector, and the queue is drained at the next allocation (no
 * finalizers, no cleaner thread). Reuse is safe without events because every kernel runs on
 * one stream: work that read a block was queued before the storage became unreachable, so it
 * runs before any later kernel writes the block again.
 *
 * <p>A collection is requested ({@code System.gc()}) when a request finds its free list empty
 * after more than {@link #gcAfterBytes} were handed out since the last one, and before giving
 * up when the driver is out of memory: tensors are small Java objects holding large device
 * buffers, so the Java heap alone would rarely prompt a collection. The memory taken from the
 * driver thus stays near what live tensors hold plus {@code gcAfterBytes}.
 */
final class CachingAllocator {
  static final long MIN_BLOCK = 512;
  static final long SMALL_LIMIT = 1L << 20;
  static final long SEGMENT = 2L << 20;

  private final DeviceMemory memory;
  private final long gcAfterBytes;
  private final ReferenceQueue<CudaStorage> queue = new ReferenceQueue<>();
  /** Every block held by a storage: the references must stay reachable until queued. */
  private final BlockRef live = new BlockRef(null, 0, 0, null);
  private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
  private final List<Long> segments = new ArrayList<>();
  private final List<Long> largeBlocks = new ArrayList<>();
  private long segmentNext;
  private long segmentEnd;

  private long allocatedBytes;  // in blocks held by live storages (class sizes)
  private long reservedBytes;   // taken from the driver
  private long handedSinceGc;  // bytes handed out (fresh or reused) since the last collection
  private long driverAllocations;
  private long gcRequests;

  /** Calls after which tests and the device check fill every block they hand out. */
  private boolean poison;
  private Poisoner poisoner;

  /** Fills a block with a pattern (0xFF bytes: NaN in floats, -1 in longs). */
  interface Poisoner {
    void fill(long address, long bytes);
  }

  CachingAllocator(DeviceMemory memory, long gcAfterBytes) {
    this.memory = memory;
    this.gcAfterBytes = gcAfterBytes;
  }

  /**
   * The size class of a request: at least {@link #MIN_BLOCK}, else the next multiple of a
   * quarter of the power of two below it (so at most 25% is wasted), in multiples of 512.
   */
  static long sizeClass(long bytes) {
    if (bytes <= MIN_BLOCK) return MIN_BLOCK;
    int e = 63 - Long.numberOfLeadingZeros(bytes - 1);  // 2^e < bytes <= 2^(e+1)
    long step = Math.max(MIN_BLOCK, 1L << (e - 2));
    return (bytes + step - 1) / step * step;
  }

  /**
   * A storage of {@code length} elements (its contents undefined, or poisoned), whose block
   * returns to the cache when the storage is unreachable or {@link #release}d.
   */
  synchronized CudaStorage allocate(DType dtype, int length) {
    long bytes = (long) length * dtype.bytes();
    long address = block(bytes);
    CudaStorage s = new CudaStorage(dtype, length, address);
    BlockRef ref = new BlockRef(s, address, sizeClass(bytes), queue);
    s.ref = ref;
    ref.linkAfter(live);
    return s;
  }

  /**
   * Returns a temporary's block now (split-K workspaces, converted operands): safe as soon as
   * the kernels that use it are queued, since later kernels run after them.
   */
  synchronized void release(CudaStorage s) {
    Object ref = s.ref;
    if (ref == null) return;
    s.ref = null;
    ((BlockRef) ref).clear();
    release((BlockRef) ref);
  }

  private long block(long bytes) {
    drain();
    long size = sizeClass(bytes);
    Long address = take(size);
    if (address == null) {
      if (handedSinceGc + size > gcAfterBytes && handedSinceGc > 0) {
        collect();
        address = take(size);
      }
      if (address == null) address = fresh(size);
    }
    allocatedBytes += size;
    handedSinceGc += size;
    if (poison && poisoner != null) poisoner.fill(address, size);
    return address;
  }

  private Long take(long size) {
    ArrayDeque<Long> list = free.get(size);
    return list == null || list.isEmpty() ? null : list.pop();
  }

  private long fresh(long size) {
    try {
      return freshOnce(size);
    } catch (DeviceMemory.OutOfMemory first) {
      collect();
      Long again = take(size);
      if (again != null) return again;
      releaseCachedLarge();
      try {
        return freshOnce(size);
      } catch (DeviceMemory.OutOfMemory second) {
        throw new IllegalStateException("CUDA out of memory: allocating " + size + " bytes ("
            + first.getMessage() + "); " + allocatedBytes + " bytes are held by live tensors, "
            + cachedBytes() + " cached. Free tensors (drop references) or use smaller batches.");
      }
    }
  }

  private long freshOnce(long size) {
    if (size > SMALL_LIMIT) {
      long a = memory.allocate(size);
      countDriver(size);
      largeBlocks.add(a);
      return a;
    }
    if (segmentNext + size > segmentEnd) {
      // The tail of the old segment becomes blocks of smaller classes.
      recycleTail();
      long s = memory.allocate(SEGMENT);
      countDriver(SEGMENT);
      segments.add(s);
      segmentNext = s;
      segmentEnd = s + SEGMENT;
    }
    long a = segmentNext;
    segmentNext += size;
    return a;
  }

  private void recycleTail() {
    while (segmentEnd - segmentNext >= MIN_BLOCK) {
      long rest = segmentEnd - segmentNext;
      long size = MIN_BLOCK;
      while (sizeClass(size + 1) <= rest) size = sizeClass(size + 1);
      free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(segmentNext);
      segmentNext += size;
    }
  }

  private void countDriver(long size) {
    reservedBytes += size;
    driverAllocations++;
  }

  /** Blocks of storages that became unreachable go back to their free lists. */
  private void drain() {
    Reference<? extends CudaStorage> r;
    while ((r = queue.poll()) != null) release((BlockRef) r);
  }

  private void release(BlockRef ref) {
    if (!ref.unlink()) return;
    allocatedBytes -= ref.size;
    free.computeIfAbsent(ref.size, k -> new ArrayDeque<>()).push(ref.address);
  }

  /** Asks for a collection and takes back what it found unreachable. */
  private void collect() {
    gcRequests++;
    handedSinceGc = 0;
    System.gc();
    try {
      Reference<? extends CudaStorage> r;
      while ((r = queue.remove(50)) != null) release((BlockRef) r);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns every cached block above the small limit to the driver. */
  synchronized void releaseCachedLarge() {
    for (Map.Entry<Long, ArrayDeque<Long>> e : free.entrySet()) {
      if (e.getKey() <= SMALL_LIMIT) continue;
      for (Long a : e.getValue()) {
        memory.free(a);
        largeBlocks.remove(a);
        reservedBytes -= e.getKey();
      }
      e.getValue().clear();
    }
  }

  /** Collects, then gives cached large blocks back to the driver (torch.cuda.empty_cache). */
  synchronized void emptyCache() {
    collect();
    releaseCachedLarge();
  }

  synchronized void setPoison(boolean on, Poisoner with) {
    poison = on;
    poisoner = with;
  }

  synchronized Stats stats() {
    drain();
    return new Stats(allocatedBytes, reservedBytes, cachedBytes(), driverAllocations, gcRequests);
  }

  private long cachedBytes() {
    long c = 0;
    for (Map.Entry<Long, ArrayDeque<Long>> e : free.entrySet()) c += e.getKey() * e.getValue().size();
    return c;
  }

  /** Counters (bytes as size classes): what tensors hold, what the driver gave, what waits. */
  record Stats(long allocatedBytes, long reservedBytes, long cachedBytes,
      long driverAllocations, long gcRequests) {}

  /** A block's phantom reference, in a doubly linked list of live blocks (O(1), no hashing). */
  private static final class BlockRef extends PhantomReference<CudaStorage> {
    final long address;
    final long size;
    BlockRef prev = this;
    BlockRef next = this;

    BlockRef(CudaStorage storage, long address, long size, ReferenceQueue<CudaStorage> q) {
      super(storage, q);
      this.address = address;
      this.size = size;
    }

    void linkAfter(BlockRef head) {
      prev = head;
      next = head.next;
      head.next.prev = this;
      head.next = this;
    }

    /** Leaves the list; false if it had left already. */
    boolean unlink() {
      if (next == this) return false;
      prev.next = next;
      next.prev = prev;
      prev = this;
      next = this;
      return true;
    }
  }
}
