package dev.adjoint.processor.shape;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.read.Site;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one function of the intermediate form (as read, with its jumps) on what is known of its
 * values: an abstract interpretation whose values are shapes and sizes. Branches are joined
 * (what differs becomes unknown), loops run to a fixed point before anything in them is
 * reported, and code that runs only for some shapes ({@code if (x.dim() == 4)}) is never
 * reported, since other shapes would not run it. Every call's rule decides its result and may
 * prove a mismatch, which becomes a {@link Problem}.
 */
final class Interpreter {
  /** Where a problem is: a call, or a statement of a kind on a line. */
  enum Where { CALL, RETURN, ASSIGN, NEW }

  /** A proven mismatch; {@code site} is the call's, or null (then {@code line} and {@code where}). */
  record Problem(Site site, int line, Where where, String message) {}

  /** What the values are at one point: the variables, and the names locals have bound. */
  private static final class State {
    final Map<Var, Value> vars;
    Scope scope;

    State(Map<Var, Value> vars, Scope scope) {
      this.vars = vars;
      this.scope = scope;
    }

    State copy() {
      return new State(new HashMap<>(vars), scope.copy());
    }

    static State join(State a, State b) {
      if (a == null) return b == null ? null : b.copy();
      if (b == null) return a.copy();
      Map<Var, Value> v = new HashMap<>();
      Set<Var> all = new HashSet<>(a.vars.keySet());
      all.addAll(b.vars.keySet());
      for (Var x : all) {
        Value va = a.vars.get(x);
        Value vb = b.vars.get(x);
        v.put(x, va == null || vb == null ? Value.TOP : Value.join(va, vb));
      }
      return new State(v, a.scope.join(b.scope));
    }

    boolean same(State o) {
      return o != null && vars.equals(o.vars) && scope.sameBindings(o.scope);
    }
  }

  private static final class LoopFrame {
    final String label;
    State breaks;
    State continues;

    LoopFrame(String label) {
      this.label = label;
    }
  }

  /** Iterations of a loop before what still changes is forgotten. */
  private static final int WIDEN_AFTER = 12;

  private final Analysis analysis;
  private final Function f;
  private final Map<Var, Pattern> locals;
  private final Map<Var, Site> localSites;
  private final Pattern result;
  final String display;
  final int depth;
  private final List<Problem> problems = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private final Deque<LoopFrame> loops = new ArrayDeque<>();
  private int silent;
  private int shapeDecided;
  private Value returned;

  Interpreter(Analysis analysis, Function f, Map<Var, Pattern> locals, Map<Var, Site> localSites,
      Pattern result, String display, int depth) {
    this.analysis = analysis;
    this.f = f;
    this.locals = locals;
    this.localSites = localSites;
    this.result = result;
    this.display = display;
    this.depth = depth;
  }

  /** Runs the body from the parameters' values; returns what it returns (null if it never does). */
  Value run(List<Value> params, Scope scope) {
    Map<Var, Value> vars = new HashMap<>();
    for (int i = 0; i < f.params().size(); i++) vars.put(f.params().get(i), params.get(i));
    block(f.body(), new State(vars, scope));
    return returned;
  }

  List<Problem> problems() {
    return problems;
  }

  /** Reports a mismatch, unless in a pass that only looks for a fixed point, or in code a shape decides. */
  void report(Problem p) {
    if (silent > 0) return;
    String key = p.site() != null ? System.identityHashCode(p.site().tree()) + p.message()
        : p.line() + ":" + p.where() + p.message();
    if (seen.add(key)) problems.add(p);
  }

  private void reportAt(Object site, int line, Where where, String message) {
    report(new Problem(site instanceof Site ? (Site) site : null, line, where, message));
  }

  // ---------------------------------------------------------------- statements

  /** The state after a block, or null when no path leaves it normally. */
  private State block(List<Stmt> stmts, State st) {
    for (Stmt s : stmts) {
      if (st == null) return null;
      st = stmt(s, st);
    }
    return st;
  }

