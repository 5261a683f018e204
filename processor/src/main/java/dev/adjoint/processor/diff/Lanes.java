package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The lane loops of vector forward mode. A value's tangents are an array with one element per
 * direction (a lane); the tangent statements of consecutive primal statements are gathered into
 * one loop over the lanes, which stays open until a primal statement would change what the
 * gathered statements read (then the loop is written out before it). Tangent code only reads
 * primal values, so this reordering is exact.
 */
final class Lanes {
  /** The number of directions. */
  final Var directions;
  /** The lane a statement in a lane loop computes. */
  private final Var lane;
  private final Names names;
  private final List<Stmt> pending = new ArrayList<>();
  private final Set<Var> pendingReads = new HashSet<>();
  /** Arrays of tangents that lane statements write into, allocated on entry. */
  private final Set<Var> stored = new LinkedHashSet<>();

  Lanes(Names names) {
    this.names = names;
    this.directions = names.newVar("directions", IrType.INT);
    this.lane = names.newVar("lane", IrType.INT);
  }

  /** The current lane's element of an array of tangents. */
  Expr element(Var tangents) {
    return new Expr.ArrayLoad(Expr.ref(tangents), Expr.ref(lane));
  }

  /** {@code tangents[lane] = value}. */
  Stmt set(Var tangents, Expr value, int line) {
    stored.add(tangents);
    return new Stmt.Store(tangents, Expr.ref(lane), value, line);
  }

  /** {@code tangents[lane] = value} into an array allocated where it is made. */
  Stmt setFresh(Var tangents, Expr value, int line) {
    return new Stmt.Store(tangents, Expr.ref(lane), value, line);
  }

  /** {@code tangents[directions - 1 - lane] = value}: for values a tape gives back reversed. */
  Stmt setReversed(Var tangents, Expr value, int line) {
    stored.add(tangents);
    Expr last = new Expr.Binary(Expr.BinOp.SUB, Expr.ref(directions),
        new Expr.Const(1, IrType.INT), IrType.INT);
    return new Stmt.Store(tangents, new Expr.Binary(Expr.BinOp.SUB, last, Expr.ref(lane),
        IrType.INT), value, line);
  }

  /** {@code tangents[lane][index] = value}: the tangent of a store into an array. */
  List<Stmt> store(Var tangents, Expr index, Expr value, int line) {
    Var row = names.newVar(tangents.name() + "Lane", tangents.type().element());
    return List.of(new Stmt.Assign(row, element(tangents), line),
        new Stmt.Store(row, index, value, line));
  }

  /** Adds tangent statements to the open lane loop. */
  void add(List<Stmt> stmts, List<Stmt> out) {
    pending.addAll(stmts);
    Stmts.forEachDeep(stmts, s -> {
      for (Expr e : Stmts.exprs(s)) Exprs.visitRefs(e, pendingReads::add);
    });
  }

  /** Tangent statements in a lane loop of their own. */
  void alone(List<Stmt> stmts, List<Stmt> out) {
    flush(out);
    add(stmts, out);
    flush(out);
  }

