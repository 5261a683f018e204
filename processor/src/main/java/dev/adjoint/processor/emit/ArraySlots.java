package dev.adjoint.processor.emit;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites of the element traffic reverse sweeps make on arrays they allocate themselves
 * (the adjoints of local arrays, mostly), which javac and C2 cannot make because any two arrays
 * might be one:
 *
 * <ul>
 *   <li>A round trip: the reversal of {@code a[i] += e} reads {@code aBar[i]}, zeroes it, and
 *       the reversal of the load adds the value back. Nothing between touches {@code aBar}, so
 *       the zero and the add go.
 *   <li>An accumulation into one element across a reverse loop ({@code xBar[i] += ...} with
 *       {@code i} fixed in the loop, the adjoint of a value the loop reads each iteration) is
 *       summed in a local and stored once after the loop, in the same order, so the result is
 *       bit for bit the same.
 * </ul>
 *
 * An element a reverse loop reads at a fixed index of a private array it does not write is
 * likewise read once before the loop. All three apply only to a private array: a local
 * assigned nothing but new arrays, read only by element loads and its length, never handed to
 * a call or another variable (it may end in the returned value). No other variable can then
 * refer to it, and no call can reach it.
 */
final class ArraySlots {
  private final Set<Var> privateArrays;
  private final Names names;

  private ArraySlots(Set<Var> privateArrays, Names names) {
    this.privateArrays = privateArrays;
    this.names = names;
  }

  static Function simplify(Function f) {
    Set<Var> arrays = privateArrays(f);
    if (arrays.isEmpty()) return f;
    Names names = new Names(f.names());
    return f.withBody(new ArraySlots(arrays, names).block(f.body()), names);
  }

  // ---------------------------------------------------------------- which arrays are private

  private static Set<Var> privateArrays(Function f) {
    Set<Var> candidates = new HashSet<>();
    Set<Var> excluded = new HashSet<>(f.params());
    Stmts.forEachDeep(f.body(), s -> {
      if (s instanceof Stmt.Assign) {
        Stmt.Assign a = (Stmt.Assign) s;
        if (!a.target().type().isArray()) return;
        if (a.value() instanceof Expr.NewArray
            && a.target().type().element().isFloating()) {
          candidates.add(a.target());
        } else {
          excluded.add(a.target());
        }
      }
    });
    Stmts.forEachDeep(f.body(), s -> {
      for (Expr e : Stmts.exprs(s)) {
        if (s instanceof Stmt.Return) {
          escapesFromResult(e, excluded);
        } else {
          escapes(e, excluded);
        }
      }
    });
    candidates.removeAll(excluded);
    return candidates;
  }

  /** Adds to {@code out} each array {@code e} uses other than by its elements or length. */
  private static void escapes(Expr e, Set<Var> out) {
    if (e instanceof Expr.Ref) {
      out.add(((Expr.Ref) e).var());
    } else if (e instanceof Expr.ArrayLoad
        && ((Expr.ArrayLoad) e).array() instanceof Expr.Ref) {
      escapes(((Expr.ArrayLoad) e).index(), out);
    } else if (e instanceof Expr.ArrayLength && ((Expr.ArrayLength) e).array() instanceof Expr.Ref) {
      // its length only
    } else {
      Exprs.mapChildren(e, c -> {
        escapes(c, out);
        return c;
      });
    }
  }

  /** As {@link #escapes}, for a returned value: the arrays it returns leave after all else. */
  private static void escapesFromResult(Expr e, Set<Var> out) {
    if (e instanceof Expr.Ref) return;
    if (e instanceof Expr.NewRecord) {
      for (Expr a : ((Expr.NewRecord) e).args()) escapesFromResult(a, out);
      return;
    }
    escapes(e, out);
  }

  // ---------------------------------------------------------------- rewriting

