package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Tensor;

/**
 * How to walk several strided views of one shape (an element-wise operation's operands and its
 * contiguous result) as rows: dimensions of size 1 are dropped and neighbouring dimensions that
 * every operand lays out as one are merged, so that contiguous operands become one long row, a
 * bias broadcast over {@code [N, C, H, W]} becomes rows of {@code H*W} with a scalar per row, and
 * only truly strided views keep short rows. Row starts are computed on the fly (no offset
 * arrays), and ranges of rows can go to different threads.
 */
final class RowPlan {
  /** Merged shape; the last entry is the row length (1 for a 0-d shape). */
  private final int[] shape;
  /** {@code strides[k][d]}: operand k's stride along merged dimension d. */
  private final int[][] strides;
  private final int[] offsets;
  private final int rows;

  private RowPlan(int[] shape, int[][] strides, int[] offsets) {
    this.shape = shape;
    this.strides = strides;
    this.offsets = offsets;
    int r = 1;
    for (int d = 0; d < shape.length - 1; d++) r *= shape[d];
    this.rows = r;
  }

  /** The plan for views of one common shape. */
  static RowPlan of(int[] shape, Tensor... views) {
    int k = views.length;
    int[][] st = new int[k][];
    int[] off = new int[k];
    for (int i = 0; i < k; i++) {
      st[i] = views[i].strides();
      off[i] = views[i].offset();
    }
    int rank = shape.length;
    int[] ms = new int[rank + 1];
    int[][] mst = new int[k][rank + 1];
    int m = 0;
    for (int d = 0; d < rank; d++) {
      if (shape[d] == 1) continue;
      if (m > 0 && mergeable(st, d, mst, m - 1, shape[d])) {
        ms[m - 1] *= shape[d];
        for (int i = 0; i < k; i++) mst[i][m - 1] = st[i][d];
        continue;
      }
      ms[m] = shape[d];
      for (int i = 0; i < k; i++) mst[i][m] = st[i][d];
      m++;
    }
    if (m == 0) {
      ms[0] = 1;
      m = 1;
    }
    int[] fs = java.util.Arrays.copyOf(ms, m);
    int[][] fst = new int[k][];
    for (int i = 0; i < k; i++) fst[i] = java.util.Arrays.copyOf(mst[i], m);
    return new RowPlan(fs, fst, off);
  }

  /**
   * Whether dimension {@code d} continues merged dimension {@code prev} for every operand: a
   * step along {@code prev} is {@code size} steps along {@code d}.
   */
  private static boolean mergeable(int[][] st, int d, int[][] mst, int prev, int size) {
    for (int i = 0; i < st.length; i++) {
      if ((long) mst[i][prev] != (long) st[i][d] * size) return false;
    }
    return true;
  }

  int rows() {
    return rows;
  }

  /** Elements per row. */
  int length() {
    return shape[shape.length - 1];
  }

  /** Operand {@code k}'s stride along a row. */
  int rowStride(int k) {
    return strides[k][shape.length - 1];
  }

  /** Every operand's elements along a row are adjacent (stride 1) or one value (stride 0). */
  boolean unitOrBroadcastRows() {
    if (length() == 1) return true;
    for (int[] s : strides) {
      int last = s[s.length - 1];
      if (last != 0 && last != 1) return false;
    }
    return true;
  }

  /** Receives each operand's offset of the first element of a run, and the run's length. */
  interface Body {
    void run(int[] starts, int length);
  }

  /** Calls {@code body} for whole rows [from, to), in order. */
  void forRows(int from, int to, Body body) {
    if (from >= to) return;
    int dims = shape.length - 1;
    int k = strides.length;
    int len = length();
    int[] index = new int[Math.max(dims, 1)];
    int[] at = offsets.clone();
    int rest = from;
    for (int d = dims - 1; d >= 0; d--) {
      index[d] = rest % shape[d];
      rest /= shape[d];
      for (int i = 0; i < k; i++) at[i] += index[d] * strides[i][d];
    }
    int[] starts = new int[k];
    for (int r = from; r < to; r++) {
      System.arraycopy(at, 0, starts, 0, k);
      body.run(starts, len);
      for (int d = dims - 1; d >= 0; d--) {
        index[d]++;
        for (int i = 0; i < k; i++) at[i] += strides[i][d];
        if (index[d] < shape[d]) break;
        for (int i = 0; i < k; i++) at[i] -= strides[i][d] * shape[d];
        index[d] = 0;
      }
    }
  }

  /**
   * Every element, split among the cores when there are enough ({@link Parallel#chunks}):
   * each thread takes a fixed range of rows, or of a row's elements when rows are fewer than
   * threads, so that results never depend on scheduling.
   */
  void forAll(Body body) {
    int len = length();
    int chunks = Parallel.chunks((long) rows * len);
    if (chunks <= 1) {
      forRows(0, rows, body);
    } else if (rows >= chunks) {
      Parallel.forEach(chunks, c -> forRows((int) ((long) rows * c / chunks),
          (int) ((long) rows * (c + 1) / chunks), body));
    } else {
      int pieces = (chunks + rows - 1) / rows;
      Parallel.forEach(rows * pieces, t -> {
        int from = (int) ((long) len * (t % pieces) / pieces);
        int to = (int) ((long) len * (t % pieces + 1) / pieces);
        forRows(t / pieces, t / pieces + 1, (starts, n) -> {
          for (int i = 0; i < starts.length; i++) starts[i] += from * rowStride(i);
          body.run(starts, to - from);
        });
      });
    }
  }
}
