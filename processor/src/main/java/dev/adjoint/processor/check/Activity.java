package dev.adjoint.processor.check;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Activity analysis: a variable is active when it depends on a differentiated input (varied)
 * and the result depends on it (useful). Only active values get tangents or adjoints; an
 * operation without derivative is an error only where its result is active. Flow-insensitive
 * over the data-flow graph of a linearized function; tapes count as one channel per type.
 */
public final class Activity {
  private final Map<Object, Set<Object>> forward = new HashMap<>();
  private final Map<Object, Set<Object>> backward = new HashMap<>();
  private final Set<Object> varied = new HashSet<>();
  private final Set<Object> useful = new HashSet<>();

  /** Key of one channel of a tape: a slot (see {@link Stmt.Push}), or a type's pool. */
  public record Channel(Var tape, Object key) {}

  private Activity() {}

  public static Activity of(Function f, List<Var> independents) {
    Activity a = new Activity();
    a.edges(f.body());
    for (Var v : independents) a.reach(v, a.forward, a.varied);
    Stmt last = f.body().get(f.body().size() - 1);
    Var result = Exprs.varOf(((Stmt.Return) last).value());
    if (result != null) a.reach(result, a.backward, a.useful);
    return a;
  }

  public boolean isActive(Var v) {
    return carries(v.type()) && varied.contains(v) && useful.contains(v);
  }

  public boolean isVaried(Var v) {
    return varied.contains(v);
  }

  /**
   * Whether {@code v}, of any type, depends on the differentiated inputs and reaches the result:
   * an object that an opaque call filled with differentiated values ({@code acc.add(x * x)}),
   * a boxed or printed number. Such a value carries no derivative, so the checker refuses it.
   */
  public boolean isTainted(Var v) {
    return varied.contains(v) && useful.contains(v);
  }

  public boolean isActive(Channel c) {
    return varied.contains(c) && useful.contains(c);
  }

  /** Whether any channel of {@code tape} carries a differentiated value. */
  public boolean hasActiveChannel(Var tape) {
    for (Object o : varied) {
      if (o instanceof Channel && ((Channel) o).tape() == tape && useful.contains(o)) return true;
    }
    return false;
  }

  public boolean isActive(Expr atom) {
    Var v = Exprs.varOf(atom);
    return v != null && isActive(v);
  }

  public static Channel channel(Var tape, Object slot, IrType type) {
    if (slot != null) return new Channel(tape, slot);
    IrType.Kind k = type.isPrimitive() ? type.kind() : IrType.Kind.OBJECT;
    return new Channel(tape, k);
  }

  private static boolean carries(IrType t) {
    return t.isDifferentiable();
  }

  private void edge(Object from, Object to) {
    forward.computeIfAbsent(from, k -> new HashSet<>()).add(to);
    backward.computeIfAbsent(to, k -> new HashSet<>()).add(from);
  }

  private void reach(Object start, Map<Object, Set<Object>> graph, Set<Object> into) {
    Deque<Object> work = new ArrayDeque<>();
    if (into.add(start)) work.add(start);
    while (!work.isEmpty()) {
      for (Object next : graph.getOrDefault(work.poll(), Set.of())) {
        if (into.add(next)) work.add(next);
      }
    }
  }

