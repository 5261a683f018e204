package dev.adjoint.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Merged layouts walk the same storage offsets, in the same order, as the views they merge. */
class LayoutTest {
  /** Offsets of every element of a shape under strides, in row-major order (brute force). */
  static int[] offsets(int[] shape, int[] strides, int base) {
    int n = Shapes.numel(shape);
    int[] out = new int[n];
    int[] idx = new int[shape.length];
    for (int i = 0; i < n; i++) {
      int off = base;
      for (int d = 0; d < shape.length; d++) off += idx[d] * strides[d];
      out[i] = off;
      for (int d = shape.length - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  }

  @Test
  void contiguousAndScalarBroadcastBecomeRankOne() {
    Tensor x = Tensor.zeros(4, 5, 6);
    Layout l = Layout.of(x, Tensor.scalar(1).broadcastTo(4, 5, 6));
    assertArrayEquals(new int[] {120}, l.shape);
    assertArrayEquals(new int[] {1}, l.strides[0]);
    assertArrayEquals(new int[] {0}, l.strides[1]);
  }

  @Test
  void transposedBiasAndSizeOneDimensions() {
    Tensor t = Tensor.zeros(6, 4).transpose(0, 1);
    Layout l = Layout.of(t);
    assertArrayEquals(new int[] {4, 6}, l.shape);
    assertArrayEquals(new int[] {1, 4}, l.strides[0]);
    Tensor bias = Tensor.zeros(256).broadcastTo(128, 256);
    Layout lb = Layout.of(Tensor.zeros(128, 256), bias);
    assertArrayEquals(new int[] {128, 256}, lb.shape);
    assertArrayEquals(new int[] {0, 1}, lb.strides[1]);
    Layout ones = Layout.of(Tensor.zeros(1, 3, 1, 1));
    assertArrayEquals(new int[] {3}, ones.shape);
    assertEquals(0, Layout.of(Tensor.scalar(2)).rank());
  }

  @Test
  void randomViewsKeepTheirOffsets() {
    Random r = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      int rank = 1 + r.nextInt(6);
      int[] shape = new int[rank];
      for (int i = 0; i < rank; i++) shape[i] = 1 + r.nextInt(4);
      Tensor base = Tensor.zeros(shape);
      int[] perm = shuffled(r, rank);
      Tensor a = base.permute(perm);
      Tensor b = r.nextBoolean() ? Tensor.zeros(a.shape()) : Tensor.zeros(a.shape()).slice(0, 0,
          a.size(0));
      if (rank > 1 && r.nextBoolean()) {
        int d = r.nextInt(rank);
        int[] s = a.shape();
        s[d] = 1;
        b = Tensor.zeros(s).broadcastTo(a.shape());
      }
      Layout l = Layout.of(a, b);
      String what = Arrays.toString(a.shape()) + " perm " + Arrays.toString(perm) + ": " + l;
      assertArrayEquals(offsets(a.shape(), a.strides(), 0), offsets(l.shape, l.strides[0], 0),
          what);
      assertArrayEquals(offsets(b.shape(), b.strides(), 0), offsets(l.shape, l.strides[1], 0),
          what);
      assertEquals(Shapes.numel(a.shape()), Shapes.numel(l.shape));
    }
  }

  @Test
  void tenReversedDimensionsDoNotFit() {
    int[] s = new int[10];
    Arrays.fill(s, 2);
    Tensor t = Tensor.zeros(s).permute(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    assertEquals(false, Layout.of(t).fits());
    assertEquals(true, Layout.of(Tensor.zeros(s)).fits());
  }

  private static int[] shuffled(Random r, int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