  private State stmt(Stmt s, State st) {
    if (s instanceof Stmt.Assign) {
      Stmt.Assign a = (Stmt.Assign) s;
      Value v = eval(a.value(), st, s.line());
      if (v == Value.FAILED) return null;
      if (locals.containsKey(a.target())) v = declaredLocal(a.target(), v, st, s.line());
      if (shapeDecided > 0) v = Value.markFromShape(v);
      st.vars.put(a.target(), v);
      return st;
    }
    if (s instanceof Stmt.Store) {
      Stmt.Store w = (Stmt.Store) s;
      Value array = st.vars.get(w.array());
      Value index = eval(w.index(), st, s.line());
      Value value = eval(w.value(), st, s.line());
      if (array instanceof Value.Array && index instanceof Value.Int
          && ((Value.Int) index).value().isConstant()) {
        long i = ((Value.Int) index).value().value();
        List<Value> elements = new ArrayList<>(((Value.Array) array).elements());
        if (i >= 0 && i < elements.size()) {
          elements.set((int) i, value);
          st.vars.put(w.array(), new Value.Array(elements));
          return st;
        }
      }
      st.vars.put(w.array(), Value.TOP);
      return st;
    }
    if (s instanceof Stmt.Eval) {
      return eval(((Stmt.Eval) s).expr(), st, s.line()) == Value.FAILED ? null : st;
    }
    if (s instanceof Stmt.If) return branch((Stmt.If) s, st);
    if (s instanceof Stmt.Loop) {
      Stmt.Loop l = (Stmt.Loop) s;
      return loop(l.label(), l.head(), l.cond(), l.body(), l.update(), st);
    }
    if (s instanceof Stmt.Repeat) {
      Stmt.Repeat r = (Stmt.Repeat) s;
      return loop(null, List.of(), null, r.body(), List.of(), st);
    }
    if (s instanceof Stmt.Return) {
      Value v = eval(((Stmt.Return) s).value(), st, s.line());
      if (v == Value.FAILED) return null;
      if (result != null) declaredResult(v, st, s.line());
      returned = Value.join(returned, v);
      return null;
    }
    if (s instanceof Stmt.Throw) {
      eval(((Stmt.Throw) s).value(), st, s.line());
      return null;
    }
    if (s instanceof Stmt.Break) {
      LoopFrame frame = frame(((Stmt.Break) s).label());
      if (frame != null) frame.breaks = State.join(frame.breaks, st);
      return null;
    }
    if (s instanceof Stmt.Continue) {
      LoopFrame frame = frame(((Stmt.Continue) s).label());
      if (frame != null) frame.continues = State.join(frame.continues, st);
      return null;
    }
    return st; // comments, pushes
  }

  private LoopFrame frame(String label) {
    for (LoopFrame fr : loops) {
      if (label == null || label.equals(fr.label)) return fr;
    }
    return null;
  }

  private State branch(Stmt.If s, State st) {
    Value c = eval(s.cond(), st, s.line());
    if (c == Value.FAILED) return null;
    Boolean known = c instanceof Value.Bool ? ((Value.Bool) c).value() : null;
    if (known != null) return block(known ? s.then() : s.otherwise(), st);
    boolean decided = Value.fromShape(c);
    enterDecided(decided);
    try {
      State a = block(s.then(), st.copy());
      State b = block(s.otherwise(), st.copy());
      return State.join(a, b);
    } finally {
      leaveDecided(decided);
    }
  }

  private void enterDecided(boolean decided) {
    if (decided) {
      silent++;
      shapeDecided++;
    }
  }

  private void leaveDecided(boolean decided) {
    if (decided) {
      silent--;
      shapeDecided--;
    }
  }

  /**
   * {@code while (true) { head; if (!cond) break; body; update; }} (a null cond: unknown).
   * Runs silently until the state at the head stops changing, then once more, reporting.
   */
  private State loop(String label, List<Stmt> head, Expr cond, List<Stmt> body,
      List<Stmt> update, State entry) {
    State in = entry.copy();
    for (int iteration = 0; ; iteration++) {
      boolean last = iteration > WIDEN_AFTER + 1;
      silent++;
      State[] out = iterate(label, head, cond, body, update, in.copy());
      silent--;
      State next = State.join(entry, out[1]);
      if (next.same(in) || last) {
        // the fixed point: run once more, reporting
        State[] fin = iterate(label, head, cond, body, update, in.copy());
        return fin[0];
      }
      in = iteration >= WIDEN_AFTER ? widen(in, next) : next;
    }
  }

  /** One pass around a loop: {exit state, state back at the head}. */
  private State[] iterate(String label, List<Stmt> head, Expr cond, List<Stmt> body,
      List<Stmt> update, State in) {
    LoopFrame frame = new LoopFrame(label);
    loops.push(frame);
    try {
      State h = block(head, in);
      State exit = null;
      State back = null;
      if (h != null) {
        Value c = cond == null ? new Value.Bool(null, false) : eval(cond, h, -1);
        if (c == Value.FAILED) return new State[] {State.join(null, frame.breaks), null};
        Boolean known = c instanceof Value.Bool ? ((Value.Bool) c).value() : null;
        if (!Boolean.TRUE.equals(known)) exit = h.copy();
        if (!Boolean.FALSE.equals(known)) {
          boolean decided = known == null && Value.fromShape(c);
          enterDecided(decided);
          try {
            State b = block(body, h);
            b = State.join(b, frame.continues);
            back = b == null ? null : block(update, b);
          } finally {
            leaveDecided(decided);
          }
        }
      }
      return new State[] {State.join(exit, frame.breaks), back};
    } finally {
      loops.pop();
    }
  }