  private void edges(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Assign) {
        Stmt.Assign a = (Stmt.Assign) s;
        Var target = a.target();
        Expr e = a.value();
        if (e instanceof Expr.Call && isOpaque((Expr.Call) e)) {
          opaqueEdges((Expr.Call) e, target);
          continue;
        }
        if (isObject(target.type())) {
          // Objects hold derivatives only through copies, string concatenation and opaque calls.
          if (e instanceof Expr.Ref || e instanceof Expr.Binary) {
            Exprs.visitRefs(e, v -> {
              if (carries(v.type()) || isObject(v.type())) edge(v, target);
            });
          }
          continue;
        }
        if (!carries(target.type())) continue;
        // A number read out of an object (a field, an unboxing) depends on what the object
        // holds; the checker refuses it where that is differentiated.
        if (e instanceof Expr.Field || e instanceof Expr.Cast) {
          Exprs.visitRefs(e, v -> {
            if (isObject(v.type())) edge(v, target);
          });
        }
        if (e instanceof Expr.Pop) {
          Expr.Pop pop = (Expr.Pop) e;
          edge(channel(pop.tape(), pop.slot(), target.type()), target);
          continue;
        }
        if (e instanceof Expr.ArrayLoad) {
          edgeFrom(((Expr.ArrayLoad) e).array(), target);
          continue;
        }
        if (e instanceof Expr.NewArray || e instanceof Expr.ArrayLength) continue;
        Exprs.visitRefs(e, v -> {
          if (carries(v.type())) edge(v, target);
        });
        if (target.type().isArray() && e instanceof Expr.Ref) {
          // Arrays alias: a later write through either name changes both.
          edge(target, ((Expr.Ref) e).var());
        }
      } else if (s instanceof Stmt.Eval && ((Stmt.Eval) s).expr() instanceof Expr.Call
          && isOpaque((Expr.Call) ((Stmt.Eval) s).expr())) {
        opaqueEdges((Expr.Call) ((Stmt.Eval) s).expr(), null);
      } else if (s instanceof Stmt.Store) {
        Stmt.Store st = (Stmt.Store) s;
        edgeFrom(st.value(), st.array());
      } else if (s instanceof Stmt.Push) {
        Stmt.Push p = (Stmt.Push) s;
        edgeFrom(p.value(), channel(p.tape(), p.slot(), p.value().type()));
      } else if (s instanceof Stmt.If) {
        edges(((Stmt.If) s).then());
        edges(((Stmt.If) s).otherwise());
      } else if (s instanceof Stmt.Loop) {
        edges(((Stmt.Loop) s).head());
        edges(((Stmt.Loop) s).body());
      } else if (s instanceof Stmt.Repeat) {
        edges(((Stmt.Repeat) s).body());
      }
    }
  }

  private static boolean isObject(IrType t) {
    return t.kind() == IrType.Kind.OBJECT;
  }

  private static boolean isOpaque(Expr.Call c) {
    return c.method().target() instanceof dev.adjoint.processor.ir.Target.Opaque;
  }

  /**
   * A call without derivative may put what it receives into its result and into every object or
   * array it receives ({@code squares(out, x)}, {@code acc.add(x)}): values flow from each
   * argument to those. A tensor receiver yields objects only about its shape ({@code x.dtype()}),
   * which carry no derivative, so it flows into a number result ({@code x.get(0)}) but not into
   * an object.
   */
  private void opaqueEdges(Expr.Call c, Var result) {
    List<Var> args = new java.util.ArrayList<>();
    for (Expr a : c.args()) {
      Var v = Exprs.varOf(a);
      if (v != null && (carries(v.type()) || isObject(v.type()))) args.add(v);
    }
    Var tensorReceiver = !c.method().isStatic() && !args.isEmpty()
        && args.get(0) == Exprs.varOf(c.args().get(0)) && args.get(0).type().isTensor()
        ? args.get(0) : null;
    List<Var> sinks = new java.util.ArrayList<>();
    for (Var v : args) {
      if (isObject(v.type()) && !v.type().isImmutable() || v.type().isArray()) sinks.add(v);
    }
    if (result != null && (carries(result.type()) || isObject(result.type()))) sinks.add(result);
    for (Var from : args) {
      for (Var to : sinks) {
        if (from != to && !(from == tensorReceiver && isObject(to.type()))) edge(from, to);
      }
    }
  }

  private void edgeFrom(Expr atom, Object to) {
    Var v = Exprs.varOf(atom);
    if (v != null && carries(v.type())) edge(v, to);
  }
}
