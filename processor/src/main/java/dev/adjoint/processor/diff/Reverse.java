package dev.adjoint.processor.diff;

import com.palantir.javapoet.ClassName;
import dev.adjoint.processor.check.Activity;
import dev.adjoint.processor.check.Message;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Reverse mode: a forward sweep (the original code, recording on a tape only what the reverse
 * sweep will need and cannot recompute: branch choices, trip counts, values that are
 * overwritten but read by a derivative), then a reverse sweep that walks the statements
 * backwards, accumulating adjoints ({@code xBar}) and restoring overwritten values. Straight-line
 * code records nothing.
 *
 * <p>Records are handled component by component: every record variable's adjoint is one
 * variable per differentiable leaf component.
 */
public final class Reverse {
  /** What the generated method returns. */
  public enum Output {
    /** The gradient, given a cotangent parameter. */
    VJP,
    /** {@code ValueAndGrad<R, G>}, with cotangent one. */
    VALUE_AND_GRAD
  }

  private final Function f;
  private final Activity activity;
  private final Derivatives derivatives;
  private final Names names;
  private final ReverseAnalysis analysis;
  private final Reachability reachability;
  private final Map<Var, Var> bars = new HashMap<>();
  private final Map<String, Var> leafBars = new HashMap<>();
  /**
   * Flags: something flowed into the adjoint of a number since its definition was reversed. In
   * order of creation, so that every build declares them in the same order.
   */
  private final Map<Var, Var> reachedFlags = new java.util.LinkedHashMap<>();
  private Var tape;
  private int loopDepth;
  /**
   * Statements outside any loop run at most once per call, so what their reversal needs stays
   * in a local, not on the tape: a branch's decision, a loop's trip count, the value an
   * assignment overwrites (straight-line code with a branch then opens no tape).
   */
  private final Map<Stmt, Var> decisions = new java.util.IdentityHashMap<>();

  private Reverse(Function f, Derivatives derivatives, boolean keepResiduals) {
    this.f = f;
    this.activity = Activity.of(f, f.wrtParams());
    this.derivatives = derivatives;
    this.names = new Names(f.names());
    if (keepResiduals) findResidualCalls(f.body());
    this.analysis = new ReverseAnalysis(f, activity, residualCalls::containsKey);
    this.reachability = new Reachability(f.body(), activity);
  }

  /** Calls whose reverse mode keeps the callee's residuals (see {@link Residuals}). */
  private final Map<Stmt, Residuals> residualCalls = new java.util.IdentityHashMap<>();

  private void findResidualCalls(List<Stmt> body) {
    dev.adjoint.processor.ir.Stmts.forEachDeep(body, s -> {
      if (!(s instanceof Stmt.Assign) || !(((Stmt.Assign) s).value() instanceof Expr.Call)
          || !activity.isActive(((Stmt.Assign) s).target())) {
        return;
      }
      MethodRef m = ((Expr.Call) ((Stmt.Assign) s).value()).method();
      if (m.target() instanceof Target.Rules || m.target() instanceof Target.Opaque) return;
      Residuals r = derivatives.residuals(m);
      if (r != null) residualCalls.put(s, r);
    });
  }

  /**
   * The VJP of {@code f}. {@code gradType} is the type returned (the single wrt parameter's
   * type, or a record with one component per wrt parameter).
   */
  public static Function vjp(Function f, String name, ClassName owner, Output output,
      IrType gradType, Derivatives derivatives) {
    return vjp(f, name, owner, output, gradType, derivatives, false);
  }

  /**
   * As above; with {@code keepResiduals}, calls to other differentiated methods keep their
   * residuals for the reverse sweep instead of running the callee again there. The result is
   * then fast but not differentiable again (its calls to the split methods have no derivatives
   * of their own): derivatives of it are taken of the version without.
   */
  public static Function vjp(Function f, String name, ClassName owner, Output output,
      IrType gradType, Derivatives derivatives, boolean keepResiduals) {
    return new Reverse(f, derivatives, keepResiduals).build(name, owner, output, gradType);
  }

  /** A VJP cut at the start of its reverse sweep (see {@link Residuals}). */
  public record Split(Function forward, Function backward, List<IrType.Component> kept,
      List<String> descriptions) {}

  /**
   * {@code f}'s VJP split into {@code forward} (the forward sweep on the caller's tape, which it
   * leaves holding what the reverse sweep reads, returning the value) and {@code backward} (the
   * reverse sweep: it pops those, then takes the cotangent). The residuals are the variables
   * live at the start of the reverse sweep.
   */
  public static Split split(Function f, String forwardName, String backwardName,
      ClassName owner, IrType gradType, Derivatives derivatives) {
    Reverse r = new Reverse(f, derivatives, true);
    r.callerTape = true;
    Var tape = r.tape().var();
    Function vjp = r.build(backwardName, owner, Output.VJP, gradType);
    List<Stmt> body = vjp.body();
    int cut = 0;
    while (!(body.get(cut) instanceof Stmt.Comment
        && ((Stmt.Comment) body.get(cut)).text().equals("reverse sweep"))) {
      cut++;
    }
    List<Stmt> forwardPart = new ArrayList<>(body.subList(0, cut));
    List<Stmt> reversePart = new ArrayList<>(body.subList(cut, body.size()));
    Var cotangent = vjp.params().get(vjp.params().size() - 1);
    // The adjoint arrays of array parameters are the caller's, passed to the backward: not
    // allocated here, not kept. Where the forward sweep aliases one (a for-each loop over the
    // parameter does), it keeps its own, and the backward adds that into the caller's at the end.
    List<Var> inPlace = new ArrayList<>();
    List<Stmt> addBack = new ArrayList<>();
    int last = body.get(body.size() - 1).line();
    List<IrType> paramTypes = f.params().stream().map(Var::type).toList();
    for (int j : Residuals.inPlace(paramTypes, f.wrt())) {
      Var p = f.params().get(f.wrt().get(j));
      Var b = r.bar(p);
      List<Stmt> rest = new ArrayList<>(forwardPart);
      rest.removeIf(s -> s instanceof Stmt.Assign && ((Stmt.Assign) s).target().equals(b));
      boolean[] aliased = {false};
      dev.adjoint.processor.ir.Stmts.forEachDeep(rest,
          s -> aliased[0] |= dev.adjoint.processor.ir.Stmts.mentioned(s).contains(b));
      if (aliased[0]) {
        Var into = r.names.newVar(p.name() + "BarInto", b.type());
        inPlace.add(into);
        r.accumulateArray(into, Expr.ref(b), addBack, last);
      } else {
        forwardPart = rest;
        inPlace.add(b);
      }
    }
    reversePart.addAll(reversePart.size() - 1, addBack);
    List<Var> kept = new ArrayList<>(dev.adjoint.processor.ir.DeadCode.liveBefore(reversePart));
    kept.remove(cotangent);
    kept.remove(tape);
    // a value the forward sweep never sets (an adjoint summed from zero) is not kept
    Set<Var> set = new HashSet<>(f.params());
    dev.adjoint.processor.ir.Stmts.forEachDeep(forwardPart, s -> {
      Var w = dev.adjoint.processor.ir.Stmts.written(s);
      if (w != null) set.add(w);
    });
    kept.retainAll(set);
    kept.sort(java.util.Comparator.comparing(Var::name));
    List<IrType.Component> comps = new ArrayList<>();
    List<String> descriptions = new ArrayList<>();
    int line = body.get(body.size() - 1).line();
    // pushed last, popped first: the callee's own pushes lie below them
    for (Var v : kept) {
      descriptions.add(r.describe(v));
      comps.add(new IrType.Component(v.name(), v.type()));
      forwardPart.add(new Stmt.Push(tape, Expr.ref(v), line));
      r.report.kept(r.describe(v) + ", for " + backwardName, v.type(), line);
    }
    forwardPart.addAll(0, r.report.comments(f.sourceFile(), f.body().get(0).line()));
    forwardPart.add(new Stmt.Return(r.primalValue, line));
    List<Var> forwardParams = new ArrayList<>(f.params());
    forwardParams.add(tape);
    Function forward = new Function(owner, forwardName, forwardParams, f.returnType(), f.wrt(),
        forwardPart, vjp.names(), f.sourceFile(), false, true);
    List<Stmt> pops = new ArrayList<>();
    for (int i = kept.size() - 1; i >= 0; i--) {
      Var v = kept.get(i);
      pops.add(new Stmt.Assign(v, new Expr.Pop(tape, v.type()), line));
    }
    reversePart.addAll(1, pops); // after the "reverse sweep" heading
    List<Var> params = new ArrayList<>();
    params.add(tape);
    params.addAll(inPlace);
    params.add(cotangent);
    List<Integer> wrt = new ArrayList<>();
    for (int i = 1; i < params.size(); i++) wrt.add(i);
    Function backward = new Function(owner, backwardName, params, vjp.returnType(), wrt,
        reversePart, vjp.names(), f.sourceFile(), false, true);
    return new Split(forward, backward, comps, descriptions);
  }

