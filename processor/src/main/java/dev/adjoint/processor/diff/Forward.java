package dev.adjoint.processor.diff;

import com.palantir.javapoet.ClassName;
import dev.adjoint.processor.check.Activity;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Target;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward mode: every active statement is followed by the statement that computes its
 * tangent. Works on any linearized function, including the reverse-mode code Adjoint generated
 * (tapes get tangent tapes), which is how Hessian-vector products and higher orders are built.
 *
 * <p>Vector mode ({@link #jvpN}) carries several tangents through one pass: the tangent of a
 * value of type T is a {@code T[]} holding one tangent per direction, and the tangent code of a
 * run of primal statements becomes one loop over the directions (a "lane" loop), so the primal
 * is computed once however many directions there are.
 */
public final class Forward {
  /** What the generated method returns. */
  public enum Output {
    /** {@code Dual<R>} of value and tangent. */
    DUAL,
    /** The tangent only. */
    TANGENT
  }

  private final Function f;
  private final Activity activity;
  private final Derivatives derivatives;
  private final Names names;
  private final Map<Var, Var> tangents = new HashMap<>();
  private final java.util.Set<Var> tangentVars = new java.util.LinkedHashSet<>();
  private final Map<Var, Var> tangentTapes = new HashMap<>();
  /** Vector mode: null in scalar mode. */
  private final Lanes lanes;
  private final TangentFacts facts = new TangentFacts();
  /** Temporaries assigned once and read once: their tangents are read as their expressions. */
  private final java.util.Set<Var> readOnce;

  private Forward(Function f, Derivatives derivatives, boolean vector) {
    this.f = f;
    this.activity = Activity.of(f, f.wrtParams());
    this.derivatives = derivatives;
    this.names = new Names(f.names());
    this.lanes = vector ? new Lanes(names) : null;
    this.readOnce = readOnce(f.body());
  }

  private static java.util.Set<Var> readOnce(List<Stmt> body) {
    Map<Var, Integer> reads = new HashMap<>();
    Map<Var, Integer> writes = new HashMap<>();
    dev.adjoint.processor.ir.Stmts.forEachDeep(body, s -> {
      Var w = dev.adjoint.processor.ir.Stmts.written(s);
      if (w != null) writes.merge(w, 1, Integer::sum);
      for (Expr e : dev.adjoint.processor.ir.Stmts.exprs(s)) {
        Exprs.visitRefs(e, v -> reads.merge(v, 1, Integer::sum));
      }
    });
    java.util.Set<Var> once = new java.util.HashSet<>();
    for (Map.Entry<Var, Integer> r : reads.entrySet()) {
      Var v = r.getKey();
      if (v.isSynthetic() && r.getValue() == 1 && writes.getOrDefault(v, 0) == 1) once.add(v);
    }
    return once;
  }

  /**
   * The JVP of {@code f}: parameters {@code (params..., one tangent per wrt parameter)}.
   */
  public static Function jvp(Function f, String name, ClassName owner, Output output,
      Derivatives derivatives) {
    return new Forward(f, derivatives, false).build(name, owner, output);
  }

  /**
   * The vector JVP of {@code f}: parameters {@code (params..., one T[] of tangents per wrt
   * parameter of type T)}, every array holding the same number of directions; returns
   * {@code DualN<R, R[]>} (or {@code R[]} for {@link Output#TANGENT}).
   */
  public static Function jvpN(Function f, String name, ClassName owner, Output output,
      Derivatives derivatives) {
    return new Forward(f, derivatives, true).build(name, owner, output);
  }

  /** How many directions the tangent arguments hold (checked to agree). */
  private Expr directionsOf(List<Var> tangentParams) {
    if (tangentParams.isEmpty()) return new Expr.Const(0, IrType.INT);
    Expr n = new Expr.ArrayLength(Expr.ref(tangentParams.get(0)));
    MethodRef agree = derivatives.library("dev.adjoint.ad.Tangents", "directions", 2);
    for (int i = 1; i < tangentParams.size(); i++) {
      n = new Expr.Call(agree, List.of(n, new Expr.ArrayLength(Expr.ref(tangentParams.get(i)))));
    }
    return n;
  }

  private Function build(String name, ClassName owner, Output output) {
    List<Var> params = new ArrayList<>(f.params());
    List<Integer> wrt = new ArrayList<>(f.wrt());
    List<Var> tangentParams = new ArrayList<>();
    for (Var p : f.wrtParams()) {
      Var t = names.newVar(p.name() + "Dot", tangentType(p.type()));
      tangents.put(p, t);
      tangentVars.add(t);
      wrt.add(params.size());
      params.add(t);
      tangentParams.add(t);
    }
    List<Stmt> body = block(f.body(), output);
    if (lanes != null) {
      int line = f.body().isEmpty() ? -1 : f.body().get(0).line();
      List<Stmt> entry = new ArrayList<>();
      entry.add(new Stmt.Assign(lanes.directions, directionsOf(tangentParams), line));
      body = lanes.finish(entry, body, tangentParams, line);
    } else {
      java.util.Set<Var> locals = new java.util.LinkedHashSet<>(tangentVars);
      tangentParams.forEach(locals::remove);
      body = ScaledAccumulators.apply(body, locals);
    }
    IrType ret = output == Output.TANGENT ? tangentType(f.returnType())
        : lanes == null ? IrType.dual(f.returnType()) : IrType.dualN(f.returnType());
    return new Function(owner, name, params, ret, wrt, body, names, f.sourceFile(), false,
        f.usesTape());
  }

  /** The type of a tangent of a {@code type} value: an array of them in vector mode. */
  private IrType tangentType(IrType type) {
    return lanes == null ? type : IrType.arrayOf(type);
  }

  private Var dot(Var v) {
    return tangents.computeIfAbsent(v, k -> {
      Var t = new Var(names.fresh(k.name() + "Dot"), tangentType(k.type()), k.isSynthetic());
      tangentVars.add(t);
      return t;
    });
  }

  /**
   * The tangent of an atom: its tangent variable when active, else zero (null). In vector mode,
   * the tangent of the current lane's direction.
   */
  private Expr tan(Expr atom) {
    Var v = Exprs.varOf(atom);
    if (v == null || !activity.isActive(v)) return null;
    Expr known = facts.tangent(dot(v));
    if (known != null) return known;
    return lanes == null ? Expr.ref(dot(v)) : lanes.element(dot(v));
  }

  /** A scalar tangent as {@link LinearForm} simplifies it, with what is known here. */
  private Expr simplify(Expr t) {
    return LinearForm.simplify(t, this::isTangent, facts::product);
  }

  private boolean isTangent(Var v) {
    return tangentVars.contains(v);
  }

  /**
   * After {@code vDot = t}: later reads of the tangent read {@code t} itself where that costs
   * nothing ({@code -xDot}, {@code 100 * bDot}) or where it is read once, so that
   * {@link LinearForm} sees the sums it can simplify.
   */
  private void remember(Var v, Expr t) {
    if (t == null || !v.type().isFloating() || !v.type().isPrimitive()) return;
    boolean[] self = {false};
    Exprs.visitRefs(t, r -> self[0] |= r == v || r == dot(v));
    if (!self[0] && (readOnce.contains(v) || isCheap(t))) facts.setTangent(dot(v), t);
  }

  private boolean isCheap(Expr t) {
    if (t instanceof Expr.Unary && ((Expr.Unary) t).op() == Expr.UnOp.NEG) {
      t = ((Expr.Unary) t).operand();
    } else if (t instanceof Expr.Binary && ((Expr.Binary) t).op() == Expr.BinOp.MUL) {
      Expr.Binary b = (Expr.Binary) t;
      if (b.left() instanceof Expr.Const) {
        t = b.right();
      } else if (b.right() instanceof Expr.Const) {
        t = b.left();
      }
    }
    if (t instanceof Expr.ArrayLoad && lanes != null) {
      Var array = Exprs.varOf(((Expr.ArrayLoad) t).array());
      if (array == null || !t.equals(lanes.element(array))) return false;
      t = ((Expr.ArrayLoad) t).array();
    }
    Var v = Exprs.varOf(t);
    return v != null && isTangent(v);
  }

  /** {@code v}'s tangent becomes {@code t} (of the current lane, in vector mode). */
  private Stmt setDot(Var v, Expr t, int line) {
    return lanes == null ? new Stmt.Assign(dot(v), t, line) : lanes.set(dot(v), t, line);
  }

  /** Tangent statements of one primal statement: in vector mode, the current lane loop's. */
  private void tangentCode(List<Stmt> stmts, List<Stmt> out) {
    if (lanes == null) {
      out.addAll(stmts);
    } else {
      lanes.add(stmts, out);
    }
  }

  /** A primal statement (in vector mode, after the lane loop it must not move past). */
  private void primal(Stmt s, List<Stmt> out) {
    if (lanes != null) lanes.before(s, out);
    out.add(s);
  }

  /** The tangent of an atom where a value is required: zeros of its shape when inactive. */
  private Expr tanOrZero(Expr atom) {
    Expr t = tan(atom);
    return t != null ? t : TensorCode.zeroLike(derivatives, atom);
  }

  private List<Stmt> block(List<Stmt> stmts, Output output) {
    List<Stmt> out = new ArrayList<>();
    facts.clear(); // a block may run after anything (a loop body after its last iteration)
    for (Stmt s : stmts) stmt(s, out, output);
    facts.clear();
    if (lanes != null) lanes.flush(out);
    return out;
  }

  private void stmt(Stmt s, List<Stmt> out, Output output) {
    facts.before(s, tangents);
    statement(s, out, output);
    facts.after(s, tangents);
  }

  private void statement(Stmt s, List<Stmt> out, Output output) {
    int line = s.line();
    if (s instanceof Stmt.Assign) {
      assign((Stmt.Assign) s, out);
    } else if (s instanceof Stmt.Store) {
      Stmt.Store st = (Stmt.Store) s;
      primal(s, out);
      if (activity.isActive(st.array())) {
        Expr t = tan(st.value());
        Expr value = t == null ? TensorCode.zeroLike(derivatives, st.value())
            : TensorCode.filled(derivatives, t, st.value());
        if (lanes == null) {
          out.add(new Stmt.Store(dot(st.array()), st.index(), value, line));
        } else {
          tangentCode(lanes.store(dot(st.array()), st.index(), value, line), out);
        }
      }
    } else if (s instanceof Stmt.Push) {
      Stmt.Push p = (Stmt.Push) s;
      primal(s, out);
      Var tapeDot = tangentTapes.get(p.tape());
      if (tapeDot != null
          && activity.isActive(Activity.channel(p.tape(), p.slot(), p.value().type()))
          && p.value().type().isDifferentiable()) {
        Stmt push = new Stmt.Push(tapeDot, tanOrZero(p.value()), p.slot(), line);
        if (lanes == null) {
          out.add(push);
        } else {
          lanes.alone(List.of(push), out); // pushes of two values must not interleave
        }
      }
    } else if (s instanceof Stmt.If) {
      if (lanes != null) lanes.flush(out); // before the branches take over the lane loop
      Stmt.If i = (Stmt.If) s;
      primal(new Stmt.If(skipTest(i.cond()), block(i.then(), output),
          block(i.otherwise(), output), line), out);
    } else if (s instanceof Stmt.Loop) {
      if (lanes != null) lanes.flush(out);
      Stmt.Loop l = (Stmt.Loop) s;
      primal(new Stmt.Loop(block(l.head(), output), l.cond(), block(l.body(), output),
          List.of(), l.label(), line), out);
    } else if (s instanceof Stmt.Repeat) {
      if (lanes != null) lanes.flush(out);
      Stmt.Repeat r = (Stmt.Repeat) s;
      primal(new Stmt.Repeat(r.counter(), r.times(), block(r.body(), output), line), out);
    } else if (s instanceof Stmt.Return) {
      Expr v = ((Stmt.Return) s).value();
      Expr t = tan(v);
      t = t == null ? TensorCode.zeroLike(derivatives, v) : TensorCode.filled(derivatives, t, v);
      if (lanes == null) {
        out.add(new Stmt.Return(output == Output.DUAL
            ? new Expr.NewRecord(IrType.dual(f.returnType()), List.of(v, t)) : t, line));
      } else {
        // an array of tangents the caller may keep as its own: this method's array of v's
        // tangents where it made it, else a fresh one
        Var rv = Exprs.varOf(v);
        lanes.flush(out);
        Var result;
        if (rv != null && activity.isActive(rv) && t.equals(tan(v))
            && !f.wrtParams().contains(rv)) {
          result = dot(rv);
        } else {
          result = names.newVar("tangents", IrType.arrayOf(f.returnType()));
          out.add(new Stmt.Assign(result, new Expr.NewArray(result.type(),
              Expr.ref(lanes.directions)), line));
          lanes.alone(List.of(lanes.setFresh(result, t, line)), out);
        }
        out.add(new Stmt.Return(output == Output.DUAL ? new Expr.NewRecord(
            IrType.dualN(f.returnType()), List.of(v, Expr.ref(result))) : Expr.ref(result),
            line));
      }
    } else {
      primal(s, out);
      Var closed = TapeCalls.closed(s);
      if (closed != null && tangentTapes.containsKey(closed)) {
        primal(TapeCalls.close(derivatives, tangentTapes.get(closed), line), out);
      }
    }
  }

  /**
   * A test that skips a reversal while its adjoints are zero (see {@link ZeroAdjoints}) must let
   * it run while their tangents are not; vector mode, with many tangents per adjoint, lets it
   * run always. Any other condition is the primal's.
   */
  private Expr skipTest(Expr cond) {
    if (!ZeroAdjoints.hasTest(cond)) return cond;
    return lanes == null ? ZeroAdjoints.withTangents(cond, derivatives, this::tan)
        : new Expr.Const(true, IrType.BOOLEAN);
  }

  private void assign(Stmt.Assign a, List<Stmt> out) {
    Var v = a.target();
    Expr e = a.value();
    int line = a.line();
    if (ZeroAdjoints.hasTest(e)) {
      primal(new Stmt.Assign(v, skipTest(e), line), out);
      return;
    }
    if (v.type().kind() == IrType.Kind.TAPE) {
      primal(a, out);
      if (hasActiveChannel(v)) {
        Var tapeDot = names.newVar(v.name() + "Dot", IrType.TAPE);
        tangentTapes.put(v, tapeDot);
        Expr made = TapeCalls.isOpen(e) ? TapeCalls.open(derivatives)
            : new Expr.NewRecord(IrType.TAPE, List.of());
        primal(new Stmt.Assign(tapeDot, made, line), out);
      }
      return;
    }
    if (!activity.isActive(v)) {
      primal(a, out);
      facts.assigned(v, e);
      return;
    }
    if (e instanceof Expr.Call) {
      call(v, (Expr.Call) e, out, line);
      return;
    }
    primal(a, out);
    Expr t = tangent(v, e);
    // A tensor set to null (an adjoint reset to "zero") gets a null tangent: zero as well.
    Expr like = Exprs.isNull(e) ? e : Expr.ref(v);
    if (lanes != null && e instanceof Expr.Pop && t != null) {
      // a tape gives back the directions in the reverse of the order they were pushed
      lanes.alone(List.of(lanes.setReversed(dot(v), t, line)), out);
    } else {
      t = t == null ? null : simplify(Alg.as(v.type(), t));
      tangentCode(List.of(setDot(v, t == null ? TensorCode.zeroLike(derivatives, like) : t,
          line)), out);
      remember(v, t);
    }
    facts.assigned(v, e);
  }

  /**
   * The term of a rule skipped for a null tensor tangent: null (zero) for a tensor, but an
   * array (toDoubleArray's tangent) must exist, so zeros shaped like the result.
   */
  private static Expr zeroTerm(IrType type, Var result) {
    if (type.isTensor() || type.isPrimitive() || !type.equals(result.type())) {
      return Alg.zero(type);
    }
    return Alg.zeroLike(Expr.ref(result));
  }

  private boolean hasActiveChannel(Var tape) {
    if (activity.hasActiveChannel(tape)) return true;
    for (IrType.Kind k : IrType.Kind.values()) {
      if (activity.isActive(new Activity.Channel(tape, k))) return true;
    }
    return false;
  }

  /** The tangent of {@code v = e} (e is not a call); null means zero. */
  private Expr tangent(Var v, Expr e) {
    if (e instanceof Expr.Ref) return tan(e);
    if (e instanceof Expr.Const || e instanceof Expr.StaticField || e instanceof Expr.Field) {
      return null; // constants: the checker refuses fields of objects holding derivatives
    }
    if (e instanceof Expr.Unary) {
      Expr.Unary u = (Expr.Unary) e;
      return u.op() == Expr.UnOp.NEG ? Alg.neg(tan(u.operand())) : null;
    }
    if (e instanceof Expr.Binary) return binary(v, (Expr.Binary) e);
    if (e instanceof Expr.Cast) {
      Expr t = tan(((Expr.Cast) e).operand());
      return t == null ? null : Alg.as(v.type(), t);
    }
    if (e instanceof Expr.ArrayLoad) {
      Expr.ArrayLoad l = (Expr.ArrayLoad) e;
      Expr ta = tan(l.array());
      return ta == null ? null : new Expr.ArrayLoad(ta, l.index());
    }
    if (e instanceof Expr.NewArray) return new Expr.NewArray(e.type(), ((Expr.NewArray) e).length());
    if (e instanceof Expr.ArrayLiteral) {
      Expr.ArrayLiteral l = (Expr.ArrayLiteral) e;
      List<Expr> ts = new ArrayList<>();
      for (Expr x : l.elements()) {
        // a rule reading the array (cat's, stack's) expects every element's tangent
        Expr t = tan(x);
        ts.add(t == null ? TensorCode.zeroLike(derivatives, x) : TensorCode.filled(derivatives, t, x));
      }
      return new Expr.ArrayLiteral(l.type(), ts);
    }
    if (e instanceof Expr.CloneArray) {
      Expr src = ((Expr.CloneArray) e).array();
      Expr t = tan(src);
      return t == null ? null : new Expr.CloneArray(t);
    }
    if (e instanceof Expr.NewRecord) {
      Expr.NewRecord n = (Expr.NewRecord) e;
      List<Expr> args = new ArrayList<>();
      for (int i = 0; i < n.args().size(); i++) {
        Expr arg = n.args().get(i);
        boolean diff = n.type().components().get(i).type().isDifferentiable();
        args.add(diff ? tanOrZero(arg) : arg);
      }
      return new Expr.NewRecord(n.type(), args);
    }
    if (e instanceof Expr.Get) {
      Expr.Get g = (Expr.Get) e;
      Expr t = tan(g.record());
      return t == null ? null : new Expr.Get(t, g.component());
    }
    if (e instanceof Expr.Pop) {
      Expr.Pop p = (Expr.Pop) e;
      Var tapeDot = tangentTapes.get(p.tape());
      return tapeDot == null ? null : new Expr.Pop(tapeDot, p.type(), p.slot());
    }
    throw new IllegalStateException("no tangent for " + e);
  }

  private Expr binary(Var v, Expr.Binary b) {
    Expr a = b.left();
    Expr c = b.right();
    Expr ta = tan(a);
    Expr tc = tan(c);
    switch (b.op()) {
      case ADD: return Alg.add(ta, tc);
      case SUB: return Alg.sub(ta, tc);
      case MUL:
        if (a.equals(c)) return Alg.mul(Alg.mul(Alg.two(a.type()), a), ta); // d(a a) = 2 a da
        return Alg.add(Alg.mul(ta, c), Alg.mul(a, tc));
      case DIV:
        // (ta - out * tc) / c
        if (tc == null) return Alg.div(ta, c);
        return Alg.div(Alg.sub(ta, Alg.mul(Expr.ref(v), tc)), c);
      case REM:
        // a % c = a - c * trunc(a / c), and trunc(a / c) = (a - out) / c
        if (tc == null) return ta;
        return Alg.sub(ta, Alg.mul(tc, Alg.div(Alg.sub(a, Expr.ref(v)), c)));
      default:
        return null;
    }
  }

  private void call(Var v, Expr.Call call, List<Stmt> out, int line) {
    MethodRef m = call.method();
    Target target = m.target();
    if (target instanceof Target.Rules) {
      primal(new Stmt.Assign(v, call, line), out);
      List<Stmt> code = new ArrayList<>();
      Target.Rules rules = (Target.Rules) target;
      Expr sum = null;
      for (int i = 0; i < call.args().size(); i++) {
        Expr t = tan(call.args().get(i));
        if (t == null) continue;
        MethodRef rule = rules.jvp().get(i);
        if (rule == null) {
          throw new DiffException(call.site(), dev.adjoint.processor.check.Message.NO_JVP_RULE,
              m.display(), m.parameterAt(i));
        }
        TensorCode.Shortcut known = TensorCode.shortcut(rule);
        if (known == TensorCode.Shortcut.ZERO) continue;
        if (known == TensorCode.Shortcut.PASS) {
          sum = TensorCode.plus(derivatives, sum, t);
          continue;
        }
        List<Expr> args = new ArrayList<>(call.args());
        args.add(Expr.ref(v));
        args.add(t);
        Expr term = new Expr.Call(rule, args);
        if (t.type().isTensor()) {
          // a tensor tangent may be null at run time (zero: an adjoint nothing flowed into)
          Var r = names.newVar(v.name() + "Term", rule.returnType());
          code.add(new Stmt.If(new Expr.Binary(Expr.BinOp.NE, t, new Expr.Const(null, t.type()),
              IrType.BOOLEAN), List.of(new Stmt.Assign(r, term, line)),
              List.of(new Stmt.Assign(r, zeroTerm(rule.returnType(), v), line)), line));
          term = Expr.ref(r);
        }
        sum = TensorCode.plus(derivatives, sum, term);
      }
      code.add(setDot(v, sum == null ? TensorCode.zeroLike(derivatives,
          Expr.ref(v)) : Alg.as(v.type(), sum), line));
      tangentCode(code, out);
      return;
    }
    if (target instanceof Target.Opaque) {
      throw new DiffException(call.site(), dev.adjoint.processor.check.Message.NO_DERIVATIVE,
          m.display(), f.name());
    }
    if (lanes != null) {
      Callee jvpN = derivatives.jvpN(m);
      if (jvpN != null) {
        vectorCall(v, call, jvpN, out, line);
        return;
      }
    }
    Callee jvp = derivatives.jvp(m);
    Callee.requireDifferentiated(call, jvp.wrt(), a -> tan(a) != null);
    Var dual = names.newVar(v.name() + "Jvp", jvp.method().returnType());
    if (lanes != null) {
      // no vector JVP (a jar's method): one JVP per direction, after the value
      primal(new Stmt.Assign(v, call, line), out);
      List<Expr> args = new ArrayList<>(call.args());
      for (int pos : jvp.wrt()) args.add(tanOrZero(call.args().get(pos)));
      tangentCode(List.of(new Stmt.Assign(dual, new Expr.Call(jvp.method(), args), line),
          setDot(v, new Expr.Get(Expr.ref(dual), "tangent"), line)), out);
      return;
    }
    List<Expr> args = new ArrayList<>(call.args());
    for (int pos : jvp.wrt()) args.add(tanOrZero(call.args().get(pos)));
    out.add(new Stmt.Assign(dual, new Expr.Call(jvp.method(), args), line));
    out.add(new Stmt.Assign(v, new Expr.Get(Expr.ref(dual), "value"), line));
    out.add(new Stmt.Assign(dot(v), new Expr.Get(Expr.ref(dual), "tangent"), line));
  }

  /** A call to a method whose vector JVP takes the arrays of tangents whole. */
  private void vectorCall(Var v, Expr.Call call, Callee jvpN, List<Stmt> out, int line) {
    Callee.requireDifferentiated(call, jvpN.wrt(), a -> tan(a) != null);
    lanes.flush(out);
    List<Expr> args = new ArrayList<>(call.args());
    for (int pos : jvpN.wrt()) {
      Expr arg = call.args().get(pos);
      Var av = Exprs.varOf(arg);
      if (av != null && activity.isActive(av)) {
        args.add(Expr.ref(dot(av)));
      } else {
        args.add(Expr.ref(lanes.zeros(arg, TensorCode.zeroLike(derivatives, arg), out, line)));
      }
    }
    Var dual = names.newVar(v.name() + "Jvp", jvpN.method().returnType());
    out.add(new Stmt.Assign(dual, new Expr.Call(jvpN.method(), args), line));
    out.add(new Stmt.Assign(v, new Expr.Get(Expr.ref(dual), "value"), line));
    out.add(new Stmt.Assign(dot(v), new Expr.Get(Expr.ref(dual), "tangents"), line));
  }
}