  /** Forgets whatever still changes between two states at a loop's head. */
  private static State widen(State a, State b) {
    State w = State.join(a, b);
    for (Map.Entry<Var, Value> e : w.vars.entrySet()) {
      if (!e.getValue().equals(a.vars.get(e.getKey()))) {
        e.setValue(forget(e.getValue()));
      }
    }
    return w;
  }

  private static Value forget(Value v) {
    if (v instanceof Value.Tensor) return Value.unknownTensor();
    if (v instanceof Value.Int) return new Value.Int(Dim.UNKNOWN, ((Value.Int) v).fromShape());
    if (v instanceof Value.Bool) return new Value.Bool(null, ((Value.Bool) v).fromShape());
    return Value.TOP;
  }

  // ---------------------------------------------------------------- declared shapes

  private Value declaredLocal(Var var, Value v, State st, int line) {
    Pattern p = locals.get(var);
    Binder b = new Binder(st.scope);
    b.add(var.name(), p, Value.shapeOf(v));
    Site at = localSites.get(var);
    List<Shape> shapes = b.bind(m -> {
      Printer pr = Printer.forAll(m.actual());
      String msg = "'" + var.name() + "' is declared @Shape(\"" + p.text() + "\"), but is "
          + pr.shape(m.actual()) + " here: " + m.detail() + "; fix the declaration or the "
          + "computation";
      if (at != null && analysis.line(at) == line) {
        report(new Problem(at, line, Where.ASSIGN, msg));
      } else {
        report(new Problem(null, line, Where.ASSIGN, msg));
      }
    });
    boolean isNull = v instanceof Value.Tensor && ((Value.Tensor) v).isNull();
    return new Value.Tensor(shapes.get(0), isNull);
  }

  private void declaredResult(Value v, State st, int line) {
    Binder b = new Binder(st.scope.copy());
    b.add("the result", result, Value.shapeOf(v));
    b.bind(m -> {
      Printer pr = Printer.forAll(m.actual());
      report(new Problem(null, line, Where.RETURN, display + " is declared to return @Shape(\""
          + result.text() + "\"), but returns " + pr.shape(m.actual()) + " here: " + m.detail()
          + "; fix the declaration or the computation"));
    });
  }

  // ---------------------------------------------------------------- expressions

