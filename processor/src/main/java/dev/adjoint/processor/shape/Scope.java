package dev.adjoint.processor.shape;

import java.util.HashMap;
import java.util.Map;

/**
 * The names of one binding: a method's call (its parameters, result and locals, and the
 * receiver's components for an instance method of a record), or one record instance.
 */
final class Scope {
  /** How names of this scope are qualified in messages ({@code m}), or null. */
  final String label;
  /** Whether names met here without a value are rigid (see {@link Sym}). */
  final boolean rigid;
  private final Map<String, Dim> bound = new HashMap<>();
  private final Map<String, String> origin = new HashMap<>();

  Scope(String label, boolean rigid) {
    this.label = label;
    this.rigid = rigid;
  }

  Dim get(String name) {
    return bound.get(name);
  }

  /** Where the name got its value ("x"), for messages. */
  String origin(String name) {
    return origin.get(name);
  }

  void bind(String name, Dim value, String from) {
    bound.put(name, value);
    origin.putIfAbsent(name, from);
  }

  /** A copy, for one path through a branch. */
  Scope copy() {
    Scope c = new Scope(label, rigid);
    c.bound.putAll(bound);
    c.origin.putAll(origin);
    return c;
  }

  /** What both paths agree on: the names bound to one size on each. */
  Scope join(Scope o) {
    Scope c = new Scope(label, rigid);
    for (Map.Entry<String, Dim> e : bound.entrySet()) {
      if (e.getValue().equals(o.bound.get(e.getKey()))) {
        c.bound.put(e.getKey(), e.getValue());
        c.origin.put(e.getKey(), origin.get(e.getKey()));
      }
    }
    return c;
  }

  boolean sameBindings(Scope o) {
    return bound.equals(o.bound);
  }

  /** A new name of this scope. */
  Dim fresh(String name) {
    Dim d = Dim.of(new Sym(name, label, rigid));
    bound.put(name, d);
    return d;
  }
}
