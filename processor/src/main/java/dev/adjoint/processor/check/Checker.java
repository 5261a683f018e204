package dev.adjoint.processor.check;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.MethodRef;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Target;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.read.Site;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a user's method before it is differentiated: every call on the path from the
 * differentiated inputs to the result must have a derivative, in both modes, and may receive
 * differentiated values only where the callee differentiates them. Reports at the call.
 */
public final class Checker {
  /** What the checker needs to know of called methods. */
  public interface Callees {
    /** Argument positions the callee differentiates (receiver first). */
    List<Integer> wrtOf(MethodRef method);

    /** Whether the callee is itself a reverse-mode derivative (which cannot be reversed). */
    boolean isReverseDerived(MethodRef method);
  }

  /** A source line, where the statement has no tree of its own: reported at its first one. */
  public record Line(int line) {}

  /** Reports one error at a call site. */
  public interface SiteReporter {
    void error(Object site, Message message, Object... args);
  }

  private final Function f;
  private final Activity activity;
  private final Callees callees;
  private final SiteReporter reporter;
  private final String display;

  private Checker(Function f, String display, Callees callees, SiteReporter reporter) {
    this.f = f;
    this.display = display;
    this.activity = Activity.of(f, f.wrtParams());
    this.callees = callees;
    this.reporter = reporter;
  }

  public static void check(Function f, String display, Callees callees, SiteReporter reporter) {
    new Checker(f, display, callees, reporter).block(f.body());
  }

