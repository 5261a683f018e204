package dev.adjoint.processor.shape;

/**
 * A named size. A rigid one is a name declared on a parameter (or on a component of a record
 * parameter): the method must work for every positive value of it, so two different
 * polynomials in rigid names are different sizes. A flexible one is a size the analysis does
 * not know but only names (an int parameter, a name first met on a local or a call's result):
 * it may turn out equal to anything. An int parameter is not even a size: it may be negative.
 */
final class Sym implements Comparable<Sym> {
  private static int counter;

  final int id;
  /** The name as the user wrote it. */
  final String name;
  /** Where it is bound ({@code m} for a name of record parameter {@code m}), or null. */
  final String scope;
  final boolean rigid;
  /** Whether it is a size (never negative): every name of a {@code @Shape} is one. */
  final boolean size;

  Sym(String name, String scope, boolean rigid) {
    this(name, scope, rigid, true);
  }

  Sym(String name, String scope, boolean rigid, boolean size) {
    synchronized (Sym.class) {
      this.id = ++counter;
    }
    this.name = name;
    this.scope = scope;
    this.rigid = rigid;
    this.size = size || rigid;
  }

  /** The name qualified by its scope, to tell apart two names spelled alike. */
  String qualified() {
    return scope == null ? name : scope + "." + name;
  }

  @Override
  public int compareTo(Sym o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : Integer.compare(id, o.id);
  }

  @Override
  public String toString() {
    return name;
  }
}
