package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One size, as a polynomial with integer coefficients over named sizes ({@link Sym}) and floor
 * quotients that do not simplify ({@code (H - 1)/2}), or unknown. The form is canonical, so
 * that two equal polynomials are equal objects: {@code C*4*4} and {@code 16*C} are one size.
 * Arithmetic that overflows a long, or meets an unknown, is unknown.
 */
final class Dim {
  /** A factor of a term: a name, or a quotient kept as it is. */
  sealed interface Atom permits SymAtom, FloorDiv {}

  record SymAtom(Sym sym) implements Atom {}

  /** {@code floor(num / den)}, {@code den > 1}, where {@code num} has no term divisible by it. */
  record FloorDiv(Dim num, long den) implements Atom {}

  /** A product of atoms, sorted (with repetition): the constant term has none. */
  record Mono(List<Atom> atoms) {
    static final Mono ONE = new Mono(List.of());

    Mono times(Mono o) {
      List<Atom> all = new ArrayList<>(atoms);
      all.addAll(o.atoms);
      all.sort(ATOMS);
      return new Mono(List.copyOf(all));
    }

    /** This monomial without the factors of {@code o}, or null when it lacks one of them. */
    Mono without(Mono o) {
      List<Atom> rest = new ArrayList<>(atoms);
      for (Atom a : o.atoms) {
        if (!rest.remove(a)) return null;
      }
      return new Mono(List.copyOf(rest));
    }
  }

  static final Comparator<Atom> ATOMS = (a, b) -> {
    if (a instanceof SymAtom && b instanceof SymAtom) {
      return ((SymAtom) a).sym().compareTo(((SymAtom) b).sym());
    }
    if (a instanceof SymAtom) return -1;
    if (b instanceof SymAtom) return 1;
    FloorDiv x = (FloorDiv) a;
    FloorDiv y = (FloorDiv) b;
    int c = Long.compare(x.den(), y.den());
    return c != 0 ? c : x.num().toString().compareTo(y.num().toString());
  };

  private static final Comparator<Mono> MONOS = (a, b) -> {
    int c = Integer.compare(b.atoms().size(), a.atoms().size());
    for (int i = 0; c == 0 && i < a.atoms().size(); i++) {
      c = ATOMS.compare(a.atoms().get(i), b.atoms().get(i));
    }
    return c;
  };

  static final Dim UNKNOWN = new Dim(null);
  static final Dim ZERO = constant(0);
  static final Dim ONE = constant(1);

  /** Null: unknown. Never holds a zero coefficient. */
  private final Map<Mono, Long> terms;

  private Dim(Map<Mono, Long> terms) {
    this.terms = terms;
  }

  static Dim constant(long c) {
    Map<Mono, Long> t = new HashMap<>();
    if (c != 0) t.put(Mono.ONE, c);
    return new Dim(t);
  }

  static Dim of(Sym s) {
    Map<Mono, Long> t = new HashMap<>();
    t.put(new Mono(List.of(new SymAtom(s))), 1L);
    return new Dim(t);
  }

  boolean known() {
    return terms != null;
  }

  boolean isConstant() {
    return terms != null && (terms.isEmpty() || terms.size() == 1 && terms.containsKey(Mono.ONE));
  }

  /** The value of a constant; only valid when {@link #isConstant()}. */
  long value() {
    return terms.getOrDefault(Mono.ONE, 0L);
  }

  boolean isOne() {
    return isConstant() && value() == 1;
  }

  Dim plus(Dim o) {
    return combine(o, 1);
  }

  Dim minus(Dim o) {
    return combine(o, -1);
  }

  private Dim combine(Dim o, long sign) {
    if (terms == null || o.terms == null) return UNKNOWN;
    try {
      Map<Mono, Long> t = new HashMap<>(terms);
      for (Map.Entry<Mono, Long> e : o.terms.entrySet()) {
        long c = Math.addExact(t.getOrDefault(e.getKey(), 0L),
            Math.multiplyExact(sign, e.getValue()));
        if (c == 0) {
          t.remove(e.getKey());
        } else {
          t.put(e.getKey(), c);
        }
      }
      return new Dim(t);
    } catch (ArithmeticException overflow) {
      return UNKNOWN;
    }
  }

