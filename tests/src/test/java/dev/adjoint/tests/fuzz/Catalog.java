package dev.adjoint.tests.fuzz;

import java.util.ArrayList;
import java.util.List;

/** What code being generated may construct and call: the program's records and helpers. */
final class Catalog {
  /** A record component: reals have {@code bound}, arrays {@code length}. */
  record Component(String name, Type type, int length, double bound) {}

  /** A record of the program; {@code method} names its instance method, or is null. */
  record RecordShape(String name, List<Component> components, String method) {
    Component component(Type.Kind kind) {
      for (Component c : components) {
        if (c.type().kind() == kind) return c;
      }
      return null;
    }
  }

  /** What a helper takes and returns. */
  enum Shape {
    /** {@code double h(double..., int...)}. */
    SCALAR,
    /** {@code double h(double[] a, int off, double y)}: reads a at offsets. */
    ARRAY_OFFSET,
    /** {@code double[] h(double[] a, double c)}: an array as long as a. */
    ARRAY_RESULT,
    /** {@code double h(R r, double x)}. */
    RECORD_ARG,
    /** {@code R h(double x, double y)}. */
    RECORD_RESULT,
    /** {@code double h(double x, int depth)}: calls itself depth times. */
    RECURSIVE
  }

  /** A generated helper method; the bound of its result holds for arguments within bounds. */
  record Helper(String name, Shape shape, List<Program.Param> params, double resultBound,
      String recordType) {
    /** Scalar helpers whose parameters are all reals or ints: their derivatives are callable. */
    boolean derivativesCallable() {
      if (shape != Shape.SCALAR && shape != Shape.RECURSIVE) return false;
      return realParams() >= 1;
    }

    int realParams() {
      int n = 0;
      for (Program.Param p : params) {
        if (p.type().isReal()) n++;
      }
      return n;
    }
  }

  /** Bound of every real argument a helper accepts; arrays may hold up to CAP. */
  static final double PARAM_BOUND = 3;

  final List<RecordShape> records = new ArrayList<>();
  final List<Helper> helpers = new ArrayList<>();

  RecordShape record(String name) {
    for (RecordShape r : records) {
      if (r.name().equals(name)) return r;
    }
    throw new IllegalArgumentException(name);
  }
}