  private List<Stmt> block(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      Stmt nested = Stmts.withBlocks(s, this::block);
      if (nested instanceof Stmt.Repeat) {
        out.addAll(hoistAccumulations((Stmt.Repeat) nested));
      } else {
        out.add(nested);
      }
    }
    dropRoundTrips(out);
    return out;
  }

  /**
   * Removes {@code aBar[i] = 0} and the later {@code aBar[i] = aBar[i] + t} that follow
   * {@code t = aBar[i]} when nothing between them mentions {@code aBar}, {@code t} or the
   * variables of {@code i}.
   */
  private void dropRoundTrips(List<Stmt> out) {
    for (int i = 0; i < out.size(); i++) {
      if (!(out.get(i) instanceof Stmt.Assign)) continue;
      Stmt.Assign read = (Stmt.Assign) out.get(i);
      if (!(read.value() instanceof Expr.ArrayLoad)) continue;
      Expr.ArrayLoad load = (Expr.ArrayLoad) read.value();
      Var array = Exprs.varOf(load.array());
      if (array == null || !privateArrays.contains(array) || !isPlainIndex(load.index())) continue;
      if (i + 1 >= out.size() || !isZeroStore(out.get(i + 1), array, load.index())) continue;
      Set<Var> guarded = new HashSet<>();
      Exprs.visitRefs(load.index(), guarded::add);
      guarded.add(read.target());
      for (int j = i + 2; j < out.size(); j++) {
        Stmt s = out.get(j);
        if (isAddBack(s, array, load.index(), read.target())) {
          out.remove(j);
          out.remove(i + 1);
          break;
        }
        if (mentionsAny(s, array, guarded)) break;
      }
    }
  }

  private static boolean isZeroStore(Stmt s, Var array, Expr index) {
    if (!(s instanceof Stmt.Store)) return false;
    Stmt.Store st = (Stmt.Store) s;
    return st.array() == array && st.index().equals(index) && st.value() instanceof Expr.Const
        && ((Expr.Const) st.value()).isZero();
  }

  /** {@code array[index] = array[index] + t}. */
  private static boolean isAddBack(Stmt s, Var array, Expr index, Var t) {
    Expr added = accumulated(s, array, index, Expr.BinOp.ADD);
    return added instanceof Expr.Ref && ((Expr.Ref) added).var() == t;
  }

  /**
   * What {@code s} adds to (or, for SUB, takes from) {@code array[index]} when it is
   * {@code array[index] = array[index] op e}, else null.
   */
  private static Expr accumulated(Stmt s, Var array, Expr index, Expr.BinOp op) {
    if (!(s instanceof Stmt.Store)) return null;
    Stmt.Store st = (Stmt.Store) s;
    if (st.array() != array || !st.index().equals(index)) return null;
    if (!(st.value() instanceof Expr.Binary)) return null;
    Expr.Binary b = (Expr.Binary) st.value();
    if (b.op() != op || !b.left().equals(new Expr.ArrayLoad(Expr.ref(array), index))) return null;
    return b.right();
  }

  /**
   * For a repeat whose body adds to one element of a private array at an index the body does
   * not change, and touches the array nowhere else: the element in a local across the loop.
   */
  private List<Stmt> hoistAccumulations(Stmt.Repeat r) {
    List<Stmt> body = new ArrayList<>(r.body());
    Set<Var> written = new HashSet<>();
    written.add(r.counter());
    Stmts.forEachDeep(body, s -> {
      Var w = Stmts.written(s);
      if (w != null) written.add(w);
      if (s instanceof Stmt.Repeat) written.add(((Stmt.Repeat) s).counter());
    });
    List<Stmt> before = new ArrayList<>();
    List<Stmt> after = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      Expr.ArrayLoad load = invariantLoad(body.get(i), written);
      if (load != null) {
        // an element the loop reads at a fixed index of an array it does not write
        Var array = Exprs.varOf(load.array());
        Var held = names.newVar(array.name() + "Element", array.type().element());
        before.add(new Stmt.Assign(held, load, body.get(i).line()));
        body.set(i, new Stmt.Assign(((Stmt.Assign) body.get(i)).target(), Expr.ref(held),
            body.get(i).line()));
      }
    }
    for (int i = 0; i < body.size(); i++) {
      if (!(body.get(i) instanceof Stmt.Store)) continue;
      Stmt.Store st = (Stmt.Store) body.get(i);
      Var array = st.array();
      if (!privateArrays.contains(array) || !isFixedIndex(st.index(), written)) continue;
      Expr.BinOp op = Expr.BinOp.ADD;
      Expr e = accumulated(st, array, st.index(), op);
      if (e == null) {
        op = Expr.BinOp.SUB;
        e = accumulated(st, array, st.index(), op);
      }
      if (e == null || reads(e, array) || mentionsElsewhere(body, i, array)) continue;
      IrType type = array.type().element();
      Var sum = names.newVar(array.name() + "Sum", type);
      Expr slot = new Expr.ArrayLoad(Expr.ref(array), st.index());
      before.add(new Stmt.Assign(sum, slot, st.line()));
      body.set(i, new Stmt.Assign(sum, new Expr.Binary(op, Expr.ref(sum), e, type), st.line()));
      after.add(new Stmt.Store(array, st.index(), Expr.ref(sum), st.line()));
    }
    if (before.isEmpty()) return List.of(r);
    // the slots are read before the loop only when it runs: an index may be out of range when
    // it does not
    List<Stmt> out = new ArrayList<>();
    Expr times = r.times();
    if (!(times instanceof Expr.Ref || times instanceof Expr.Const)) {
      Var n = names.newVar("n", IrType.INT);
      out.add(new Stmt.Assign(n, times, r.line()));
      times = Expr.ref(n);
    }
    List<Stmt> guarded = new ArrayList<>(before);
    guarded.add(new Stmt.Repeat(r.counter(), times, body, r.line()));
    guarded.addAll(after);
    Expr runs = new Expr.Binary(Expr.BinOp.GT, times, new Expr.Const(0, IrType.INT),
        IrType.BOOLEAN);
    out.add(new Stmt.If(runs, guarded, List.of(), r.line()));
    return out;
  }

  /**
   * The load of {@code s = a[i]} when {@code a} is private and unwritten in the loop and
   * {@code i} reads nothing the loop writes, else null.
   */
  private Expr.ArrayLoad invariantLoad(Stmt s, Set<Var> written) {
    if (!(s instanceof Stmt.Assign) || !(((Stmt.Assign) s).value() instanceof Expr.ArrayLoad)) {
      return null;
    }
    Expr.ArrayLoad load = (Expr.ArrayLoad) ((Stmt.Assign) s).value();
    Var array = Exprs.varOf(load.array());
    return array != null && privateArrays.contains(array) && !written.contains(array)
        && isFixedIndex(load.index(), written) ? load : null;
  }

  /** A plain index (see {@link #isPlainIndex}) of variables none of which are in written. */
  private static boolean isFixedIndex(Expr index, Set<Var> written) {
    if (!isPlainIndex(index)) return false;
    boolean[] moves = {false};
    Exprs.visitRefs(index, v -> moves[0] |= written.contains(v));
    return !moves[0];
  }

  /** An index of variables, constants and arithmetic: it reads no memory and calls nothing. */
  private static boolean isPlainIndex(Expr e) {
    return !Exprs.readsMemory(e) && !Exprs.hasEffects(e);
  }

  private static boolean reads(Expr e, Var v) {
    boolean[] found = {false};
    Exprs.visitRefs(e, x -> found[0] |= x == v);
    return found[0];
  }

  /** Whether a statement of {@code body} other than the one at {@code skip} mentions v. */
  private static boolean mentionsElsewhere(List<Stmt> body, int skip, Var v) {
    for (int i = 0; i < body.size(); i++) {
      if (i == skip) continue;
      boolean[] found = {false};
      Stmts.forEachDeep(List.of(body.get(i)), s -> found[0] |= Stmts.mentioned(s).contains(v));
      if (found[0]) return true;
    }
    return false;
  }

  /** Whether {@code s} (nested blocks included) mentions {@code array} or writes any of vars. */
  private static boolean mentionsAny(Stmt s, Var array, Set<Var> vars) {
    boolean[] found = {false};
    Stmts.forEachDeep(List.of(s), x -> {
      if (Stmts.mentioned(x).contains(array)) found[0] = true;
      Var w = Stmts.written(x);
      if (w != null && vars.contains(w)) found[0] = true;
      if (x instanceof Stmt.Repeat && vars.contains(((Stmt.Repeat) x).counter())) found[0] = true;
    });
    return found[0];
  }
}