  private Value eval(Expr e, State st, int line) {
    if (e instanceof Expr.Const) return constant((Expr.Const) e);
    if (e instanceof Expr.Ref) {
      Value v = st.vars.get(((Expr.Ref) e).var());
      return v == null ? Value.unknownOf(e.type()) : v;
    }
    if (e instanceof Expr.Unary) return unary((Expr.Unary) e, eval(((Expr.Unary) e).operand(), st, line));
    if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      return binary(b, eval(b.left(), st, line), eval(b.right(), st, line));
    }
    if (e instanceof Expr.Cast) {
      Value v = eval(((Expr.Cast) e).operand(), st, line);
      IrType to = e.type();
      if (to.isIntegral() && v instanceof Value.Int) return v;
      return to.isIntegral() ? new Value.Int(Dim.UNKNOWN, Value.fromShape(v)) : Value.TOP;
    }
    if (e instanceof Expr.ArrayLoad) {
      Expr.ArrayLoad a = (Expr.ArrayLoad) e;
      Value array = eval(a.array(), st, line);
      Value index = eval(a.index(), st, line);
      return element(array, index, e.type());
    }
    if (e instanceof Expr.ArrayLength) {
      Value array = eval(((Expr.ArrayLength) e).array(), st, line);
      if (array instanceof Value.Array) {
        List<Value> els = ((Value.Array) array).elements();
        boolean fromShape = els.stream().anyMatch(Value::fromShape);
        return new Value.Int(Dim.constant(els.size()), fromShape);
      }
      return new Value.Int(Dim.UNKNOWN, false);
    }
    if (e instanceof Expr.NewArray) {
      Value n = eval(((Expr.NewArray) e).length(), st, line);
      if (n instanceof Value.Int && ((Value.Int) n).value().isConstant()
          && ((Value.Int) n).value().value() >= 0 && ((Value.Int) n).value().value() <= 64) {
        List<Value> els = new ArrayList<>();
        IrType el = e.type().element();
        for (long i = 0; i < ((Value.Int) n).value().value(); i++) {
          els.add(el.isIntegral() ? Value.integer(Dim.ZERO) : Value.TOP);
        }
        return new Value.Array(els);
      }
      return Value.TOP;
    }
    if (e instanceof Expr.ArrayLiteral) {
      List<Value> els = new ArrayList<>();
      for (Expr x : ((Expr.ArrayLiteral) e).elements()) els.add(eval(x, st, line));
      return new Value.Array(els);
    }
    if (e instanceof Expr.CloneArray) return eval(((Expr.CloneArray) e).array(), st, line);
    if (e instanceof Expr.Call) return call((Expr.Call) e, st, line);
    if (e instanceof Expr.NewRecord) return newRecord((Expr.NewRecord) e, st, line);
    if (e instanceof Expr.Get) {
      Expr.Get g = (Expr.Get) e;
      Value r = eval(g.record(), st, line);
      if (r instanceof Value.Record) {
        Value v = ((Value.Record) r).get(g.component());
        return v == Value.TOP ? Value.unknownOf(e.type()) : v;
      }
      return Value.unknownOf(e.type());
    }
    if (e instanceof Expr.StaticField) return analysis.staticField((Expr.StaticField) e);
    return e.type().isIntegral() ? new Value.Int(Dim.UNKNOWN, false) : Value.TOP;
  }

  private static Value constant(Expr.Const c) {
    Object v = c.value();
    if (v == null) return new Value.Tensor(Shape.UNKNOWN, true);
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return Value.integer(Dim.constant(((Number) v).longValue()));
    }
    if (v instanceof Character) return Value.integer(Dim.constant((Character) v));
    if (v instanceof Boolean) return new Value.Bool((Boolean) v, false);
    return Value.TOP;
  }

  private static Value element(Value array, Value index, IrType type) {
    if (array instanceof Value.Array) {
      List<Value> els = ((Value.Array) array).elements();
      if (index instanceof Value.Int && ((Value.Int) index).value().isConstant()) {
        long i = ((Value.Int) index).value().value();
        if (i >= 0 && i < els.size()) return els.get((int) i);
      }
      Value joined = null;
      for (Value v : els) joined = Value.join(joined, v);
      if (joined != null) {
        return joined instanceof Value.Int ? new Value.Int(Dim.UNKNOWN, Value.fromShape(joined))
            : type.isTensor() ? Value.unknownTensor() : Value.TOP;
      }
    }
    return type.isIntegral() ? new Value.Int(Dim.UNKNOWN, false)
        : type.isTensor() ? Value.unknownTensor() : Value.TOP;
  }

  private static Value unary(Expr.Unary u, Value x) {
    switch (u.op()) {
      case NEG:
        return x instanceof Value.Int
            ? new Value.Int(((Value.Int) x).value().negate(), ((Value.Int) x).fromShape())
            : Value.TOP;
      case NOT:
        if (x instanceof Value.Bool) {
          Boolean b = ((Value.Bool) x).value();
          return new Value.Bool(b == null ? null : !b, ((Value.Bool) x).fromShape());
        }
        return new Value.Bool(null, false);
      default:
        return u.type().isIntegral() ? new Value.Int(Dim.UNKNOWN, Value.fromShape(x)) : Value.TOP;
    }
  }

  private static Value binary(Expr.Binary b, Value l, Value r) {
    boolean fromShape = Value.fromShape(l) || Value.fromShape(r);
    if (l instanceof Value.Int && r instanceof Value.Int) {
      Dim x = ((Value.Int) l).value();
      Dim y = ((Value.Int) r).value();
      switch (b.op()) {
        case ADD: return new Value.Int(x.plus(y), fromShape);
        case SUB: return new Value.Int(x.minus(y), fromShape);
        case MUL: return new Value.Int(x.times(y), fromShape);
        case DIV: return new Value.Int(x.javaDiv(y), fromShape);
        case REM:
          return new Value.Int(x.isConstant() && y.isConstant() && y.value() != 0
              ? Dim.constant(x.value() % y.value()) : Dim.UNKNOWN, fromShape);
        case EQ: return new Value.Bool(equal(x, y), fromShape);
        case NE: {
          Boolean eq = equal(x, y);
          return new Value.Bool(eq == null ? null : !eq, fromShape);
        }
        case LT: return new Value.Bool(compare(x, y, d -> d < 0), fromShape);
        case LE: return new Value.Bool(compare(x, y, d -> d <= 0), fromShape);
        case GT: return new Value.Bool(compare(x, y, d -> d > 0), fromShape);
        case GE: return new Value.Bool(compare(x, y, d -> d >= 0), fromShape);
        default:
          return b.type().isIntegral() ? new Value.Int(Dim.UNKNOWN, fromShape)
              : new Value.Bool(null, fromShape);
      }
    }
    if (l instanceof Value.Bool && r instanceof Value.Bool) {
      Boolean x = ((Value.Bool) l).value();
      Boolean y = ((Value.Bool) r).value();
      switch (b.op()) {
        case AND:
          if (Boolean.FALSE.equals(x) || Boolean.FALSE.equals(y)) return new Value.Bool(false, fromShape);
          return new Value.Bool(x != null && y != null ? true : null, fromShape);
        case OR:
          if (Boolean.TRUE.equals(x) || Boolean.TRUE.equals(y)) return new Value.Bool(true, fromShape);
          return new Value.Bool(x != null && y != null ? false : null, fromShape);
        case XOR:
        case NE:
          return new Value.Bool(x == null || y == null ? null : x ^ y, fromShape);
        case EQ:
          return new Value.Bool(x == null || y == null ? null : x.equals(y), fromShape);
        default:
          return new Value.Bool(null, fromShape);
      }
    }
    if (b.type().isIntegral()) return new Value.Int(Dim.UNKNOWN, fromShape);
    if (b.type().kind() == IrType.Kind.BOOLEAN) return new Value.Bool(null, fromShape);
    return Value.TOP;
  }

  /** Equal (same size), not equal (a constant apart), or unknown: never assumed generic. */
  private static Boolean equal(Dim x, Dim y) {
    if (!x.known() || !y.known()) return null;
    if (x.equals(y)) return true;
    return x.alwaysDiffers(y) ? false : null;
  }

  private static Boolean compare(Dim x, Dim y, java.util.function.LongPredicate test) {
    Dim d = x.minus(y);
    return d.isConstant() ? test.test(d.value()) : null;
  }

  private Value call(Expr.Call c, State st, int line) {
    List<Value> args = new ArrayList<>();
    for (Expr a : c.args()) {
      Value v = eval(a, st, line);
      if (v == Value.FAILED) return v;
      args.add(v);
    }
    OpTable.Rule rule = analysis.ops().find(c.method());
    if (rule != null) {
      Op op = new Op(opName(c.method()), args, m -> reportAt(c.site(), line, Where.CALL, m));
      Value v = rule.apply(op);
      if (op.failed()) return Value.FAILED;
      if (c.type().isTensor() && !(v instanceof Value.Tensor)) return Value.unknownTensor();
      return v;
    }
    return analysis.call(c, args, this, line);
  }

  /** A tensor operation by its name ({@code matmul}), others with their class too. */
  private static String opName(dev.adjoint.processor.ir.MethodRef m) {
    String owner = m.owner().toString();
    if (owner.equals(OpTable.TENSOR)) return m.name();
    return owner.substring(owner.lastIndexOf('.') + 1) + "." + m.name();
  }

  private Value newRecord(Expr.NewRecord n, State st, int line) {
    List<Value> args = new ArrayList<>();
    for (Expr a : n.args()) args.add(eval(a, st, line));
    Map<String, Value> comps = new java.util.LinkedHashMap<>();
    List<IrType.Component> cs = n.type().components();
    for (int i = 0; i < cs.size() && i < args.size(); i++) comps.put(cs.get(i).name(), args.get(i));
    Value actual = new Value.Record(comps);
    Decl decl = analysis.declarations().ofType(n.type());
    if (!(decl instanceof Decl.Record) || !((Decl.Record) decl).declaresAny()) return actual;
    String type = n.type().typeName().toString();
    String simple = type.substring(type.lastIndexOf('.') + 1);
    List<Value> out = new Instantiation(analysis.declarations()).bind(new Scope(null, false),
        List.of(new Instantiation.Item("", n.type(), decl, actual, true)),
        m -> {
          Printer p = Printer.forAll(m.actual());
          report(new Problem(null, line, Where.NEW, "new " + simple + ": component " + m.label()
              + " is declared @Shape(\"" + m.pattern().text() + "\"), but gets "
              + p.shape(m.actual()) + ": " + m.detail() + "; pass a tensor of the declared "
              + "shape, or fix the declaration"));
        });
    return out.get(0);
  }
}
