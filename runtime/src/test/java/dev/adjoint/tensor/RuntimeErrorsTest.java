package dev.adjoint.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.ad.TensorAdjoints;
import org.junit.jupiter.api.Test;

/** Errors of the runtime that a user can hit outside single operations. */
class RuntimeErrorsTest {
  @Test
  void gradientOfATensorWithMoreThanOneElement() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TensorAdjoints.seed(null, Tensor.zeros(2, 3)));
    assertEquals("a gradient needs a result with one element, got shape [2, 3]; use fVjp with "
        + "a cotangent", e.getMessage());
  }

  @Test
  void cudaWithoutItsBackend() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Tensor.zeros(2).to(Device.CUDA));
    assertEquals("no backend for CUDA on the class path; add the adjoint-cuda module (and a "
        + "CUDA driver) to use Device.CUDA", e.getMessage());
  }
}
