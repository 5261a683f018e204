package dev.adjoint.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Argument marshalling (C struct layout) and launch geometry, without a GPU. */
class ParamsAndLaunchTest {
  @Test
  void fieldsAreAlignedAsACompilerAlignsThem() {
    byte[] b = new Params().i32(7).ptr(0x1122334455667788L).i32(-2).f64(1.5).i32(9).bytes();
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(7, buf.getInt(0));
    assertEquals(0x1122334455667788L, buf.getLong(8), "a pointer after an int starts at 8");
    assertEquals(-2, buf.getInt(16));
    assertEquals(1.5, buf.getDouble(24), "a double after an int at 16 starts at 24");
    assertEquals(9, buf.getInt(32));
    assertEquals(40, b.length, "the struct is rounded up to its 8-byte alignment");
  }

  @Test
  void shapesAndViewsFillTheirFixedArrays() {
    byte[] b = new Params().shape(new int[] {3, 4}).view(5, new int[] {4, 1}).bytes();
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(2, buf.getInt(0), "rank");
    assertEquals(12, buf.getInt(4), "elements");
    assertEquals(3, buf.getInt(8));
    assertEquals(4, buf.getInt(12));
    for (int i = 2; i < Params.MAXD; i++) assertEquals(0, buf.getInt(8 + 4 * i));
    int view = 8 + 4 * Params.MAXD;
    assertEquals(5, buf.getInt(view), "offset");
    assertEquals(4, buf.getInt(view + 4));
    assertEquals(1, buf.getInt(view + 8));
    assertEquals(0, buf.getInt(view + 12));
    assertEquals((8 + 4 * Params.MAXD + 4 + 4 * Params.MAXD + 7) / 8 * 8, new Params().shape(new int[0])
        .view(0, new int[0]).size());
    assertThrows(IllegalArgumentException.class, () -> new Params().ints(new int[9], 8));
  }

  @Test
  void linearLaunchesCoverSmallSizesAndCapLargeOnes() {
    int sms = 132;
    for (long n : new long[] {1, 255, 256, 257, 10_000, 1_000_000, 1L << 31}) {
      Launch l = Launch.linear(n, sms);
      assertEquals(Launch.THREADS, l.threads());
      long blocks = (n + Launch.THREADS - 1) / Launch.THREADS;
      assertEquals(Math.min(blocks, sms * Launch.BLOCKS_PER_SM), l.gridX(), "n = " + n);
    }
    assertThrows(IllegalArgumentException.class, () -> new Launch(1, 70000, 1, 32, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Launch(1, 1, 1, 64, 32, 1));
  }

  @Test
  void reductionsGiveEveryBlockWork() {
    for (int n : new int[] {1, 255, 256, 257, 100_000, 1 << 28}) {
      int p = Reductions.partials(n, 132);
      assertTrue(p >= 1 && p <= Reductions.MAX_PARTIALS);
      assertTrue((long) (p - 1) * Launch.THREADS < n, "block " + (p - 1) + " of " + n);
    }
    Launch shortRows = Reductions.rowsLaunch(1000, 10, 132);
    assertEquals(32, shortRows.blockX(), "a warp per output");
    assertEquals(8, shortRows.blockY());
    assertEquals(125, shortRows.gridX());
    Launch longRows = Reductions.rowsLaunch(3, 50_000, 132);
    assertEquals(256, longRows.blockX(), "a block per output");
    assertEquals(3, longRows.gridX());
    Launch cols = Reductions.colsLaunch(100, 132);
    assertEquals(4, cols.gridX());
    assertEquals(32 * 8, cols.threads());
  }

  @Test
  void gemmPlansPickTilesAndSplitK() {
    GemmPlan big = GemmPlan.of(DType.FLOAT32, false, false, 4096, 4096, 4096, 1, 132);
    assertEquals("gemm_simt_f32_large", big.kernel());
    assertEquals(1, big.splits());
    assertEquals(32 * 32, big.launch(1).gridX());
    GemmPlan mlp = GemmPlan.of(DType.FLOAT32, false, false, 128, 256, 784, 1, 132);
    assertEquals("gemm_simt_f32_small", mlp.kernel());
    assertTrue(mlp.splits() > 1, "8 tiles on 132 SMs: k is split");
    assertTrue(mlp.kChunk() % mlp.tileK() == 0);
    assertTrue((long) mlp.splits() * mlp.kChunk() >= 784);
    assertTrue((long) (mlp.splits() - 1) * mlp.kChunk() < 784, "no empty slice");
    GemmPlan tf32 = GemmPlan.of(DType.FLOAT32, true, true, 64, 50_000, 576, 1, 132);
    assertEquals("gemm_tf32_conv", tf32.kernel());
    assertEquals(16, tf32.tileK());
    GemmPlan f64 = GemmPlan.of(DType.FLOAT64, true, false, 10, 10, 10, 3, 132);
    assertEquals("gemm_simt_f64", f64.kernel(), "TF32 is for float32 only");
    assertEquals(1, f64.splits(), "k too short to split");
    GemmPlan batched = GemmPlan.of(DType.FLOAT32, false, false, 64, 64, 4096, 100_000, 132);
    assertEquals(1, batched.splits(), "enough blocks from the batch");
    assertEquals(Launch.MAX_GRID_YZ, batched.launch(100_000).gridZ(), "batches loop past 65535");
    assertThrows(IllegalArgumentException.class,
        () -> GemmPlan.of(DType.FLOAT64, false, true, 8, 8, 8, 1, 132));
  }

  @Test
  void sizeOneDimensionsGetStridesThatReadAlongTheOther() {
    assertArrayEquals(new int[] {5, 1}, Matmuls.matrixStrides(new int[] {999, 1}, 1, 5));
    assertArrayEquals(new int[] {1, 7}, Matmuls.matrixStrides(new int[] {1, 0}, 7, 1));
    assertArrayEquals(new int[] {1, 3}, Matmuls.matrixStrides(new int[] {2, 9, 1, 3}, 3, 4));
  }
}
