package dev.adjoint.tests.fuzz;

import java.util.List;

/**
 * How to build one argument of a program's entry method. Differentiated parts take their values
 * from the flat input vector; parts with fixed values (non-differentiated parameters, ints,
 * strings) are the same at every point.
 */
sealed interface ArgSpec {
  /** A double/float; {@code fixed} is null when it comes from the input vector. */
  record Real(Double fixed) implements ArgSpec {}

  record RealArray(int length, double[] fixed) implements ArgSpec {}

  record IntVal(int value) implements ArgSpec {}

  record IntArray(int[] values) implements ArgSpec {}

  record Str(String value) implements ArgSpec {}

  /** A record of the program (its simple name); components in declaration order. */
  record Rec(String type, List<ArgSpec> components) implements ArgSpec {}

  /** A FLOAT64 tensor (FLOAT32 in the float variant), from the input vector unless fixed. */
  record Tens(int[] shape, double[] fixed) implements ArgSpec {}

  record LongVal(long value) implements ArgSpec {}

  /** A constant of an enum nested in the program's class (simple name). */
  record EnumVal(String className, String constant) implements ArgSpec {}

  /** An object of a class nested in the program's class, built with its public constructor. */
  record Obj(String className, List<ArgSpec> args) implements ArgSpec {}

  /** Number of input-vector entries this argument takes. */
  default int size() {
    if (this instanceof Real r) return r.fixed() == null ? 1 : 0;
    if (this instanceof RealArray a) return a.fixed() == null ? a.length() : 0;
    if (this instanceof Rec r) {
      int n = 0;
      for (ArgSpec c : r.components()) n += c.size();
      return n;
    }
    if (this instanceof Tens t) {
      if (t.fixed() != null) return 0;
      int n = 1;
      for (int d : t.shape()) n *= d;
      return n;
    }
    return 0;
  }
}
