package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints shapes in the user's own names, for one message: a name is printed as written, or
 * qualified by where it is bound ({@code m.H}) when two different sizes of the message are
 * spelled alike.
 */
final class Printer {
  private final Set<String> ambiguous = new HashSet<>();

  Printer(Set<Sym> syms) {
    Map<String, Sym> seen = new HashMap<>();
    for (Sym s : syms) {
      Sym other = seen.putIfAbsent(s.name, s);
      if (other != null && other != s) ambiguous.add(s.name);
    }
  }

  /** Names for a message about these shapes and sizes. */
  static Printer forAll(Object... things) {
    Set<Sym> syms = new HashSet<>();
    for (Object t : things) {
      if (t instanceof Shape) ((Shape) t).syms(syms);
      if (t instanceof Dim) ((Dim) t).syms(syms);
    }
    return new Printer(syms);
  }

  String name(Sym s) {
    return ambiguous.contains(s.name) ? s.qualified() : s.name;
  }

  String dim(Dim d) {
    return d.known() ? d.format(this::name) : "_";
  }

  String shape(Shape s) {
    if (s.open && s.dims.isEmpty()) return "(...)";
    List<String> parts = new ArrayList<>();
    if (s.open) parts.add("...");
    for (Dim d : s.dims) parts.add(dim(d));
    return "(" + String.join(", ", parts) + ")";
  }
}
