package dev.adjoint.ad;

import java.util.Arrays;

/**
 * The typed stacks that generated reverse-mode code uses over control flow: the forward sweep
 * pushes what the reverse sweep needs (branches taken, trip counts, overwritten values) and the
 * reverse sweep pops it back in the opposite order. One tape lives for one call of a generated
 * method; straight-line code never creates one.
 *
 * <p>Each primitive type has its own array, so nothing is boxed; an array is allocated when its
 * type is first pushed, so a tape that records only loop trip counts costs one small array.
 *
 * <p>A generated method whose forward and reverse sweeps both run in it takes its tape from
 * {@link #open()} and gives it back with {@link #close()}: the next call on the same thread
 * reuses its arrays instead of allocating and growing new ones (for a tape of millions of values,
 * allocating it cost more than the sweeps that fill and empty it). A split callee
 * ({@code fVjpForward(args..., tape)}, {@code fVjpBackward(tape, ...)}) works on its caller's
 * tape; a user who keeps one for a later reverse sweep makes it with {@code new Tape()}. Each
 * thread keeps at most {@value #POOLED} tapes, none over {@value #MAX_POOLED_BYTES}
 * bytes.
 */
public final class Tape {
  /** How many idle tapes a thread keeps: one per level of nested generated calls, up to this. */
  static final int POOLED = 4;
  /** A tape that grew past this is left to the garbage collector rather than kept. */
  static final long MAX_POOLED_BYTES = 256L << 20;
  private static final ThreadLocal<Tape[]> POOL = ThreadLocal.withInitial(() -> new Tape[POOLED]);

  /** An empty tape: one this thread closed before, or a new one. */
  public static Tape open() {
    Tape[] pool = POOL.get();
    for (int i = POOLED - 1; i >= 0; i--) {
      Tape t = pool[i];
      if (t != null) {
        pool[i] = null;
        return t;
      }
    }
    return new Tape();
  }

  /**
   * Empties this tape and keeps it for this thread's next {@link #open()}. The caller must not
   * use it afterwards.
   */
  public void close() {
    Arrays.fill(objects, 0, objectTop, null);
    doubleTop = floatTop = longTop = intTop = booleanTop = objectTop = 0;
    markTop = 0;
    long bytes = 8L * doubles.length + 4L * floats.length + 8L * longs.length + 4L * ints.length
        + booleans.length + 4L * objects.length + 4L * marks.length;
    if (bytes > MAX_POOLED_BYTES) return;
    Tape[] pool = POOL.get();
    int free = -1;
    for (int i = POOLED - 1; i >= 0; i--) {
      if (pool[i] == this) return; // closed twice: kept once
      if (pool[i] == null) free = i;
    }
    if (free >= 0) pool[free] = this;
  }

  private static final double[] NO_DOUBLES = {};
  private static final float[] NO_FLOATS = {};
  private static final long[] NO_LONGS = {};
  private static final int[] NO_INTS = {};
  private static final boolean[] NO_BOOLEANS = {};
  private static final Object[] NO_OBJECTS = {};

  private static int grow(int size) {
    return Math.max(16, size * 2);
  }

  private double[] doubles = NO_DOUBLES;
  private int doubleTop;
  private float[] floats = NO_FLOATS;
  private int floatTop;
  private long[] longs = NO_LONGS;
  private int longTop;
  private int[] ints = NO_INTS;
  private int intTop;
  private boolean[] booleans = NO_BOOLEANS;
  private int booleanTop;
  private Object[] objects = NO_OBJECTS;
  private int objectTop;
  /** The tops of the six stacks at each open {@link #mark()}, {@value #MARK} ints a mark. */
  private int[] marks = NO_INTS;
  private int markTop;
  private static final int MARK = 6;

  /** Records a {@code double} for the reverse sweep. */
  public void push(double v) {
    if (doubleTop == doubles.length) doubles = Arrays.copyOf(doubles, grow(doubleTop));
    doubles[doubleTop++] = v;
  }

  /** The {@code double} pushed last, removed. */
  public double popDouble() {
    return doubles[--doubleTop];
  }

  /** Records a {@code float} for the reverse sweep. */
  public void push(float v) {
    if (floatTop == floats.length) floats = Arrays.copyOf(floats, grow(floatTop));
    floats[floatTop++] = v;
  }