  Dim times(Dim o) {
    if (terms == null || o.terms == null) return UNKNOWN;
    try {
      Map<Mono, Long> t = new HashMap<>();
      for (Map.Entry<Mono, Long> a : terms.entrySet()) {
        for (Map.Entry<Mono, Long> b : o.terms.entrySet()) {
          Mono m = a.getKey().times(b.getKey());
          long c = Math.addExact(t.getOrDefault(m, 0L),
              Math.multiplyExact(a.getValue(), b.getValue()));
          if (c == 0) {
            t.remove(m);
          } else {
            t.put(m, c);
          }
        }
      }
      return new Dim(t);
    } catch (ArithmeticException overflow) {
      return UNKNOWN;
    }
  }

  Dim negate() {
    return ZERO.minus(this);
  }

  /**
   * {@code floor(this / den)}: terms divisible by {@code den} come out of the quotient
   * ({@code (2H + 1)/2} is {@code H}), the rest stays as one atom.
   */
  Dim floorDiv(long den) {
    if (terms == null || den <= 0) return UNKNOWN;
    if (den == 1) return this;
    Map<Mono, Long> q = new HashMap<>();
    Map<Mono, Long> r = new HashMap<>();
    for (Map.Entry<Mono, Long> e : terms.entrySet()) {
      long c = e.getValue();
      long whole = Math.floorDiv(c, den);
      long rest = Math.floorMod(c, den);
      if (whole != 0) q.put(e.getKey(), whole);
      if (rest != 0) r.put(e.getKey(), rest);
    }
    Dim quotient = new Dim(q);
    Dim remainder = new Dim(r);
    if (remainder.isConstant()) return quotient.plus(constant(Math.floorDiv(remainder.value(), den)));
    Map<Mono, Long> atom = new HashMap<>();
    atom.put(new Mono(List.of(new FloorDiv(remainder, den))), 1L);
    return quotient.plus(new Dim(atom));
  }

  /** {@code floor(this / den)} for a size that may itself be symbolic. */
  Dim floorDiv(Dim den) {
    if (den.isConstant()) return floorDiv(den.value());
    Dim exact = exactDiv(den);
    return exact;
  }

  /**
   * {@code this / den} when it divides exactly as polynomials ({@code B*C*H / B} is
   * {@code C*H}), else unknown: what reshape's -1 needs.
   */
  Dim exactDiv(Dim den) {
    if (terms == null || den.terms == null || den.terms.isEmpty()) return UNKNOWN;
    if (equals(den)) return ONE;
    if (terms.isEmpty()) return ZERO;
    if (den.terms.size() == 1) {
      Map.Entry<Mono, Long> d = den.terms.entrySet().iterator().next();
      Map<Mono, Long> q = new HashMap<>();
      for (Map.Entry<Mono, Long> e : terms.entrySet()) {
        Mono m = e.getKey().without(d.getKey());
        if (m == null || e.getValue() % d.getValue() != 0) return UNKNOWN;
        q.put(m, e.getValue() / d.getValue());
      }
      return new Dim(q);
    }
    // A quotient that is one term: divide the leading terms and check the product.
    Mono lead = leading();
    Mono dl = den.leading();
    Mono m = lead.without(dl);
    long c = terms.get(lead);
    long dc = den.terms.get(dl);
    if (m == null || c % dc != 0) return UNKNOWN;
    Map<Mono, Long> qt = new HashMap<>();
    qt.put(m, c / dc);
    Dim q = new Dim(qt);
    return q.times(den).equals(this) ? q : UNKNOWN;
  }

  private Mono leading() {
    return Collections.min(terms.keySet(), MONOS);
  }

  /**
   * Whether the two sizes differ for some values of the names: their difference is a nonzero
   * constant, or a nonzero polynomial in rigid names only (a polynomial that is not zero is
   * nonzero somewhere on the positive integers). A flexible name or a quotient may make
   * anything equal: never proven different.
   */
  boolean provablyDiffers(Dim o) {
    Dim d = minus(o);
    if (!d.known()) return false;
    if (d.isConstant()) return d.value() != 0;
    for (Mono m : d.terms.keySet()) {
      for (Atom a : m.atoms()) {
        if (!(a instanceof SymAtom) || !((SymAtom) a).sym().rigid) return false;
      }
    }
    return true;
  }