  /**
   * Whether the tape is the caller's, a parameter (a split forward and backward); else the
   * method runs both sweeps and borrows its tape with {@code Tape.open()}, giving it back with
   * {@code close()}.
   */
  private boolean callerTape;

  /** The primal's result, as the forward sweep computes it. */
  private Expr primalValue;

  private Function build(String name, ClassName owner, Output output, IrType gradType) {
    List<Var> params = new ArrayList<>(f.params());
    List<Integer> wrt = new ArrayList<>(f.wrt());
    Expr cot;
    if (output == Output.VJP) {
      Var c = names.newVar("cotangent", f.returnType());
      wrt.add(params.size());
      params.add(c);
      cot = Expr.ref(c);
    } else {
      cot = Expr.Const.one(f.returnType());
    }
    List<Stmt> body = f.body();
    Stmt.Return ret = (Stmt.Return) body.get(body.size() - 1);
    List<Stmt> primal = body.subList(0, body.size() - 1);

    List<Stmt> out = new ArrayList<>();
    int firstLine = body.get(0).line();
    for (Var p : f.wrtParams()) allocateBars(p, Expr.ref(p), out, firstLine);
    out.addAll(forwardBlock(primal));
    Expr value = ret.value();
    primalValue = value;
    if (output == Output.VALUE_AND_GRAD && Exprs.varOf(value) != null) {
      Var v = names.newVar("value", f.returnType());
      out.add(new Stmt.Assign(v, value, ret.line()));
      value = Expr.ref(v);
    }
    out.add(new Stmt.Comment("reverse sweep", 0)); // a heading: the statements name their lines
    makeFlags(primal);
    for (Var flag : reachedFlags.values()) out.add(new Stmt.Assign(flag, FALSE, ret.line()));
    accumulate(ret.value(), f.returnType().isTensor()
        ? TensorCode.seed(derivatives, cot, ret.value()) : cot, out, ret.line());
    out.addAll(reverseBlock(primal));

    List<Expr> grads = new ArrayList<>();
    for (Var p : f.wrtParams()) grads.add(gradient(p));
    Expr grad = grads.size() == 1 && !gradType.isRecord() || grads.size() == 1
        && gradType.equals(f.wrtParams().get(0).type()) ? grads.get(0)
        : new Expr.NewRecord(gradType, grads);
    int lastLine = ret.line();
    if (tape != null && !callerTape) out.add(TapeCalls.close(derivatives, tape, lastLine));
    if (output == Output.VJP) {
      out.add(new Stmt.Return(grad, lastLine));
    } else {
      out.add(new Stmt.Return(new Expr.NewRecord(IrType.valueAndGrad(f.returnType(), gradType),
          List.of(value, grad)), lastLine));
    }
    if (tape != null && !callerTape) {
      out.add(0, new Stmt.Assign(tape, TapeCalls.open(derivatives), firstLine));
    }
    for (Stmt.Assign d : analysis.recomputation().definitions()) {
      report.recomputed(describe(d.target()), d.target().type(), d.line());
    }
    if (!callerTape) out.addAll(0, report.comments(f.sourceFile(), firstLine)); // see split
    IrType returnType = output == Output.VJP ? gradType
        : IrType.valueAndGrad(f.returnType(), gradType);
    return new Function(owner, name, params, returnType, wrt, out, names, f.sourceFile(), false,
        tape != null || replaysLoops(out));
  }

  /** Whether a body runs a loop backwards (a {@link Stmt.Repeat}), which cannot be reversed. */
  private static boolean replaysLoops(List<Stmt> body) {
    boolean[] found = {false};
    dev.adjoint.processor.ir.Stmts.forEachDeep(body, s -> found[0] |= s instanceof Stmt.Repeat);
    return found[0];
  }

  // ---------------------------------------------------------------- adjoint variables

  private Var bar(Var v) {
    return bars.computeIfAbsent(v, k -> new Var(names.fresh(k.name() + "Bar"), k.type(),
        k.isSynthetic()));
  }

  /** The adjoint of one leaf component (path "a.b") of a record variable. */
  private Var leafBar(Var record, String path, IrType type) {
    return leafBars.computeIfAbsent(System.identityHashCode(record) + "#" + record.name() + "."
        + path, k -> names.newVar(record.name() + "_" + path.replace('.', '_') + "Bar", type));
  }

  private Tape tape() {
    if (tape == null) tape = names.newVar("tape", IrType.TAPE);
    return new Tape(tape);
  }

  private record Tape(Var var) {}

  private static Expr getPath(Expr record, String path) {
    Expr e = record;
    for (String c : path.split("\\.")) e = new Expr.Get(e, c);
    return e;
  }

  /** Differentiable leaves of a record type: path and type. */
  static List<Map.Entry<String, IrType>> leaves(IrType record) {
    List<Map.Entry<String, IrType>> out = new ArrayList<>();
    for (IrType.Component c : record.components()) {
      if (c.type().isRecord()) {
        for (Map.Entry<String, IrType> l : leaves(c.type())) {
          out.add(Map.entry(c.name() + "." + l.getKey(), l.getValue()));
        }
      } else if (c.type().isDifferentiable()) {
        out.add(Map.entry(c.name(), c.type()));
      }
    }
    return out;
  }

  /** Allocates the adjoint arrays of an array or record variable just defined as {@code value}. */
  private void allocateBars(Var v, Expr value, List<Stmt> out, int line) {
    if (v.type().isArray()) {
      out.add(new Stmt.Assign(bar(v), Alg.zeroLike(value), line));
    } else if (v.type().isRecord()) {
      for (Map.Entry<String, IrType> l : leaves(v.type())) {
        if (l.getValue().isArray()) {
          out.add(new Stmt.Assign(leafBar(v, l.getKey(), l.getValue()),
              Alg.zeroLike(getPath(value, l.getKey())), line));
        }
      }
    }
  }

  /** The gradient of a wrt parameter, after the reverse sweep. */
  private Expr gradient(Var p) {
    return adjointOf(p);
  }

