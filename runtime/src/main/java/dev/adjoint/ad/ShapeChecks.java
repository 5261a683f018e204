package dev.adjoint.ad;

import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * The argument checks that generated derivatives start with, one call per declared dimension
 * ({@code dev.adjoint.Shape}). They allocate nothing unless they throw; a null tensor (an
 * optional argument) is not checked. Dimensions are counted from the end when negative (after
 * {@code ...}).
 */
public final class ShapeChecks {
  private ShapeChecks() {}

  /** Checks the number of dimensions: exactly {@code rank}, or at least that many if open. */
  public static void rank(Tensor t, int rank, boolean open, String method, String argument,
      String declared) {
    if (t == null) return;
    int n = t.dim();
    if (n == rank || open && n > rank) return;
    throw new IllegalArgumentException(prefix(method, argument, declared, t) + ": it has " + n
        + (n == 1 ? " dimension" : " dimensions") + ", " + (open ? "at least " : "") + rank
        + " declared");
  }

  /**
   * Binds a name to the size of dimension {@code dim} at its first occurrence ({@code bound}
   * is -1), or checks it against the size bound before; returns the name's size (-1 while no
   * argument has given one).
   */
  public static int bind(int bound, Tensor t, int dim, String method, String argument,
      String declared, String name) {
    if (t == null) return bound;
    int actual = t.size(dim);
    if (bound < 0 || actual == bound) return actual;
    throw new IllegalArgumentException(prefix(method, argument, declared, t) + ": dimension "
        + index(t, dim) + " is " + actual + ", but " + name + " is " + bound
        + " (from an earlier argument)");
  }

  /** Checks that dimension {@code dim} has size {@code expected} ({@code text} as declared). */
  public static void size(Tensor t, int dim, int expected, String method, String argument,
      String declared, String text) {
    if (t == null) return;
    int actual = t.size(dim);
    if (actual == expected) return;
    String what = text.equals(Integer.toString(expected)) ? text : text + " = " + expected;
    throw new IllegalArgumentException(prefix(method, argument, declared, t) + ": dimension "
        + index(t, dim) + " is " + actual + ", not " + what);
  }

  private static int index(Tensor t, int dim) {
    return dim < 0 ? dim + t.dim() : dim;
  }

  private static String prefix(String method, String argument, String declared, Tensor t) {
    return method + ": argument '" + argument + "' is declared @Shape(\"" + declared + "\")"
        + ", but has shape " + Arrays.toString(t.shape());
  }
}
