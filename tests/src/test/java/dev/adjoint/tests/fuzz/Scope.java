package dev.adjoint.tests.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The variables visible at a point of a method being generated, with what keeps the program
 * tame: every real variable has a bound {@code |v| <= bound} that holds at all times. A plain
 * assignment may store up to the bound; compound additions consume headroom, counted once for
 * every iteration of the loops around them, so the bound holds however the program runs. Ints are
 * never negative; {@code bound} is their largest value.
 */
final class Scope {
  /** A variable (or a parameter) of the method. */
  static final class Var {
    final String name;
    final Type type;
    final double bound;
    /** Largest value a plain assignment stored; what compound additions added at most. */
    double assigned;
    double added;
    /** Arrays: length; int arrays: {@code bound} is the largest element. */
    final int length;
    /** Locals that may be assigned (loop counters and parameters' arrays may not). */
    final boolean writable;

    Var(String name, Type type, double bound, int length, boolean writable) {
      this.name = name;
      this.type = type;
      this.bound = bound;
      this.length = length;
      this.writable = writable;
    }

    /** Room left for {@code v += e}, in total over all executions. */
    double headroom() {
      return bound - assigned - added;
    }

    Expr ref() {
      return new Expr.Name(name);
    }
  }

  private final Scope parent;
  private final List<Var> vars = new ArrayList<>();

  Scope(Scope parent) {
    this.parent = parent;
  }

  Scope child() {
    return new Scope(this);
  }

  Var add(Var v) {
    vars.add(v);
    return v;
  }

  List<Var> visible() {
    List<Var> all = parent == null ? new ArrayList<>() : parent.visible();
    all.addAll(vars);
    return all;
  }

  List<Var> visible(Type.Kind kind) {
    List<Var> out = new ArrayList<>();
    for (Var v : visible()) {
      if (v.type.kind() == kind) out.add(v);
    }
    return out;
  }
}