  /**
   * Whether the size is never negative: a constant at least 0, or a sum with positive
   * coefficients of products of sizes (and of quotients of such sums).
   */
  boolean nonNegative() {
    if (terms == null) return false;
    for (Map.Entry<Mono, Long> e : terms.entrySet()) {
      if (e.getValue() < 0) return false;
      for (Atom a : e.getKey().atoms()) {
        if (a instanceof SymAtom ? !((SymAtom) a).sym().size
            : !((FloorDiv) a).num().nonNegative()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The value when every name is {@code v}, or null: a witness for {@link #provablyDiffers}-style
   * claims, valid only for sizes in rigid names (which must work for every value).
   */
  Long rigidValueAt(long v) {
    if (terms == null) return null;
    try {
      long sum = 0;
      for (Map.Entry<Mono, Long> e : terms.entrySet()) {
        long t = e.getValue();
        for (Atom a : e.getKey().atoms()) {
          if (!(a instanceof SymAtom) || !((SymAtom) a).sym().rigid) return null;
          t = Math.multiplyExact(t, v);
        }
        sum = Math.addExact(sum, t);
      }
      return sum;
    } catch (ArithmeticException overflow) {
      return null;
    }
  }

  /**
   * {@code this / den} as Java divides ints: truncated for constants, floored for a size
   * (never negative, where the two agree), unknown otherwise.
   */
  Dim javaDiv(Dim den) {
    if (isConstant() && den.isConstant() && den.value() != 0) {
      return constant(value() / den.value());
    }
    return nonNegative() ? floorDiv(den) : UNKNOWN;
  }

  /**
   * An output size's quotient ({@code (size + 2*padding - span) / stride}): as Java for
   * constants, floored for symbols, which is exact wherever the window fits the input.
   */
  Dim windowDiv(Dim den) {
    if (isConstant() && den.isConstant() && den.value() != 0) {
      return constant(value() / den.value());
    }
    return floorDiv(den);
  }

  /** Whether the difference is a known nonzero constant: different for every value. */
  boolean alwaysDiffers(Dim o) {
    Dim d = minus(o);
    return d.isConstant() && d.value() != 0;
  }

  /** Replaces names: those the map has become its value; the rest stay. */
  Dim substitute(Function<Sym, Dim> replacement) {
    if (terms == null) return UNKNOWN;
    Dim out = ZERO;
    for (Map.Entry<Mono, Long> e : terms.entrySet()) {
      Dim term = constant(e.getValue());
      for (Atom a : e.getKey().atoms()) {
        Dim f;
        if (a instanceof SymAtom) {
          Dim r = replacement.apply(((SymAtom) a).sym());
          f = r != null ? r : of(((SymAtom) a).sym());
        } else {
          FloorDiv fd = (FloorDiv) a;
          f = fd.num().substitute(replacement).floorDiv(fd.den());
        }
        term = term.times(f);
      }
      out = out.plus(term);
    }
    return out;
  }

  /** Every name the size mentions. */
  void syms(Set<Sym> out) {
    if (terms == null) return;
    for (Mono m : terms.keySet()) {
      for (Atom a : m.atoms()) {
        if (a instanceof SymAtom) {
          out.add(((SymAtom) a).sym());
        } else {
          ((FloorDiv) a).num().syms(out);
        }
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dim && Objects.equals(terms, ((Dim) o).terms);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(terms);
  }

  @Override
  public String toString() {
    return format(Sym::toString);
  }

  /** The size as the user would write it, names printed by {@code names}. */
  String format(Function<Sym, String> names) {
    if (terms == null) return "?";
    if (terms.isEmpty()) return "0";
    List<Mono> order = new ArrayList<>(terms.keySet());
    order.sort(MONOS);
    StringBuilder b = new StringBuilder();
    for (Mono m : order) {
      long c = terms.get(m);
      boolean first = b.length() == 0;
      if (!first) b.append(c < 0 ? " - " : " + ");
      else if (c < 0) b.append('-');
      long abs = Math.abs(c);
      List<String> factors = new ArrayList<>();
      for (Atom a : m.atoms()) factors.add(atom(a, names, m.atoms().size() > 1 || abs != 1));
      if (factors.isEmpty()) {
        b.append(abs);
      } else {
        if (abs != 1) b.append(abs).append('*');
        b.append(String.join("*", factors));
      }
    }
    return b.toString();
  }

  private static String atom(Atom a, Function<Sym, String> names, boolean inProduct) {
    if (a instanceof SymAtom) return names.apply(((SymAtom) a).sym());
    FloorDiv f = (FloorDiv) a;
    String num = f.num().format(names);
    boolean sum = f.num().terms.size() > 1;
    String q = (sum ? "(" + num + ")" : num) + "/" + f.den();
    return inProduct ? "(" + q + ")" : q;
  }
}
