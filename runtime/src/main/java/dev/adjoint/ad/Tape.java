package dev.adjoint.ad;

import java.util.Arrays;

/**
 * The typed stacks that generated reverse-mode code uses over control flow: the forward sweep
 * pushes what the reverse sweep needs (branches taken, trip counts, overwritten values) and the
 * reverse sweep pops it back in the opposite order. One tape lives for one call of a generated
 * method; straight-line code never creates one.
 *
 * <p>Each primitive type has its own array, so nothing is boxed.
 */
public final class Tape {
  private double[] doubles = new double[16];
  private int doubleTop;
  private float[] floats = new float[16];
  private int floatTop;
  private long[] longs = new long[16];
  private int longTop;
  private int[] ints = new int[16];
  private int intTop;
  private boolean[] booleans = new boolean[16];
  private int booleanTop;
  private Object[] objects = new Object[8];
  private int objectTop;

  public void push(double v) {
    if (doubleTop == doubles.length) doubles = Arrays.copyOf(doubles, doubleTop * 2);
    doubles[doubleTop++] = v;
  }

  public double popDouble() {
    return doubles[--doubleTop];
  }

  public void push(float v) {
    if (floatTop == floats.length) floats = Arrays.copyOf(floats, floatTop * 2);
    floats[floatTop++] = v;
  }

  public float popFloat() {
    return floats[--floatTop];
  }

  public void push(long v) {
    if (longTop == longs.length) longs = Arrays.copyOf(longs, longTop * 2);
    longs[longTop++] = v;
  }

  public long popLong() {
    return longs[--longTop];
  }

  public void push(int v) {
    if (intTop == ints.length) ints = Arrays.copyOf(ints, intTop * 2);
    ints[intTop++] = v;
  }

  public int popInt() {
    return ints[--intTop];
  }

  public void push(boolean v) {
    if (booleanTop == booleans.length) booleans = Arrays.copyOf(booleans, booleanTop * 2);
    booleans[booleanTop++] = v;
  }

  public boolean popBoolean() {
    return booleans[--booleanTop];
  }

  /** Pushes a reference (an array that a loop reallocates, say). */
  public void pushObject(Object v) {
    if (objectTop == objects.length) objects = Arrays.copyOf(objects, objectTop * 2);
    objects[objectTop++] = v;
  }

  @SuppressWarnings("unchecked")
  public <T> T popObject() {
    T v = (T) objects[--objectTop];
    objects[objectTop] = null;
    return v;
  }

  /** True when every stack is empty: what a balanced forward and reverse sweep leaves. */
  public boolean isEmpty() {
    return doubleTop == 0 && floatTop == 0 && longTop == 0 && intTop == 0 && booleanTop == 0
        && objectTop == 0;
  }
}
