package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Matches declared shapes against the shapes of values in one {@link Scope}: binds names to
 * sizes, reports what provably contradicts a declaration, and gives each value the shape the
 * declaration and the value together say. Bare names are bound first, across every value, then
 * expressions are checked (solving one unknown name where it appears linearly), then names no
 * value gave a size become new names of the scope.
 */
final class Binder {
  /** A contradiction: {@code detail} says which dimension and why, in {@code printer}'s names. */
  record Mismatch(String label, Pattern pattern, Shape actual, String detail) {}

  private record Entry(String label, Pattern pattern, Shape actual) {}

  private final Scope scope;
  private final List<Entry> entries = new ArrayList<>();
  private final List<Boolean> broken = new ArrayList<>();

  Binder(Scope scope) {
    this.scope = scope;
  }

  /** Adds a value whose declared shape is {@code pattern}; returns its index. */
  int add(String label, Pattern pattern, Shape actual) {
    entries.add(new Entry(label, pattern, actual));
    broken.add(false);
    return entries.size() - 1;
  }

  /**
   * Binds and checks every value added; returns their shapes, in order. Each value that
   * contradicts its declaration is one mismatch, with every dimension that does.
   */
  List<Shape> bind(Consumer<Mismatch> sink) {
    List<Mismatch> found = new ArrayList<>();
    List<Shape> out = bindAll(found::add);
    Map<Integer, Mismatch> merged = new java.util.LinkedHashMap<>();
    for (Mismatch m : found) {
      int i = indexOf(m);
      Mismatch before = merged.get(i);
      merged.put(i, before == null ? m : new Mismatch(m.label(), m.pattern(), m.actual(),
          before.detail() + "; " + m.detail()));
    }
    for (Mismatch m : merged.values()) sink.accept(m);
    return out;
  }

