package dev.adjoint.processor.shape;

import java.util.Map;

/** What the declarations say of one value's shape. */
sealed interface Decl {
  Decl NONE = new None();

  /** Nothing declared. */
  record None() implements Decl {}

  /** A tensor with a {@code @Shape}. */
  record Tensor(Pattern pattern) implements Decl {}

  /**
   * A record: the declarations of its components; the names they use are bound once per
   * instance of the record.
   */
  record Record(String type, Map<String, Decl> components) implements Decl {
    /** Whether any component, however deep, declares a shape. */
    boolean declaresAny() {
      for (Decl d : components.values()) {
        if (d instanceof Tensor || d instanceof Record && ((Record) d).declaresAny()) return true;
      }
      return false;
    }
  }
}
