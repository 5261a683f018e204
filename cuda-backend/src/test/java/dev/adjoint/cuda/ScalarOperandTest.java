package dev.adjoint.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.adjoint.tensor.Backend.BinaryOp;
import dev.adjoint.tensor.Backend.UnaryOp;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Launches the backend queues, on a device that runs nothing ({@link NullDevice}): a scalar
 * operand costs no copy and no kernel of its own, a small upload one kernel, and a kernel that
 * reads a deferred scalar gets it copied first.
 */
class ScalarOperandTest {
  private static CudaBackend open() {
    String old = System.getProperty("adjoint.cuda.api");
    System.setProperty("adjoint.cuda.api", NullDevice.class.getName());
    try {
      CudaBackend b = new CudaBackend();
      b.ops();
      return b;
    } finally {
      if (old == null) System.clearProperty("adjoint.cuda.api");
      else System.setProperty("adjoint.cuda.api", old);
    }
  }

  @Test
  void scalarsTravelAsKernelParameters() {
    CudaBackend b = open();
    NullDevice d = (NullDevice) b.runtime().api;
    Tensor x = new Tensor(b.upload(new float[6]), new int[] {2, 3});
    assertEquals(1L, d.byKernel.get("store_bytes"), "24 bytes: one small-upload kernel");
    d.byKernel.clear();
    Tensor half = new Tensor(b.upload(new float[] {0.5f}), new int[0]);
    assertEquals(0, d.byKernel.size(), "a one-element upload queues nothing yet");
    CudaStorage s = (CudaStorage) half.storage();
    assertEquals(Float.floatToRawIntBits(0.5f), (int) s.constantBits);
    Tensor y = b.binary(BinaryOp.MUL, x, half.broadcastTo(2, 3), new int[] {2, 3},
        DType.FLOAT32);
    assertEquals(java.util.Map.of("binary_mul_f32", 1L), d.byKernel,
        "x * 0.5 is one launch, with 0.5 as a parameter");
    assertSame(DType.FLOAT32, y.dtype());
    d.byKernel.clear();
    b.unary(UnaryOp.EXP, half, 0);
    assertEquals(java.util.Map.of("store_bytes", 1L, "unary_exp_f32", 1L), d.byKernel,
        "a kernel that reads the scalar gets it copied first");
    d.byKernel.clear();
    b.unary(UnaryOp.EXP, half, 0);
    assertEquals(java.util.Map.of("unary_exp_f32", 1L), d.byKernel, "copied once");
    d.byKernel.clear();
    // an INT64 scalar against float32 values is converted first (the CPU's promotion)
    Tensor two = new Tensor(b.upload(new long[] {2}), new int[0]);
    b.binary(BinaryOp.ADD, x, two.broadcastTo(2, 3), new int[] {2, 3}, DType.FLOAT32);
    assertEquals(1L, d.byKernel.get("binary_add_f32"));
    assertEquals(1L, d.byKernel.get("copy_i64_f32"));
  }
}
