package dev.adjoint.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The entry checks of generated derivatives: what passes, and the message of what does not. */
class ShapeChecksTest {
  private static final Tensor X = Tensor.zeros(32, 785);

  @Test
  void rankExactOrAtLeast() {
    ShapeChecks.rank(X, 2, false, "fGrad", "x", "B, 785");
    ShapeChecks.rank(X, 1, true, "fGrad", "x", "..., 785");
    ShapeChecks.rank(null, 3, false, "fGrad", "bias", "O"); // an absent optional tensor
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShapeChecks.rank(X, 3, false, "fGrad", "x", "B, C, 785"));
    assertEquals("fGrad: argument 'x' is declared @Shape(\"B, C, 785\"), but has shape "
        + "[32, 785]: it has 2 dimensions, 3 declared", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ShapeChecks.rank(X, 3, true, "fGrad", "x", "..., C, H, W"));
    assertEquals("fGrad: argument 'x' is declared @Shape(\"..., C, H, W\"), but has shape "
        + "[32, 785]: it has 2 dimensions, at least 3 declared", e.getMessage());
  }

  @Test
  void namesBindOnceAndCheckAfter() {
    int b = ShapeChecks.bind(-1, X, 0, "fGrad", "x", "B, 785", "B");
    assertEquals(32, b);
    assertEquals(32, ShapeChecks.bind(b, Tensor.zeros(32), 0, "fGrad", "labels", "B", "B"));
    assertEquals(32, ShapeChecks.bind(b, null, 0, "fGrad", "labels", "B", "B"));
    assertEquals(785, ShapeChecks.bind(-1, X, -1, "fGrad", "x", "..., D", "D"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShapeChecks.bind(b, Tensor.zeros(64), 0, "fGrad", "labels", "B", "B"));
    assertEquals("fGrad: argument 'labels' is declared @Shape(\"B\"), but has shape [64]: "
        + "dimension 0 is 64, but B is 32 (from an earlier argument)", e.getMessage());
  }

  @Test
  void sizes() {
    ShapeChecks.size(X, 1, 785, "fGrad", "x", "B, 785", "785");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShapeChecks.size(X, 1, 784, "fGrad", "x", "B, 784", "784"));
    assertEquals("fGrad: argument 'x' is declared @Shape(\"B, 784\"), but has shape [32, 785]: "
        + "dimension 1 is 785, not 784", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ShapeChecks.size(X, -1, 16 * 49, "fGrad", "x", "B, C*7*7", "C*7*7"));
    assertEquals("fGrad: argument 'x' is declared @Shape(\"B, C*7*7\"), but has shape "
        + "[32, 785]: dimension 1 is 785, not C*7*7 = 784", e.getMessage());
  }
}
