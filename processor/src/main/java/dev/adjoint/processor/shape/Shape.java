package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the analysis knows of a tensor's shape: its dimensions, each a {@link Dim} (possibly
 * unknown), and whether more dimensions of unknown number come before them ({@code open}:
 * "{@code ..., H, W}"). An open shape with no dimensions knows nothing.
 */
final class Shape {
  static final Shape UNKNOWN = new Shape(true, List.of());

  final boolean open;
  /** The whole shape, or (when open) its last dimensions. */
  final List<Dim> dims;

  Shape(boolean open, List<Dim> dims) {
    this.open = open;
    this.dims = List.copyOf(dims);
  }

  static Shape of(List<Dim> dims) {
    return new Shape(false, dims);
  }

  static Shape of(Dim... dims) {
    return new Shape(false, List.of(dims));
  }

  static Shape scalar() {
    return new Shape(false, List.of());
  }

  boolean rankKnown() {
    return !open;
  }

  int rank() {
    if (open) throw new IllegalStateException("rank of an open shape");
    return dims.size();
  }

  /** The number of dimensions it surely has. */
  int minRank() {
    return dims.size();
  }

  /** The {@code k}-th dimension from the end (1 is the last), unknown before the known ones. */
  Dim fromEnd(int k) {
    return k <= dims.size() ? dims.get(dims.size() - k) : Dim.UNKNOWN;
  }

  /**
   * The index into {@link #dims} that axis {@code axis} (negative from the end) names, -1 when
   * it cannot be told (a positive axis of an open shape), or -2 when it is out of range.
   */
  int axis(long axis, int extra) {
    int n = dims.size() + extra;
    if (axis < 0) {
      if (axis >= -n) return (int) (n + axis);
      return open ? -1 : -2;
    }
    if (open) return -1;
    return axis < n ? (int) axis : -2;
  }

  /** The number of elements, when every dimension is known. */
  Dim numel() {
    if (open) return Dim.UNKNOWN;
    Dim n = Dim.ONE;
    for (Dim d : dims) n = n.times(d);
    return n;
  }

  Shape with(int index, Dim d) {
    List<Dim> l = new ArrayList<>(dims);
    l.set(index, d);
    return new Shape(open, l);
  }

  /** The same shape with every dimension unknown. */
  Shape forgetSizes() {
    List<Dim> l = new ArrayList<>();
    for (int i = 0; i < dims.size(); i++) l.add(Dim.UNKNOWN);
    return new Shape(open, l);
  }

  /** What is true of both: equal dimensions stay, others become unknown, ranks may open. */
  Shape join(Shape o) {
    if (equals(o)) return this;
    if (!open && !o.open && dims.size() == o.dims.size()) {
      List<Dim> l = new ArrayList<>();
      for (int i = 0; i < dims.size(); i++) {
        l.add(dims.get(i).equals(o.dims.get(i)) ? dims.get(i) : Dim.UNKNOWN);
      }
      return new Shape(false, l);
    }
    int n = Math.min(dims.size(), o.dims.size());
    List<Dim> l = new ArrayList<>();
    for (int k = n; k >= 1; k--) {
      Dim a = fromEnd(k);
      l.add(a.equals(o.fromEnd(k)) ? a : Dim.UNKNOWN);
    }
    return new Shape(true, l);
  }

  void syms(Set<Sym> out) {
    for (Dim d : dims) d.syms(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && ((Shape) o).open == open && ((Shape) o).dims.equals(dims);
  }

  @Override
  public int hashCode() {
    return Objects.hash(open, dims);
  }

  @Override
  public String toString() {
    return new Printer(Set.of()).shape(this);
  }
}