  private void block(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Assign && ((Stmt.Assign) s).value() instanceof Expr.Call) {
        Var v = ((Stmt.Assign) s).target();
        Expr.Call c = (Expr.Call) ((Stmt.Assign) s).value();
        if (!opaqueEffects(c, v)) call(c, v, activity.isActive(v) || activity.isTainted(v));
      } else if (s instanceof Stmt.Assign) {
        objectRead((Stmt.Assign) s);
      } else if (s instanceof Stmt.Eval && ((Stmt.Eval) s).expr() instanceof Expr.Call) {
        opaqueEffects((Expr.Call) ((Stmt.Eval) s).expr(), null);
      } else if (s instanceof Stmt.If) {
        block(((Stmt.If) s).then());
        block(((Stmt.If) s).otherwise());
      } else if (s instanceof Stmt.Loop) {
        block(((Stmt.Loop) s).head());
        block(((Stmt.Loop) s).body());
      }
    }
  }

  /**
   * A number read out of an object that holds differentiated values ({@code Double b = x}, then
   * {@code b * 2}; a field of an object an opaque call filled) has no derivative: an error.
   */
  private void objectRead(Stmt.Assign a) {
    if (!activity.isActive(a.target())) return;
    Var[] source = {null};
    Exprs.visitRefs(a.value(), v -> {
      if (v.type().kind() == IrType.Kind.OBJECT && activity.isTainted(v) && source[0] == null) {
        source[0] = v;
      }
    });
    if (source[0] == null || reported.contains(source[0])) return;
    reported.add(source[0]);
    reported.add(a.target());
    reporter.error(new Line(a.line()), Message.OBJECT_LOSES_DERIVATIVE, source[0].type());
  }

  /** Values an error was reported for: what follows from them is not reported again. */
  private final Set<Var> reported = new HashSet<>();

  /**
   * A method without derivative that receives differentiated values may keep them in an object
   * or array it also receives, where no derivative can follow ({@code squares(out, x)},
   * {@code acc.add(x * x)}), or change a differentiated array: an error when that object or
   * array reaches the result. Returns whether an error was reported (or was reported before,
   * for a value this call receives).
   */
  private boolean opaqueEffects(Expr.Call c, Var result) {
    if (!(c.method().target() instanceof Target.Opaque)) return false;
    List<Var> args = new ArrayList<>();
    for (Expr arg : c.args()) {
      Var a = Exprs.varOf(arg);
      if (a != null) args.add(a);
    }
    for (Var a : args) {
      if (reported.contains(a)) {
        reported.addAll(args);
        if (result != null) reported.add(result);
        return true;
      }
    }
    for (int i = 0; i < c.args().size(); i++) {
      Var sink = Exprs.varOf(c.args().get(i));
      if (sink == null) continue;
      boolean container = sink.type().isArray()
          || sink.type().kind() == IrType.Kind.OBJECT && !sink.type().isImmutable();
      if (!container || !(activity.isActive(sink) || activity.isTainted(sink))) continue;
      for (int j = 0; j < c.args().size(); j++) {
        Var source = Exprs.varOf(c.args().get(j));
        if (source != null && source != sink && activity.isVaried(source)
            && !isTensorReceiver(c, source)) {
          reporter.error(c.site(), Message.KEEPS_DIFFERENTIATED, c.method().display(),
              shown(c, j, source), shown(c, i, sink), c.method().display());
          reported.add(sink);
          return true;
        }
      }
      if (sink.type().isArray() && result != null && activity.isActive(result)) {
        return false; // its result has no derivative: that is the error to report
      }
      if (sink.type().isArray()) {
        reporter.error(c.site(), Message.MUTATES_ACTIVE_ARRAY, c.method().display(),
            shown(c, i, sink));
        reported.add(sink);
        return true;
      }
    }
    return false;
  }

  /** Argument {@code i} as the user wrote it. */
  private static String shown(Expr.Call c, int i, Var v) {
    return Site.argument(c.site(), i, !c.method().isStatic(), v.name());
  }

  private static boolean isTensorReceiver(Expr.Call c, Var v) {
    return !c.method().isStatic() && Exprs.varOf(c.args().get(0)) == v && v.type().isTensor();
  }

  private void call(Expr.Call c, Var result, boolean resultActive) {
    if (!resultActive) return;
    MethodRef m = c.method();
    Target t = m.target();
    if (t instanceof Target.Opaque) {
      reporter.error(c.site(), Message.NO_DERIVATIVE, m.display(), display);
      reported.add(result);
      return;
    }
    if (t instanceof Target.Rules) {
      Target.Rules r = (Target.Rules) t;
      for (int i = 0; i < c.args().size(); i++) {
        if (!activity.isActive(c.args().get(i))) continue;
        if (r.jvp().get(i) == null && r.vjp().get(i) == null) {
          IrType type = Exprs.varOf(c.args().get(i)).type();
          String advice = type.isTensor()
              ? "if it holds indices or labels (INT64 tensors have no derivative), mark the "
                  + "parameter it comes from @NoDerivative"
              : "pass a value that does not depend on the inputs, or declare a @Jvp rule for "
                  + "this argument";
          reporter.error(c.site(), Message.NO_ARGUMENT_RULE, m.display(), m.parameterAt(i),
              advice);
        } else if (r.jvp().get(i) == null) {
          reporter.error(c.site(), Message.NO_JVP_RULE, m.display(), m.parameterAt(i));
        } else if (r.vjp().get(i) == null) {
          reporter.error(c.site(), Message.NO_VJP_RULE, m.display(), m.parameterAt(i));
        }
      }
      return;
    }
    List<Integer> wrt = callees.wrtOf(m);
    for (int i = 0; i < c.args().size(); i++) {
      if (!wrt.contains(i) && activity.isActive(c.args().get(i))) {
        String p = m.parameterAt(i);
        reporter.error(c.site(), Message.NOT_DIFFERENTIABLE_ARGUMENT, p, m.display(), p,
            m.display(), p);
      }
    }
    if (callees.isReverseDerived(m) && !scalarFunction(m)) {
      reporter.error(c.site(), Message.REVERSE_THROUGH_TAPE, m.display(),
          Message.reverseAdvice(m.display()));
    }
  }

  /**
   * Numbers (or records of numbers) to numbers: reversed through its forward mode when it has
   * no reverse of its own.
   */
  private static boolean scalarFunction(MethodRef m) {
    if (!m.returnType().isNumbers()) return false;
    for (dev.adjoint.processor.ir.IrType t : m.argumentTypes()) {
      if (t.isDifferentiable() && !t.isNumbers()) return false;
    }
    return true;
  }
}