  private Expr recordOfBars(Var v, String prefix, IrType type, Expr primal) {
    List<Expr> args = new ArrayList<>();
    for (IrType.Component c : type.components()) {
      String path = prefix.isEmpty() ? c.name() : prefix + "." + c.name();
      Expr get = new Expr.Get(primal, c.name());
      if (c.type().isRecord()) {
        args.add(recordOfBars(v, path, c.type(), get));
      } else if (c.type().isTensor()) {
        args.add(TensorCode.orZeros(derivatives, Expr.ref(leafBar(v, path, c.type())), get));
      } else if (c.type().isDifferentiable()) {
        args.add(Expr.ref(leafBar(v, path, c.type())));
      } else {
        args.add(get);
      }
    }
    return new Expr.NewRecord(type, args);
  }

  // ---------------------------------------------------------------- accumulation

  /** {@code adjoint(target) += g}, for scalars, arrays and records. */
  private void accumulate(Expr target, Expr g, List<Stmt> out, int line) {
    Var v = Exprs.varOf(target);
    if (v == null || g == null || !activity.isActive(v)) return;
    accumulateInto(v, "", v.type(), g, out, line);
  }

  private void accumulateInto(Var v, String path, IrType type, Expr g, List<Stmt> out, int line) {
    if (type.isRecord()) {
      if (!(g instanceof Expr.Ref)) {
        Var t = names.newVar("g", g.type());
        out.add(new Stmt.Assign(t, g, line));
        g = Expr.ref(t);
      }
      for (IrType.Component c : type.components()) {
        if (!c.type().isDifferentiable()) continue;
        String p = path.isEmpty() ? c.name() : path + "." + c.name();
        accumulateInto(v, p, c.type(), new Expr.Get(g, c.name()), out, line);
      }
      return;
    }
    Var b = path.isEmpty() ? bar(v) : leafBar(v, path, type);
    if (type.isArray()) {
      accumulateArray(b, g, out, line);
    } else if (path.isEmpty() && analysis.hasSingleContribution(v)) {
      out.add(new Stmt.Assign(b, Alg.as(type, g), line)); // its only contribution: no sum
      assignedOnce.add(b);
    } else {
      out.add(new Stmt.Assign(b, TensorCode.plus(derivatives, Expr.ref(b), g), line));
    }
    if (path.isEmpty() && type.isFloating()) markReached(v, out, line);
  }

  /**
   * Sets the flag of {@code v}, if it has one (see {@link #reachedTest}): true from a reached
   * statement, else the flag of the statement's own target.
   */
  private void markReached(Var v, List<Stmt> out, int line) {
    Var flag = reachedFlags.get(v);
    if (flag == null) return;
    Expr value = reachedFrom == TRUE ? TRUE
        : new Expr.Binary(Expr.BinOp.OR, Expr.ref(flag), reachedFrom, IrType.BOOLEAN);
    out.add(new Stmt.Assign(flag, value, line));
  }

  /** What the reversal of {@code a} passes on as "reached" to the values it reads. */
  private Expr reachedExprOf(Stmt.Assign a) {
    Var flag = reachedFlags.get(a.target());
    return flag == null || reachability.isReached(a) ? TRUE : Expr.ref(flag);
  }

  /**
   * Makes the flags before the sweep (the uses of a value, which set its flag, are reversed
   * before its definition, which tests it): numbers whose definition may have infinite
   * partials and is not proven reached, and, so that they learn whether they were, the values
   * of unproven statements that read them.
   */
  private void makeFlags(List<Stmt> body) {
    java.util.Deque<Var> work = new java.util.ArrayDeque<>();
    dev.adjoint.processor.ir.Stmts.forEachDeep(body, s -> {
      if (s instanceof Stmt.Assign && activity.isActive(((Stmt.Assign) s).target())
          && ((Stmt.Assign) s).target().type().isFloating() && mayBeInfinite((Stmt.Assign) s)
          && !reachability.isReached((Stmt.Assign) s)) {
        work.add(((Stmt.Assign) s).target());
      }
    });
    while (!work.isEmpty()) {
      Var v = work.poll();
      if (reachedFlags.containsKey(v)) continue;
      reachedFlags.put(v, names.newVar(v.name() + "Reached", IrType.BOOLEAN));
      for (Stmt.Assign reader : Reachability.readers(body, v, activity)) {
        if (!reachability.isReached(reader) && reader.target().type().isFloating()) {
          work.add(reader.target());
        }
      }
    }
  }

  /** A division, a function with a rule, a call: partials that may be infinite. */
  private static boolean mayBeInfinite(Stmt.Assign a) {
    Expr e = a.value();
    return e instanceof Expr.Call || e instanceof Expr.Binary
        && (((Expr.Binary) e).op() == Expr.BinOp.DIV || ((Expr.Binary) e).op() == Expr.BinOp.REM);
  }

  /** {@code into[k] += from[k]} for every k, as a loop (forward mode can differentiate it). */
  private void accumulateArray(Var into, Expr from, List<Stmt> out, int line) {
    if (!(from instanceof Expr.Ref)) {
      Var t = names.newVar("g", from.type());
      out.add(new Stmt.Assign(t, from, line));
      from = Expr.ref(t);
    }
    Var k = names.newVar("k", IrType.INT);
    Expr sum = TensorCode.plus(derivatives, new Expr.ArrayLoad(Expr.ref(into), Expr.ref(k)),
        new Expr.ArrayLoad(from, Expr.ref(k)));
    out.add(new Stmt.Repeat(k, new Expr.ArrayLength(Expr.ref(into)),
        List.of(new Stmt.Store(into, Expr.ref(k), sum, line)), line));
  }

  // ---------------------------------------------------------------- forward sweep

