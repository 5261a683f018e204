package dev.adjoint.ad;

/**
 * Helpers of generated reverse sweeps over loops: trip counts, and the test that lets a loop's
 * reversal be skipped when no adjoint reaches it.
 *
 * <p>Trip counts of counted loops: a loop such as
 * {@code for (int l = 0; l < d; l++)} whose start and bound do not change while the method runs
 * is not recorded on the tape: its reversal computes how often it ran from the same start, bound
 * and step, and sets the counter to the value it had on exit.
 *
 * <p>Each count is exactly the number of iterations the loop runs in Java, computed in
 * {@code long} so that a start and bound far apart do not overflow.
 */
public final class Loops {
  private Loops() {}

  /** Iterations of {@code for (i = from; i < bound; i += step)}, {@code step > 0}. */
  public static int below(long from, long bound, long step) {
    return from >= bound ? 0 : (int) ((bound - from + step - 1) / step);
  }

  /** Iterations of {@code for (i = from; i <= bound; i += step)}, {@code step > 0}. */
  public static int upTo(long from, long bound, long step) {
    return from > bound ? 0 : (int) ((bound - from) / step + 1);
  }

  /** Iterations of {@code for (i = from; i > bound; i += step)}, {@code step < 0}. */
  public static int above(long from, long bound, long step) {
    return from <= bound ? 0 : (int) ((from - bound - step - 1) / -step);
  }

  /** Iterations of {@code for (i = from; i >= bound; i += step)}, {@code step < 0}. */
  public static int downTo(long from, long bound, long step) {
    return from < bound ? 0 : (int) ((from - bound) / -step + 1);
  }

  /**
   * Whether an adjoint reaching a loop's reversal is anything but zero. Generated code skips the
   * reversal of a loop (the inner loop of {@code closest = Math.min(closest, dist)}, say, for
   * every centroid but the closest) when every adjoint that flows into it is zero: everything it
   * would add is zero. Forward mode over such code tests the tangents of those adjoints too.
   */
  public static boolean nonZero(double adjoint) {
    return adjoint != 0.0;
  }

  /** {@link #nonZero(double)} for a {@code float} adjoint. */
  public static boolean nonZero(float adjoint) {
    return adjoint != 0.0f;
  }
}