  /** The {@code float} pushed last, removed. */
  public float popFloat() {
    return floats[--floatTop];
  }

  /** Records a {@code long} for the reverse sweep. */
  public void push(long v) {
    if (longTop == longs.length) longs = Arrays.copyOf(longs, grow(longTop));
    longs[longTop++] = v;
  }

  /** The {@code long} pushed last, removed. */
  public long popLong() {
    return longs[--longTop];
  }

  /** Records an {@code int} (a trip count, an index) for the reverse sweep. */
  public void push(int v) {
    if (intTop == ints.length) ints = Arrays.copyOf(ints, grow(intTop));
    ints[intTop++] = v;
  }

  /** The {@code int} pushed last, removed. */
  public int popInt() {
    return ints[--intTop];
  }

  /** Records a branch taken for the reverse sweep. */
  public void push(boolean v) {
    if (booleanTop == booleans.length) booleans = Arrays.copyOf(booleans, grow(booleanTop));
    booleans[booleanTop++] = v;
  }

  /** The {@code boolean} pushed last, removed. */
  public boolean popBoolean() {
    return booleans[--booleanTop];
  }

  /** Pushes a reference (an array that a loop reallocates, say). */
  public void pushObject(Object v) {
    if (objectTop == objects.length) objects = Arrays.copyOf(objects, grow(objectTop));
    objects[objectTop++] = v;
  }

  /** The object pushed last (a tensor, an array), removed, as the type the caller expects. */
  @SuppressWarnings("unchecked")
  public <T> T popObject() {
    T v = (T) objects[--objectTop];
    objects[objectTop] = null;
    return v;
  }

  /**
   * Remembers where every stack stands, before a split callee's forward sweep pushes its
   * residuals here. The caller's reverse sweep either runs the callee's backward, which pops
   * them, and then {@link #dropMark()}, or skips it (no adjoint reached the call) and
   * {@link #rewind()}s past them. Marks nest as calls do. Returns the mark's place among the
   * open marks, for {@link #endCall}.
   */
  public int mark() {
    if (markTop + MARK > marks.length) marks = Arrays.copyOf(marks, grow(markTop + MARK));
    marks[markTop] = doubleTop;
    marks[markTop + 1] = floatTop;
    marks[markTop + 2] = longTop;
    marks[markTop + 3] = intTop;
    marks[markTop + 4] = booleanTop;
    marks[markTop + 5] = objectTop;
    markTop += MARK;
    return markTop / MARK - 1;
  }

  /**
   * After the split callee of {@code mark} returns: records, above its residuals, how many
   * marks it left open (its own calls, whose fate its backward decides). The caller's reverse
   * sweep then either {@link #reopen()}s before running the callee's backward, which resolves
   * them, or {@link #rewindCall()}s past the residuals and those marks together.
   */
  public void endCall(int mark) {
    push(markTop / MARK - 1 - mark);
  }

  /** Before the backward of a call {@link #endCall} closed: its open marks are still in place. */
  public void reopen() {
    popInt();
  }

  /**
   * Discards what the call {@link #endCall} closed left: the marks its callee left open, its
   * residuals and its mark.
   */
  public void rewindCall() {
    markTop -= popInt() * MARK;
    rewind();
  }

  /** Forgets the last {@link #mark()}: what was pushed after it has been popped. */
  public void dropMark() {
    markTop -= MARK;
  }

  /** Discards everything pushed since the last {@link #mark()}, and the mark. */
  public void rewind() {
    markTop -= MARK;
    doubleTop = marks[markTop];
    floatTop = marks[markTop + 1];
    longTop = marks[markTop + 2];
    intTop = marks[markTop + 3];
    booleanTop = marks[markTop + 4];
    int objectsTo = marks[markTop + 5];
    Arrays.fill(objects, objectsTo, objectTop, null);
    objectTop = objectsTo;
  }

  /** True when every stack is empty: what a balanced forward and reverse sweep leaves. */
  public boolean isEmpty() {
    return doubleTop == 0 && floatTop == 0 && longTop == 0 && intTop == 0 && booleanTop == 0
        && objectTop == 0 && markTop == 0;
  }
}