  private List<Stmt> forwardBlock(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) forwardStmt(s, out);
    return out;
  }

  private void forwardStmt(Stmt s, List<Stmt> out) {
    int line = s.line();
    if (s instanceof Stmt.Assign) {
      Stmt.Assign a = (Stmt.Assign) s;
      Var v = a.target();
      boolean active = activity.isActive(v);
      if (analysis.isSaved(v) && analysis.inverse(a) == null && !analysis.isFirstDefinition(a)
          && !analysis.isCounterInit(a) && !savedAroundLoop(v)) {
        if (loopDepth == 0) {
          Var before = names.newVar(v.name() + "Before", v.type());
          decisions.put(s, before);
          out.add(new Stmt.Assign(before, Expr.ref(v), line));
        } else {
          out.add(new Stmt.Push(tape().var(), Expr.ref(v), v, line));
          report.kept(describe(v) + " before it is overwritten", v.type(), line);
        }
      }
      for (Var b : recordedBars(a)) {
        out.add(new Stmt.Push(tape().var(), Expr.ref(b), b, line));
        report.kept("the adjoint array of " + describe(v), b.type(), line);
      }
      Residuals r = residualCalls.get(a);
      if (r != null) {
        // the callee runs once, leaving what its reverse sweep needs on this tape
        Expr.Call call = (Expr.Call) a.value();
        List<Expr> args = new ArrayList<>(call.args());
        args.add(Expr.ref(tape().var()));
        Var mark = reachability.isReached(a) ? null : names.newVar("mark", IrType.INT);
        if (mark != null) out.add(TapeCalls.mark(derivatives, tape().var(), mark, line));
        out.add(new Stmt.Assign(v, new Expr.Call(r.forward(), args), line));
        // the marks the callee left open go above its residuals, for its backward (or a
        // rewind past them) to find
        if (mark != null) out.add(TapeCalls.endCall(derivatives, tape().var(), mark, line));
        String callee = call.method().display();
        for (int i = 0; i < r.kept().size(); i++) {
          String what = i < r.descriptions().size() ? r.descriptions().get(i)
              : "'" + r.kept().get(i).name() + "'";
          report.kept("residual " + what + " of the call to " + callee, r.kept().get(i).type(),
              line);
        }
        if (r.kept().isEmpty()) {
          report.kept("the residuals of the call to " + callee, IrType.TAPE, line);
        }
      } else {
        out.add(a);
      }
      if (active) defineBars(v, a.value(), out, line);
    } else if (s instanceof Stmt.Store) {
      Stmt.Store st = (Stmt.Store) s;
      if (analysis.savesElements(st.array())) {
        out.add(new Stmt.Push(tape().var(), new Expr.ArrayLoad(Expr.ref(st.array()), st.index()),
            st.array(), line));
        report.kept("the element of " + describe(st.array()) + " it overwrites",
            st.array().type().element(), line);
      }
      out.add(s);
    } else if (s instanceof Stmt.If) {
      Stmt.If i = (Stmt.If) s;
      List<Stmt> then = forwardBlock(i.then());
      List<Stmt> otherwise = forwardBlock(i.otherwise());
      if (analysis.needsReverse(s) && loopDepth == 0) {
        // Runs at most once: a local remembers the branch, no tape needed.
        Var taken = names.newVar("taken", IrType.BOOLEAN);
        decisions.put(s, taken);
        then.add(new Stmt.Assign(taken, new Expr.Const(true, IrType.BOOLEAN), line));
        otherwise.add(new Stmt.Assign(taken, new Expr.Const(false, IrType.BOOLEAN), line));
      } else if (analysis.needsReverse(s)) {
        // Recorded last, so that the reverse sweep pops it before what the branch recorded.
        then.add(new Stmt.Push(tape().var(), new Expr.Const(true, IrType.BOOLEAN), line));
        otherwise.add(new Stmt.Push(tape().var(), new Expr.Const(false, IrType.BOOLEAN), line));
        report.kept("the branch taken", IrType.BOOLEAN, line);
      }
      out.add(new Stmt.If(i.cond(), then, otherwise, line));
    } else if (s instanceof Stmt.Loop) {
      Stmt.Loop l = (Stmt.Loop) s;
      if (!analysis.needsReverse(s)) {
        out.add(s);
        return;
      }
      SelectionLoops.Selection selection = selection(l);
      if (selection != null) {
        forwardSelection(l, selection, out, line);
        return;
      }
      for (Var v : analysis.savedAround(s)) {
        if (analysis.constantBefore(s, v) != null) {
          report.recomputed(describe(v) + " before the loop, a constant", v.type(), line);
        } else if (loopDepth == 0) {
          Var before = names.newVar(v.name() + "Before", v.type());
          savedBefore.computeIfAbsent(s, k -> new HashMap<>()).put(v, before);
          out.add(new Stmt.Assign(before, Expr.ref(v), line));
          report.kept(describe(v) + " before the loop", v.type(), line);
        } else {
          out.add(new Stmt.Push(tape().var(), Expr.ref(v), v, line));
          report.kept(describe(v) + " before the loop", v.type(), line);
        }
      }
      openLoops.push(s);
      CountedLoops.Counted counted = analysis.counted(s);
      Var n = counted != null ? null : names.newVar("trips", IrType.INT);
      if (n != null) out.add(new Stmt.Assign(n, new Expr.Const(0, IrType.INT), line));
      loopDepth++;
      report.enterLoop(line);
      List<Stmt> body = forwardBlock(l.body());
      if (n != null) {
        body.add(new Stmt.Assign(n, new Expr.Binary(Expr.BinOp.ADD, Expr.ref(n),
            new Expr.Const(1, IrType.INT), IrType.INT), line));
      }
      List<Stmt> head = forwardBlock(l.head());
      loopDepth--;
      report.leaveLoop();
      openLoops.pop();
      out.add(new Stmt.Loop(head, l.cond(), body, List.of(), l.label(), line));
      if (counted != null) {
        report.recomputed("the trip count of the loop and its counter '"
            + counted.counter().name() + "', from the loop's bounds", IrType.INT, line);
      } else if (loopDepth == 0) {
        decisions.put(s, n); // runs at most once: the count stays in its local
      } else {
        out.add(new Stmt.Push(tape().var(), Expr.ref(n), line));
        report.kept("the trip count of the loop", IrType.INT, line);
      }
    } else if (s instanceof Stmt.Repeat || s instanceof Stmt.Push) {
      throw new DiffException(null, Message.REVERSE_THROUGH_TAPE, f.name(),
          Message.reverseAdvice(f.name()));
    } else {
      out.add(s);
    }
  }

  /**
   * The adjoint arrays that {@code a} replaces (an array's, or a record's array components'):
   * when the variable is defined again (in a loop, say), the adjoint arrays of its earlier value
   * are recorded, so that the reverse sweep accumulates into the right one.
   */
  private List<Var> recordedBars(Stmt.Assign a) {
    Var v = a.target();
    if (!activity.isActive(v) || !analysis.isOverwritten(v) || analysis.isFirstDefinition(a)) {
      return List.of();
    }
    if (v.type().isArray()) return List.of(bar(v));
    List<Var> out = new ArrayList<>();
    if (v.type().isRecord()) {
      for (Map.Entry<String, IrType> l : leaves(v.type())) {
        if (l.getValue().isArray()) out.add(leafBar(v, l.getKey(), l.getValue()));
      }
    }
    return out;
  }

  /** Adjoint arrays of an array or record variable, at its definition. */
  private void defineBars(Var v, Expr e, List<Stmt> out, int line) {
    // A copy or a component of another variable (r, r.l(), r.l().w()) shares its adjoint arrays.
    Path source = pathOf(e);
    if (v.type().isArray()) {
      Expr bar = source == null ? Alg.zeroLike(Exprs.isNull(e) ? e : Expr.ref(v))
          : Expr.ref(source.bar(this, "", v.type()));
      out.add(new Stmt.Assign(bar(v), bar, line));
    } else if (v.type().isRecord()) {
      for (Map.Entry<String, IrType> l : leaves(v.type())) {
        if (!l.getValue().isArray()) continue;
        Var b = leafBar(v, l.getKey(), l.getValue());
        Expr value = source == null ? Alg.zeroLike(getPath(Expr.ref(v), l.getKey()))
            : Expr.ref(source.bar(this, l.getKey(), l.getValue()));
        out.add(new Stmt.Assign(b, value, line));
      }
    }
  }

  /** A variable seen through a chain of component accessors: {@code r.l().w()} is (r, "l.w"). */
  private record Path(Var root, String components) {
    /** The adjoint of the leaf at {@code below} under this path. */
    Var bar(Reverse r, String below, IrType type) {
      String p = components.isEmpty() ? below
          : below.isEmpty() ? components : components + "." + below;
      return p.isEmpty() ? r.bar(root) : r.leafBar(root, p, type);
    }
  }

  /** The path of {@code e} when it is a variable or a chain of accessors on one, else null. */
  private static Path pathOf(Expr e) {
    if (e instanceof Expr.Ref) return new Path(((Expr.Ref) e).var(), "");
    if (e instanceof Expr.Get) {
      Path inner = pathOf(((Expr.Get) e).record());
      if (inner == null) return null;
      String c = ((Expr.Get) e).component();
      return new Path(inner.root(), inner.components().isEmpty() ? c
          : inner.components() + "." + c);
    }
    return null;
  }

  // ---------------------------------------------------------------- reverse sweep

  private List<Stmt> reverseBlock(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    List<Stmt> reversed = new ArrayList<>(stmts);
    Collections.reverse(reversed);
    Set<Var> recomputed = new HashSet<>();
    for (Stmt s : reversed) {
      for (Stmt.Assign a : analysis.recomputation().before(s)) {
        if (recomputed.add(a.target())) out.add(a);
      }
      reverseStmt(s, out);
    }
    return out;
  }

  private void reverseStmt(Stmt s, List<Stmt> out) {
    int line = s.line();
    if (s instanceof Stmt.Assign) {
      Stmt.Assign a = (Stmt.Assign) s;
      Var v = a.target();
      currentStatement = a;
      if (activity.isActive(v)) {
        List<Stmt> terms = new ArrayList<>();
        reachedFrom = reachedExprOf(a);
        assignedOnce.clear();
        propagate(v, a.value(), terms, line);
        reachedFrom = TRUE;
        Expr reached = reachedTest(a);
        // a split call marked the tape before its residuals: the backward popped them, or
        // they are dropped unread where no adjoint reached the call
        boolean marked = residualCalls.containsKey(a) && !reachability.isReached(a);
        if (marked) {
          terms.add(0, TapeCalls.reopen(derivatives, tape().var(), line));
          terms.add(TapeCalls.dropMark(derivatives, tape().var(), line));
        }
        if (reached != null && !terms.isEmpty()) {
          // An adjoint assigned (not summed) by the skipped terms is zero, not a stale value.
          List<Stmt> none = new ArrayList<>();
          for (Var b : assignedOnce) none.add(new Stmt.Assign(b, Alg.zero(b.type()), line));
          if (marked) none.add(TapeCalls.rewind(derivatives, tape().var(), line));
          out.add(new Stmt.If(reached, terms, none, line));
        } else {
          out.addAll(terms);
        }
        if (analysis.isOverwritten(v) && !analysis.hasSingleContribution(v)) {
          resetBar(v, out, line);
        }
        Var flag = reachedFlags.get(v);
        if (flag != null && analysis.isOverwritten(v)) out.add(new Stmt.Assign(flag, FALSE, line));
      }
      List<Var> bars = recordedBars(a);
      for (int i = bars.size() - 1; i >= 0; i--) {
        out.add(new Stmt.Assign(bars.get(i), new Expr.Pop(tape().var(), bars.get(i).type(),
            bars.get(i)),
            line));
      }
      Expr inverse = analysis.inverse(a);
      if (analysis.isFirstDefinition(a) || analysis.isCounterInit(a)) {
        // nothing before it reads the value it overwrote
      } else if (analysis.isSaved(v) && inverse != null) {
        out.add(new Stmt.Assign(v, inverse, line));
      } else if (analysis.isSaved(v) && !savedAroundLoop(v)) {
        Var before = decisions.get(s);
        out.add(new Stmt.Assign(v, before != null ? Expr.ref(before)
            : new Expr.Pop(tape().var(), v.type(), v), line));
      }
    } else if (s instanceof Stmt.Store) {
      Stmt.Store st = (Stmt.Store) s;
      Var arr = st.array();
      if (activity.isActive(arr)) {
        Expr slot = new Expr.ArrayLoad(Expr.ref(bar(arr)), st.index());
        accumulate(st.value(), slot, out, line);
        out.add(new Stmt.Store(bar(arr), st.index(), Alg.zero(arr.type().element()), line));
      }
      if (analysis.savesElements(arr)) {
        out.add(new Stmt.Store(arr, st.index(), new Expr.Pop(tape().var(), arr.type().element(),
            arr),
            line));
      }
    } else if (s instanceof Stmt.If) {
      if (!analysis.needsReverse(s)) return;
      Stmt.If i = (Stmt.If) s;
      Var taken = decisions.get(s);
      if (taken == null) {
        taken = names.newVar("taken", IrType.BOOLEAN);
        out.add(new Stmt.Assign(taken, new Expr.Pop(tape().var(), IrType.BOOLEAN), line));
      }
      out.add(new Stmt.If(Expr.ref(taken), reverseBlock(i.then()), reverseBlock(i.otherwise()),
          line));
    } else if (s instanceof Stmt.Loop) {
      if (!analysis.needsReverse(s)) return;
      Stmt.Loop l = (Stmt.Loop) s;
      if (selections.get(s) != null) {
        reverseSelection(l, selections.get(s), out, line);
        return;
      }
      Var n = decisions.get(s);
      CountedLoops.Counted counted = analysis.counted(s);
      if (counted != null) {
        n = names.newVar("trips", IrType.INT);
        out.add(new Stmt.Assign(n, tripCount(counted), line));
        Var v = counted.counter();
        if (analysis.isSaved(v)) out.add(new Stmt.Assign(v, exitValue(counted, n), line));
      } else if (n == null) {
        n = names.newVar("trips", IrType.INT);
        out.add(new Stmt.Assign(n, new Expr.Pop(tape().var(), IrType.INT), line));
      }
      openLoops.push(s);
      out.addAll(reverseBlock(l.head()));
      List<Stmt> body = reverseBlock(l.body());
      body.addAll(reverseBlock(l.head()));
      openLoops.pop();
      Stmt repeat = new Stmt.Repeat(names.newVar("k", IrType.INT), Expr.ref(n), body, line);
      List<Var> incoming = analysis.incomingAdjoints(s,
          v -> analysis.savedAround(s).contains(v) || savedAroundLoop(v));
      if (incoming != null && !incoming.isEmpty() && !usesTape(body)) {
        // where no adjoint reaches the loop (a centroid that is not the closest), all it would
        // add is zero
        List<Var> bars = incoming.stream().map(this::bar).toList();
        out.add(new Stmt.If(ZeroAdjoints.anyNonZero(derivatives, bars), List.of(repeat),
            List.of(), line));
      } else {
        out.add(repeat);
      }
      List<Var> around = analysis.savedAround(s);
      for (int i = around.size() - 1; i >= 0; i--) {
        Var v = around.get(i);
        Var before = savedBefore.getOrDefault(s, Map.of()).get(v);
        Expr constant = analysis.constantBefore(s, v);
        out.add(new Stmt.Assign(v, constant != null ? constant : before != null
            ? Expr.ref(before) : new Expr.Pop(tape().var(), v.type(), v), line));
      }
    }
  }

  // ---------------------------------------------------------------- selection loops

  /** Loops reversed as selections (see {@link SelectionLoops}), with where their choice is. */
  private final Map<Stmt, SelectionState> selections = new java.util.IdentityHashMap<>();

  /**
   * Where the forward sweep left a selection loop's choice: whether a candidate was taken, the
   * counter of the iteration that took it last, and the selected value before the loop; in
   * locals outside any loop, else on the tape ({@code before} null).
   */
  private record SelectionState(SelectionLoops.Selection selection, Var won, Var at, Var before,
      boolean onTape) {}

  private SelectionLoops.Selection selection(Stmt.Loop l) {
    SelectionLoops.Selection sel = analysis.selection(l);
    if (sel == null) return null;
    for (Var v : analysis.savedAround(l)) {
      if (v != sel.value()) return null;
    }
    return sel;
  }

  private void forwardSelection(Stmt.Loop l, SelectionLoops.Selection sel, List<Stmt> out,
      int loopLine) {
    Var a = sel.value();
    int line = sel.line();
    Var counter = analysis.counted(l).counter();
    Var won = names.newVar(a.name() + "Won", IrType.BOOLEAN);
    Var at = names.newVar(a.name() + "At", counter.type());
    boolean onTape = loopDepth > 0;
    Var before = null;
    if (onTape) {
      out.add(new Stmt.Push(tape().var(), Expr.ref(a), a, loopLine));
    } else {
      before = names.newVar(a.name() + "Before", a.type());
      out.add(new Stmt.Assign(before, Expr.ref(a), loopLine));
    }
    report.kept(describe(a) + " before the loop", a.type(), line);
    out.add(new Stmt.Assign(won, FALSE, loopLine));
    out.add(new Stmt.Assign(at, Expr.Const.zero(counter.type()), loopLine));
    List<Stmt> body = new ArrayList<>(l.body());
    body.add(sel.candidateCode().size(), new Stmt.If(sel.elementWins(),
        List.of(new Stmt.Assign(won, TRUE, line), new Stmt.Assign(at, Expr.ref(counter), line)),
        List.of(), line));
    out.add(new Stmt.Loop(l.head(), l.cond(), body, List.of(), l.label(), loopLine));
    if (onTape) {
      out.add(new Stmt.Push(tape().var(), Expr.ref(won), line));
      out.add(new Stmt.Push(tape().var(), Expr.ref(at), line));
    }
    report.kept("whether and in which iteration " + describe(a) + " last took a new value",
        counter.type(), line);
    report.recomputed("the loop's other iterations, where " + describe(a)
        + " kept its value: only that iteration is reversed", a.type(), line);
    selections.put(l, new SelectionState(sel, won, at, before, onTape));
  }

  /**
   * The reversal of a selection loop: the iteration that set the value last runs its
   * candidate's code again and reverses it, the value's adjoint going to the candidate; where
   * none did, the adjoint stays with the value as it was before the loop.
   */
  private void reverseSelection(Stmt.Loop l, SelectionState st, List<Stmt> out, int loopLine) {
    SelectionLoops.Selection sel = st.selection();
    int line = sel.line();
    Var a = sel.value();
    if (st.onTape()) {
      out.add(new Stmt.Assign(st.at(), new Expr.Pop(tape().var(), st.at().type()), line));
      out.add(new Stmt.Assign(st.won(), new Expr.Pop(tape().var(), IrType.BOOLEAN), line));
    }
    List<Stmt> once = new ArrayList<>();
    once.add(new Stmt.Assign(analysis.counted(l).counter(), Expr.ref(st.at()), line));
    int depth = loopDepth;
    loopDepth = 0; // the candidate's code runs once here: its own choices stay in locals
    openLoops.push(l);
    report.mute(true);
    once.addAll(forwardBlock(sel.candidateCode()));
    report.mute(false);
    loopDepth = depth;
    if (activity.isActive(a)) {
      accumulate(sel.candidate(), Expr.ref(bar(a)), once, line);
      once.add(new Stmt.Assign(bar(a), Alg.zero(a.type()), line));
    }
    once.addAll(reverseBlock(sel.candidateCode()));
    openLoops.pop();
    out.add(new Stmt.If(Expr.ref(st.won()), once, List.of(), line));
    out.add(new Stmt.Assign(a, st.onTape() ? new Expr.Pop(tape().var(), a.type(), a)
        : Expr.ref(st.before()), line));
  }

  /**
   * Whether the generated statements push or pop, or pass the tape to a call (a split callee's
   * backward pops its residuals, and a loop skipped would leave them on the tape).
   */
  private static boolean usesTape(List<Stmt> stmts) {
    boolean[] found = {false};
    dev.adjoint.processor.ir.Stmts.forEachDeep(stmts, s -> {
      if (s instanceof Stmt.Push) found[0] = true;
      for (Expr e : dev.adjoint.processor.ir.Stmts.exprs(s)) found[0] |= hasPop(e);
    });
    return found[0];
  }

  private static boolean hasPop(Expr e) {
    if (e instanceof Expr.Pop) return true;
    if (e instanceof Expr.Call && ((Expr.Call) e).args().stream()
        .anyMatch(a -> a.type().equals(IrType.TAPE))) {
      return true;
    }
    boolean[] found = {false};
    dev.adjoint.processor.ir.Exprs.mapChildren(e, c -> {
      found[0] |= hasPop(c);
      return c;
    });
    return found[0];
  }

  /** How often a counted loop ran: {@code Loops.below(from, bound, step)} and its kin. */
  private Expr tripCount(CountedLoops.Counted c) {
    String method;
    switch (c.test()) {
      case LT: method = "below"; break;
      case LE: method = "upTo"; break;
      case GT: method = "above"; break;
      default: method = "downTo"; break;
    }
    long step = c.step();
    Expr stepConst = step == (int) step ? new Expr.Const((int) step, IrType.INT)
        : new Expr.Const(step, IrType.LONG);
    List<Expr> args = List.of(c.from(), c.bound(), stepConst);
    return new Expr.Call(derivatives.library("dev.adjoint.ad.Loops", method, 3), args);
  }

  /** A counted loop's counter on exit: {@code from + trips * step}, in the counter's type. */
  private static Expr exitValue(CountedLoops.Counted c, Var trips) {
    IrType t = c.counter().type();
    Expr n = t.equals(IrType.INT) ? Expr.ref(trips) : new Expr.Cast(t, Expr.ref(trips));
    Expr steps = c.step() == 1 ? n : new Expr.Binary(Expr.BinOp.MUL, n,
        t.equals(IrType.INT) ? new Expr.Const((int) c.step(), t) : new Expr.Const(c.step(), t), t);
    Expr from = c.from().type().equals(t) ? c.from() : new Expr.Cast(t, c.from());
    return Alg.isZero(from) ? steps : new Expr.Binary(Expr.BinOp.ADD, from, steps, t);
  }

  private static final Expr FALSE = new Expr.Const(false, IrType.BOOLEAN);
  private static final Expr TRUE = new Expr.Const(true, IrType.BOOLEAN);
  /** While a statement is reversed: what it passes on as "reached" (see markReached). */
  private Expr reachedFrom = TRUE;
  /** Adjoints the statement being reversed assigns as their only contribution. */
  private final List<Var> assignedOnce = new ArrayList<>();

  /**
   * The test under which the reversal of {@code a} runs, or null for always: where something
   * may not have flowed into the adjoint of its target on this run (see
   * {@link ReverseAnalysis#alwaysReached}) and its partials may be infinite where the value is
   * finite (a division, a function with a rule, a call), a tensor adjoint is tested for null
   * and a number's adjoint gets a flag set by each contribution.
   */
  private Expr reachedTest(Stmt.Assign a) {
    Var v = a.target();
    if (!mayBeInfinite(a) || reachability.isReached(a)) return null;
    if (v.type().isTensor()) {
      return new Expr.Binary(Expr.BinOp.NE, Expr.ref(bar(v)), new Expr.Const(null, v.type()),
          IrType.BOOLEAN);
    }
    Var flag = reachedFlags.get(v);
    return flag == null ? null : Expr.ref(flag);
  }

  private final SavedReport report = new SavedReport();
  /** The loops being walked, innermost first. */
  private final java.util.Deque<Stmt> openLoops = new java.util.ArrayDeque<>();
  /**
   * Values saved in a local before a top-level loop (see ReverseAnalysis.savedAround), per
   * loop: two loops that overwrite the same variable each restore their own saved value.
   */
  private final Map<Stmt, Map<Var, Var>> savedBefore = new java.util.IdentityHashMap<>();

  /** Whether {@code v} is saved once around an enclosing loop, not at each assignment. */
  private boolean savedAroundLoop(Var v) {
    for (Stmt l : openLoops) {
      if (analysis.savedAround(l).contains(v)) return true;
    }
    return false;
  }

  /** A variable as the user knows it: its name, or the expression a temporary holds. */
  private String describe(Var v) {
    if (!v.isSynthetic()) return "'" + v.name() + "'";
    Expr e = definitionOf(v);
    return e == null ? "a value" : "'" + source(e, 3) + "'";
  }

  /** The expression of a temporary's first definition, or null. */
  private Expr definitionOf(Var v) {
    Expr[] found = {null};
    dev.adjoint.processor.ir.Stmts.forEachDeep(f.body(), s -> {
      if (found[0] == null && s instanceof Stmt.Assign && ((Stmt.Assign) s).target() == v) {
        found[0] = ((Stmt.Assign) s).value();
      }
    });
    return found[0];
  }

  /** A short rendering of an expression, temporaries replaced by what they hold. */
  private String source(Expr e, int depth) {
    if (e instanceof Expr.Ref) {
      Var v = ((Expr.Ref) e).var();
      Expr d = v.isSynthetic() && depth > 0 ? definitionOf(v) : null;
      return d == null ? v.name() : source(d, depth - 1);
    }
    if (e instanceof Expr.Const) return String.valueOf(((Expr.Const) e).value());
    if (e instanceof Expr.ArrayLoad) {
      Expr.ArrayLoad l = (Expr.ArrayLoad) e;
      return source(l.array(), depth) + "[" + source(l.index(), depth) + "]";
    }
    if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      return source(b.left(), depth - 1) + " " + b.op().symbol + " " + source(b.right(), depth - 1);
    }
    if (e instanceof Expr.Call) return ((Expr.Call) e).method().name() + "(...)";
    if (e instanceof Expr.Get) {
      return source(((Expr.Get) e).record(), depth) + "." + ((Expr.Get) e).component() + "()";
    }
    return "a value";
  }

  /** Whether every differentiated argument is a number or a record of numbers. */
  private static boolean scalarArguments(MethodRef m) {
    for (IrType t : m.argumentTypes()) {
      if (t.isDifferentiable() && !t.isNumbers()) return false;
    }
    return true;
  }

  /**
   * The reverse mode of a function of numbers to numbers whose own reverse mode does not
   * exist (a forward derivative from a jar, {@code sinJvpJvp}, or one that keeps a tape): its
   * partials are its JVPs along each input number, one forward pass per differentiated number
   * (a record argument, such as the cotangent of a record-valued function, has one per leaf).
   */
  private void reverseThroughForward(Var v, Expr.Call call, Expr g, List<Stmt> out, int line) {
    Callee jvp = derivatives.jvp(call.method());
    if (!(g instanceof Expr.Ref) && v.type().isRecord()) {
      Var gv = names.newVar("g", g.type());
      out.add(new Stmt.Assign(gv, g, line));
      g = Expr.ref(gv);
    }
    for (int p : jvp.wrt()) {
      Expr arg = call.args().get(p);
      if (!activity.isActive(arg)) continue;
      List<String> paths = new ArrayList<>();
      if (arg.type().isRecord()) {
        for (Map.Entry<String, IrType> l : leaves(arg.type())) paths.add(l.getKey());
      } else {
        paths.add("");
      }
      for (String path : paths) {
        List<Expr> args = new ArrayList<>(call.args());
        for (int q : jvp.wrt()) {
          Expr other = call.args().get(q);
          args.add(q != p ? Alg.zeroLike(other)
              : path.isEmpty() ? Expr.Const.one(other.type()) : unitAt(other, path));
        }
        Var dual = names.newVar("partial", jvp.method().returnType());
        out.add(new Stmt.Assign(dual, new Expr.Call(jvp.method(), args), line));
        Expr tangent = new Expr.Get(Expr.ref(dual), "tangent");
        Expr sum = null; // <g, d result / d arg>: over the numbers of a record result
        if (v.type().isRecord()) {
          for (Map.Entry<String, IrType> l : leaves(v.type())) {
            sum = Alg.add(sum, Alg.mul(getPath(g, l.getKey()), getPath(tangent, l.getKey())));
          }
        } else {
          sum = Alg.mul(g, tangent);
        }
        if (path.isEmpty()) {
          accumulate(arg, sum, out, line);
        } else {
          Var into = Exprs.varOf(arg);
          if (into != null && sum != null && activity.isActive(into)) {
            accumulateInto(into, path, getPath(arg, path).type(), sum, out, line);
          }
        }
      }
    }
  }

  /**
   * A tangent of the record {@code value}: one at the number {@code path}, zero at its other
   * numbers, its carried components copied.
   */
  private static Expr unitAt(Expr value, String path) {
    int dot = path.indexOf('.');
    String head = dot < 0 ? path : path.substring(0, dot);
    List<Expr> parts = new ArrayList<>();
    for (IrType.Component c : value.type().components()) {
      Expr get = new Expr.Get(value, c.name());
      if (c.name().equals(head)) {
        parts.add(dot < 0 ? Expr.Const.one(c.type()) : unitAt(get, path.substring(dot + 1)));
      } else {
        parts.add(c.type().isDifferentiable() ? Alg.zeroLike(get) : get);
      }
    }
    return new Expr.NewRecord(value.type(), parts);
  }

  /** The statement being reversed. */
  private Stmt currentStatement;

  /** After a variable's definition is reversed, the adjoint of its earlier value starts at 0. */
  private void resetBar(Var v, List<Stmt> out, int line) {
    if (v.type().isFloating() || v.type().isTensor()) {
      out.add(new Stmt.Assign(bar(v), Alg.zero(v.type()), line));
    } else if (v.type().isRecord()) {
      for (Map.Entry<String, IrType> l : leaves(v.type())) {
        if (l.getValue().isFloating() || l.getValue().isTensor()) {
          out.add(new Stmt.Assign(leafBar(v, l.getKey(), l.getValue()), Alg.zero(l.getValue()),
              line));
        }
      }
    }
  }

  /** The adjoint of {@code v} as an expression to distribute (a record is rebuilt). */
  private Expr adjointOf(Var v) {
    if (v.type().isRecord()) return recordOfBars(v, "", v.type(), Expr.ref(v));
    if (v.type().isTensor()) return TensorCode.orZeros(derivatives, Expr.ref(bar(v)), Expr.ref(v));
    return Expr.ref(bar(v));
  }

  /** Distributes the adjoint of {@code v = e} to the operands of e. */
  private void propagate(Var v, Expr e, List<Stmt> out, int line) {
    Expr g = Expr.ref(bar(v));
    if (e instanceof Expr.Call) {
      call(v, (Expr.Call) e, out, line);
    } else if (e instanceof Expr.Ref) {
      if (v.type().isArray()) return; // aliases share one adjoint array
      if (v.type().isRecord()) {
        accumulate(e, adjointOf(v), out, line);
      } else {
        accumulate(e, g, out, line);
      }
    } else if (e instanceof Expr.Unary) {
      Expr.Unary u = (Expr.Unary) e;
      if (u.op() == Expr.UnOp.NEG) accumulate(u.operand(), Alg.neg(g), out, line);
    } else if (e instanceof Expr.Binary) {
      binary(v, (Expr.Binary) e, g, out, line);
    } else if (e instanceof Expr.Cast) {
      accumulate(((Expr.Cast) e).operand(), g, out, line);
    } else if (e instanceof Expr.ArrayLoad) {
      Expr.ArrayLoad l = (Expr.ArrayLoad) e;
      Var arr = Exprs.varOf(l.array());
      if (arr != null && activity.isActive(arr)) {
        Expr slot = new Expr.ArrayLoad(Expr.ref(bar(arr)), l.index());
        out.add(new Stmt.Store(bar(arr), l.index(), TensorCode.plus(derivatives, slot, g), line));
      }
    } else if (e instanceof Expr.ArrayLiteral) {
      List<Expr> elements = ((Expr.ArrayLiteral) e).elements();
      for (int k = 0; k < elements.size(); k++) {
        accumulate(elements.get(k), new Expr.ArrayLoad(g, new Expr.Const(k, IrType.INT)), out,
            line);
      }
    } else if (e instanceof Expr.CloneArray) {
      accumulate(((Expr.CloneArray) e).array(), g, out, line);
    } else if (e instanceof Expr.Get) {
      Expr.Get get = (Expr.Get) e;
      Var r = Exprs.varOf(get.record());
      if (r == null || !activity.isActive(r) || v.type().isArray()) return;
      if (v.type().isRecord()) {
        Expr adj = adjointOf(v);
        for (Map.Entry<String, IrType> l : leaves(v.type())) {
          if (l.getValue().isArray()) continue; // shared with the record's leaf adjoint
          Var b = leafBar(r, get.component() + "." + l.getKey(), l.getValue());
          out.add(new Stmt.Assign(b, TensorCode.plus(derivatives, Expr.ref(b),
              getPath(adj, l.getKey())), line));
        }
      } else {
        Var b = leafBar(r, get.component(), v.type());
        out.add(new Stmt.Assign(b, TensorCode.plus(derivatives, Expr.ref(b), g), line));
      }
    } else if (e instanceof Expr.NewRecord) {
      Expr.NewRecord n = (Expr.NewRecord) e;
      for (int i = 0; i < n.args().size(); i++) {
        IrType.Component c = n.type().components().get(i);
        if (!c.type().isDifferentiable()) continue;
        Expr part = c.type().isRecord() ? recordOfBars(v, c.name(), c.type(),
            new Expr.Get(Expr.ref(v), c.name())) : Expr.ref(leafBar(v, c.name(), c.type()));
        accumulate(n.args().get(i), part, out, line);
      }
    } else if (e instanceof Expr.Pop) {
      throw new DiffException(null, Message.REVERSE_THROUGH_TAPE, f.name(),
          Message.reverseAdvice(f.name()));
    }
  }

  private void binary(Var v, Expr.Binary b, Expr g, List<Stmt> out, int line) {
    Expr a = b.left();
    Expr c = b.right();
    switch (b.op()) {
      case ADD:
        accumulate(a, g, out, line);
        accumulate(c, g, out, line);
        break;
      case SUB:
        accumulate(a, g, out, line);
        accumulate(c, Alg.neg(g), out, line);
        break;
      case MUL:
        if (a.equals(c)) {
          accumulate(a, Alg.mul(Alg.two(a.type()), Alg.mul(g, a)), out, line);
          break;
        }
        accumulate(a, Alg.mul(g, c), out, line);
        accumulate(c, Alg.mul(g, a), out, line);
        break;
      case DIV:
        accumulate(a, Alg.div(g, c), out, line);
        accumulate(c, Alg.neg(Alg.div(Alg.mul(g, Expr.ref(v)), c)), out, line);
        break;
      case REM:
        accumulate(a, g, out, line);
        accumulate(c, Alg.neg(Alg.mul(g, Alg.div(Alg.sub(a, Expr.ref(v)), c))), out, line);
        break;
      default:
        break;
    }
  }

  private void call(Var v, Expr.Call call, List<Stmt> out, int line) {
    MethodRef m = call.method();
    Target target = m.target();
    Expr g = adjointOf(v);
    if (target instanceof Target.Rules) {
      Target.Rules rules = (Target.Rules) target;
      for (int i = 0; i < call.args().size(); i++) {
        Expr arg = call.args().get(i);
        if (!activity.isActive(arg)) continue;
        MethodRef rule = rules.vjp().get(i);
        if (rule == null) {
          throw new DiffException(call.site(), Message.NO_VJP_RULE, m.display(),
              m.parameterAt(i));
        }
        List<Expr> args = new ArrayList<>(call.args());
        args.add(Expr.ref(v));
        args.add(g);
        accumulate(arg, new Expr.Call(rule, args), out, line);
      }
      return;
    }
    if (target instanceof Target.Opaque) {
      throw new DiffException(call.site(), Message.NO_DERIVATIVE, m.display(), f.name());
    }
    Residuals r = residualCalls.get(currentStatement);
    if (r != null && ((Stmt.Assign) currentStatement).value() == call) {
      List<Expr> args = new ArrayList<>();
      args.add(Expr.ref(tape().var())); // the backward pops the residuals its forward pushed
      // the backward adds an array argument's gradient into its adjoint array directly, when
      // the argument is an array variable with one; else into a new array, added as before
      Set<Integer> addedInPlace = new HashSet<>();
      for (int j : Residuals.inPlace(m.argumentTypes(), r.wrt())) {
        Expr arg = call.args().get(r.wrt().get(j));
        if (arg instanceof Expr.Ref && activity.isActive(arg)) {
          args.add(Expr.ref(bar(((Expr.Ref) arg).var())));
          addedInPlace.add(j);
        } else {
          args.add(new Expr.NewArray(arg.type(), new Expr.ArrayLength(arg)));
        }
      }
      args.add(g);
      Var res = names.newVar(v.name() + "Grad", r.backward().returnType());
      out.add(new Stmt.Assign(res, new Expr.Call(r.backward(), args), line));
      for (int j = 0; j < r.wrt().size(); j++) {
        if (addedInPlace.contains(j)) continue;
        Expr part = r.gradComponents() == null ? Expr.ref(res)
            : new Expr.Get(Expr.ref(res), r.gradComponents().get(j));
        accumulate(call.args().get(r.wrt().get(j)), part, out, line);
      }
      return;
    }
    Callee vjp;
    try {
      vjp = derivatives.vjp(m);
    } catch (DiffException e) {
      if (!v.type().isNumbers() || !scalarArguments(m)) throw e;
      reverseThroughForward(v, call, g, out, line);
      return;
    }
    Callee.requireDifferentiated(call, vjp.wrt(), activity::isActive);
    List<Expr> args = new ArrayList<>(call.args());
    if (vjp.splitCotangent() && v.type().isRecord()) {
      for (IrType.Component c : v.type().components()) {
        args.add(c.type().isRecord() ? recordOfBars(v, c.name(), c.type(),
            new Expr.Get(Expr.ref(v), c.name())) : Expr.ref(leafBar(v, c.name(), c.type())));
      }
    } else {
      args.add(g);
    }
    Var res = names.newVar(v.name() + "Grad", vjp.method().returnType());
    out.add(new Stmt.Assign(res, new Expr.Call(vjp.method(), args), line));
    for (int j = 0; j < vjp.wrt().size(); j++) {
      Expr part = vjp.gradComponents() == null ? Expr.ref(res)
          : new Expr.Get(Expr.ref(res), vjp.gradComponents().get(j));
      accumulate(call.args().get(vjp.wrt().get(j)), part, out, line);
    }
  }
}