  /** Closes the open lane loop where {@code s}, a primal statement, must come after it. */
  void before(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Assign) {
      Stmt.Assign a = (Stmt.Assign) s;
      boolean movable = !Exprs.hasEffects(a.value()) && a.target().type().kind() != IrType.Kind.TAPE
          && !pendingReads.contains(a.target());
      if (movable) return;
    }
    flush(out);
  }

  /** Writes out the open lane loop. */
  void flush(List<Stmt> out) {
    if (pending.isEmpty()) return;
    out.add(new Stmt.Repeat(lane, Expr.ref(directions), List.copyOf(pending),
        pending.get(0).line()));
    pending.clear();
    pendingReads.clear();
  }

  /** An array of zero tangents for {@code arg}, one per direction. */
  Var zeros(Expr arg, Expr zero, List<Stmt> out, int line) {
    Var z = names.newVar("zeros", IrType.arrayOf(arg.type()));
    flush(out);
    out.add(new Stmt.Assign(z, new Expr.NewArray(z.type(), Expr.ref(directions)), line));
    if (!arg.type().isPrimitive()) {
      alone(List.of(new Stmt.Store(z, Expr.ref(lane), zero, line)), out);
    }
    return z;
  }

  /**
   * The body with its entry: tangent arrays allocated, tangent arguments the body writes into
   * copied (they are the caller's), and stores into tangent arrays nothing reads removed.
   */
  List<Stmt> finish(List<Stmt> entry, List<Stmt> body, List<Var> tangentParams, int line) {
    Set<Var> owned = new LinkedHashSet<>(stored);
    owned.removeAll(tangentParams);
    while (true) {
      Set<Var> read = new HashSet<>();
      Stmts.forEachDeep(body, s -> {
        for (Expr e : Stmts.exprs(s)) Exprs.visitRefs(e, read::add);
      });
      Set<Var> dead = new HashSet<>(owned);
      dead.removeAll(read);
      if (dead.isEmpty()) break;
      owned.removeAll(dead);
      body = withoutStores(body, dead);
    }
    body = privatize(body, owned);
    List<Stmt> all = new ArrayList<>(entry);
    for (Var t : tangentParams) {
      if (stored.contains(t)) {
        all.add(new Stmt.Assign(t, new Expr.CloneArray(Expr.ref(t)), line));
      }
    }
    for (Var t : owned) {
      all.add(new Stmt.Assign(t, new Expr.NewArray(t.type(), Expr.ref(directions)), line));
    }
    all.addAll(body);
    return all;
  }

  /**
   * Tangent arrays that live in one lane loop only, and are written there before being read,
   * become one local per lane: {@code tDot[lane]} is {@code tDotLane}, and no array is made.
   * Removed from {@code owned}.
   */
  private List<Stmt> privatize(List<Stmt> body, Set<Var> owned) {
    Map<Var, Integer> total = new HashMap<>();
    Stmts.forEachDeep(body, s -> {
      for (Var v : Stmts.mentioned(s)) total.merge(v, 1, Integer::sum);
    });
    Map<Var, Var> locals = new HashMap<>();
    Stmts.forEachDeep(body, s -> {
      if (!(s instanceof Stmt.Repeat) || ((Stmt.Repeat) s).counter() != lane) return;
      List<Stmt> loop = ((Stmt.Repeat) s).body();
      Map<Var, Integer> here = new HashMap<>();
      Map<Var, Integer> laneShaped = new HashMap<>();
      Stmts.forEachDeep(loop, t -> {
        for (Var v : Stmts.mentioned(t)) here.merge(v, 1, Integer::sum);
        if (t instanceof Stmt.Store && isLane(((Stmt.Store) t).index())) {
          laneShaped.merge(((Stmt.Store) t).array(), 1, Integer::sum);
        }
        for (Expr e : Stmts.exprs(t)) countLaneLoads(e, laneShaped);
      });
      for (Var v : owned) {
        Integer n = here.get(v);
        if (n == null || !n.equals(total.get(v)) || !n.equals(laneShaped.get(v))) continue;
        if (!writtenFirst(loop, v)) continue;
        locals.put(v, new Var(names.fresh(v.name() + "Lane"), v.type().element(),
            v.isSynthetic()));
      }
    });
    if (locals.isEmpty()) return body;
    owned.removeAll(locals.keySet());
    return rewrite(body, locals);
  }

  private boolean isLane(Expr e) {
    return e instanceof Expr.Ref && ((Expr.Ref) e).var() == lane;
  }

  private void countLaneLoads(Expr e, Map<Var, Integer> counts) {
    if (e instanceof Expr.ArrayLoad) {
      Expr.ArrayLoad a = (Expr.ArrayLoad) e;
      if (a.array() instanceof Expr.Ref && isLane(a.index())) {
        counts.merge(((Expr.Ref) a.array()).var(), 1, Integer::sum);
        return;
      }
    }
    Exprs.mapChildren(e, c -> {
      countLaneLoads(c, counts);
      return c;
    });
  }

  /** Whether the first statement of the lane loop that mentions {@code v} only sets it. */
  private boolean writtenFirst(List<Stmt> loop, Var v) {
    for (Stmt s : loop) {
      boolean[] mentions = {false};
      Stmts.forEachDeep(List.of(s), t -> mentions[0] |= Stmts.mentioned(t).contains(v));
      if (!mentions[0]) continue;
      if (!(s instanceof Stmt.Store) || ((Stmt.Store) s).array() != v) return false;
      boolean[] reads = {false};
      Exprs.visitRefs(((Stmt.Store) s).value(), r -> reads[0] |= r == v);
      return !reads[0];
    }
    return false;
  }

  private List<Stmt> rewrite(List<Stmt> stmts, Map<Var, Var> locals) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Store && locals.containsKey(((Stmt.Store) s).array())) {
        Stmt.Store st = (Stmt.Store) s;
        out.add(new Stmt.Assign(locals.get(st.array()), rewrite(st.value(), locals), s.line()));
      } else {
        out.add(Stmts.withBlocks(Stmts.withExprs(s, e -> rewrite(e, locals)),
            b -> rewrite(b, locals)));
      }
    }
    return out;
  }

  private Expr rewrite(Expr e, Map<Var, Var> locals) {
    if (e instanceof Expr.ArrayLoad) {
      Expr.ArrayLoad a = (Expr.ArrayLoad) e;
      if (a.array() instanceof Expr.Ref && isLane(a.index())
          && locals.containsKey(((Expr.Ref) a.array()).var())) {
        return Expr.ref(locals.get(((Expr.Ref) a.array()).var()));
      }
    }
    return Exprs.mapChildren(e, c -> rewrite(c, locals));
  }

  private static List<Stmt> withoutStores(List<Stmt> stmts, Set<Var> dead) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Store && dead.contains(((Stmt.Store) s).array())) continue;
      if (s instanceof Stmt.Assign && dead.contains(((Stmt.Assign) s).target())
          && !Exprs.hasEffects(((Stmt.Assign) s).value())) {
        continue;
      }
      Stmt kept = Stmts.withBlocks(s, b -> withoutStores(b, dead));
      // a lane loop left empty goes too
      if (!(kept instanceof Stmt.Repeat) || !((Stmt.Repeat) kept).body().isEmpty()) {
        out.add(kept);
      }
    }
    return out;
  }
}
