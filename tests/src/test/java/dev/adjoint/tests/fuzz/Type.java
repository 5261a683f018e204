package dev.adjoint.tests.fuzz;

/**
 * A type in a generated program. {@code REAL} is printed as {@code double} or {@code float}
 * depending on the variant being printed, so that one program gives both.
 */
record Type(Kind kind, String name) {
  enum Kind { REAL, INT, BOOL, REAL_ARRAY, INT_ARRAY, RECORD, STRING, TENSOR, INFERRED }

  static final Type REAL = new Type(Kind.REAL, null);
  static final Type INT = new Type(Kind.INT, null);
  static final Type BOOL = new Type(Kind.BOOL, null);
  static final Type REAL_ARRAY = new Type(Kind.REAL_ARRAY, null);
  static final Type INT_ARRAY = new Type(Kind.INT_ARRAY, null);
  static final Type STRING = new Type(Kind.STRING, null);
  static final Type TENSOR = new Type(Kind.TENSOR, null);
  /** {@code var}. */
  static final Type INFERRED = new Type(Kind.INFERRED, null);

  static Type record(String name) {
    return new Type(Kind.RECORD, name);
  }

  boolean isReal() {
    return kind == Kind.REAL;
  }
}