  private int indexOf(Mismatch m) {
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (e.label().equals(m.label()) && e.pattern() == m.pattern() && e.actual() == m.actual()) {
        return i;
      }
    }
    return -1;
  }

  private List<Shape> bindAll(Consumer<Mismatch> mismatches) {
    for (int i = 0; i < entries.size(); i++) {
      if (!ranksFit(entries.get(i), mismatches)) broken.set(i, true);
    }
    for (int i = 0; i < entries.size(); i++) {
      if (!broken.get(i)) names(entries.get(i), mismatches);
    }
    boolean progress = true;
    while (progress) {
      progress = false;
      for (int i = 0; i < entries.size(); i++) {
        if (!broken.get(i)) progress |= solve(entries.get(i));
      }
    }
    for (Entry e : entries) {
      Set<String> names = new HashSet<>();
      for (Pattern.Term t : e.pattern().dims()) e.pattern().names(t, names);
      for (String n : names) {
        if (scope.get(n) == null) scope.fresh(n);
      }
    }
    List<Shape> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (!broken.get(i)) expressions(e, mismatches);
      out.add(broken.get(i) ? e.actual() : instantiate(e));
    }
    return out;
  }

  private boolean ranksFit(Entry e, Consumer<Mismatch> mismatches) {
    int n = e.pattern().dims().size();
    Shape a = e.actual();
    String problem = null;
    if (!e.pattern().ellipsis()) {
      if (a.rankKnown() && a.rank() != n) {
        problem = "it has " + count(a.rank()) + ", not " + n;
      } else if (!a.rankKnown() && a.minRank() > n) {
        problem = "it has at least " + count(a.minRank()) + ", not " + n;
      }
    } else if (a.rankKnown() && a.rank() < n) {
      problem = "it has " + count(a.rank()) + ", fewer than the " + n + " declared after '...'";
    }
    if (problem == null) return true;
    mismatches.accept(new Mismatch(e.label(), e.pattern(), a, problem));
    return false;
  }

  private static String count(int n) {
    return n == 1 ? "1 dimension" : n + " dimensions";
  }

  /** The actual size that declared dimension {@code i} stands for. */
  private static Dim actualAt(Entry e, int i) {
    int n = e.pattern().dims().size();
    return e.actual().fromEnd(n - i);
  }

  /** Index of declared dimension {@code i} in the actual shape, for messages. */
  private static String position(Entry e, int i) {
    int n = e.pattern().dims().size();
    Shape a = e.actual();
    if (a.rankKnown()) return "dimension " + (a.rank() - (n - i));
    return "dimension " + (i - n);
  }

  private void names(Entry e, Consumer<Mismatch> mismatches) {
    List<Pattern.Term> dims = e.pattern().dims();
    for (int i = 0; i < dims.size(); i++) {
      Pattern.Term t = dims.get(i);
      Dim a = actualAt(e, i);
      if (t instanceof Pattern.Lit) {
        Dim lit = Dim.constant(((Pattern.Lit) t).value());
        if (a.known() && a.provablyDiffers(lit)) {
          Printer p = Printer.forAll(e.actual());
          mismatches.accept(new Mismatch(e.label(), e.pattern(), e.actual(),
              position(e, i) + " is " + p.dim(a) + ", not " + lit));
        }
      } else if (t instanceof Pattern.Name) {
        String name = ((Pattern.Name) t).name();
        Dim b = scope.get(name);
        if (b == null) {
          if (a.known()) scope.bind(name, a, e.label());
        } else if (a.known() && a.provablyDiffers(b)) {
          Printer p = Printer.forAll(e.actual(), b);
          String is = p.dim(b).equals(name) ? ", not " + name
              : ", but " + name + " is " + p.dim(b) + from(name, e.label());
          mismatches.accept(new Mismatch(e.label(), e.pattern(), e.actual(),
              position(e, i) + " is " + p.dim(a) + is));
        }
      }
    }
  }

  private String from(String name, String label) {
    String o = scope.origin(name);
    return o == null || o.equals(label) ? "" : " (from " + o + ")";
  }

  /** Binds the one unbound name of a linear expression from the actual size; true if bound. */
  private boolean solve(Entry e) {
    boolean any = false;
    List<Pattern.Term> dims = e.pattern().dims();
    for (int i = 0; i < dims.size(); i++) {
      Pattern.Term t = dims.get(i);
      if (!(t instanceof Pattern.Op)) continue;
      Dim a = actualAt(e, i);
      if (!a.known()) continue;
      Set<String> names = new HashSet<>();
      e.pattern().names(t, names);
      names.removeIf(n -> scope.get(n) != null);
      if (names.size() != 1) continue;
      String n = names.iterator().next();
      Dim f0 = eval(t, n, Dim.ZERO);
      Dim f1 = eval(t, n, Dim.ONE);
      Dim f2 = eval(t, n, Dim.constant(2));
      Dim slope = f1.minus(f0);
      if (!f2.equals(f0.plus(slope.times(Dim.constant(2)))) || !slope.isConstant()
          || slope.value() == 0) {
        continue;
      }
      Dim value = a.minus(f0).exactDiv(slope);
      if (!value.known()) continue;
      scope.bind(n, value, e.label());
      any = true;
    }
    return any;
  }

  private void expressions(Entry e, Consumer<Mismatch> mismatches) {
    List<Pattern.Term> dims = e.pattern().dims();
    for (int i = 0; i < dims.size(); i++) {
      Pattern.Term t = dims.get(i);
      if (!(t instanceof Pattern.Op)) continue;
      Dim a = actualAt(e, i);
      Dim v = eval(t, null, null);
      if (a.known() && v.known() && a.provablyDiffers(v)) {
        Printer p = Printer.forAll(e.actual(), v);
        String is = p.dim(v).equals(text(t)) ? ", not " + text(t)
            : ", but " + text(t) + " is " + p.dim(v);
        mismatches.accept(new Mismatch(e.label(), e.pattern(), e.actual(),
            position(e, i) + " is " + p.dim(a) + is));
      }
    }
  }

  /** The term's size, with {@code name} (if not null) standing for {@code value}. */
  private Dim eval(Pattern.Term t, String name, Dim value) {
    if (t instanceof Pattern.Lit) return Dim.constant(((Pattern.Lit) t).value());
    if (t instanceof Pattern.Name) {
      String n = ((Pattern.Name) t).name();
      if (n.equals(name)) return value;
      Dim b = scope.get(n);
      return b == null ? Dim.UNKNOWN : b;
    }
    if (t instanceof Pattern.Op) {
      Pattern.Op o = (Pattern.Op) t;
      Dim l = eval(o.left(), name, value);
      Dim r = eval(o.right(), name, value);
      switch (o.op()) {
        case '+': return l.plus(r);
        case '-': return l.minus(r);
        default: return l.times(r);
      }
    }
    return Dim.UNKNOWN;
  }

  /** A term as written (for messages). */
  static String text(Pattern.Term t) {
    if (t instanceof Pattern.Lit) return Long.toString(((Pattern.Lit) t).value());
    if (t instanceof Pattern.Name) return ((Pattern.Name) t).name();
    if (t instanceof Pattern.Any) return "_";
    Pattern.Op o = (Pattern.Op) t;
    String r = text(o.right());
    if (o.right() instanceof Pattern.Op && (o.op() != '+' || ((Pattern.Op) o.right()).op() != '*')) {
      r = "(" + r + ")";
    }
    String l = text(o.left());
    if (o.op() == '*' && o.left() instanceof Pattern.Op && ((Pattern.Op) o.left()).op() != '*') {
      l = "(" + l + ")";
    }
    return l + (o.op() == '*' ? "*" : " " + o.op() + " ") + r;
  }

  private Shape instantiate(Entry e) {
    Pattern p = e.pattern();
    Shape a = e.actual();
    int n = p.dims().size();
    List<Dim> dims = new ArrayList<>();
    boolean open = false;
    if (p.ellipsis()) {
      if (a.rankKnown()) {
        dims.addAll(a.dims.subList(0, a.rank() - n));
      } else {
        open = true;
        if (a.dims.size() > n) dims.addAll(a.dims.subList(0, a.dims.size() - n));
      }
    }
    for (int i = 0; i < n; i++) {
      Pattern.Term t = p.dims().get(i);
      Dim v = t instanceof Pattern.Any ? Dim.UNKNOWN : eval(t, null, null);
      dims.add(v.known() ? v : actualAt(e, i));
    }
    return new Shape(open, dims);
  }
}
