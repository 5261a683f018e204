package dev.adjoint.processor.ir;

import java.util.HashSet;
import java.util.Set;

/** Hands out variable names that are unique within one generated method. */
public final class Names {
  private final Set<String> used = new HashSet<>();

  public Names() {}

  public Names(Names copy) {
    used.addAll(copy.used);
  }

  /** Reserves {@code name} exactly; returns false when it is taken. */
  public boolean reserve(String name) {
    return used.add(name);
  }

  /** A name starting with {@code base}, numbered when {@code base} is taken. */
  public String fresh(String base) {
    if (used.add(base)) return base;
    for (int i = 2; ; i++) {
      String candidate = base + i;
      if (used.add(candidate)) return candidate;
    }
  }

  public Var newVar(String base, IrType type) {
    return new Var(fresh(base), type);
  }

  /** A temporary holding one intermediate value. */
  public Var temp(IrType type) {
    return new Var(fresh("t"), type, true);
  }
}
