package dev.adjoint.processor.check;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.MethodRef;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Target;
import dev.adjoint.processor.ir.Var;
import java.util.List;

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
        if (!opaqueArrays(c)) call(c, activity.isActive(v));
      } else if (s instanceof Stmt.Eval && ((Stmt.Eval) s).expr() instanceof Expr.Call) {
        opaqueArrays((Expr.Call) ((Stmt.Eval) s).expr());
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
   * A method without derivative that receives a differentiated array may change it where no
   * derivative can follow: an error, whatever it returns. Returns whether one was reported.
   */
  private boolean opaqueArrays(Expr.Call c) {
    if (!(c.method().target() instanceof Target.Opaque)) return false;
    for (Expr arg : c.args()) {
      Var a = Exprs.varOf(arg);
      if (a != null && a.type().isArray() && activity.isActive(a)) {
        reporter.error(c.site(), Message.MUTATES_ACTIVE_ARRAY, c.method().display(), a.name());
        return true;
      }
    }
    return false;
  }

  private void call(Expr.Call c, boolean resultActive) {
    if (!resultActive) return;
    MethodRef m = c.method();
    Target t = m.target();
    if (t instanceof Target.Opaque) {
      reporter.error(c.site(), Message.NO_DERIVATIVE, m.display(), display);
      return;
    }
    if (t instanceof Target.Rules) {
      Target.Rules r = (Target.Rules) t;
      for (int i = 0; i < c.args().size(); i++) {
        if (!activity.isActive(c.args().get(i))) continue;
        if (r.jvp().get(i) == null && r.vjp().get(i) == null) {
          reporter.error(c.site(), Message.NO_DERIVATIVE, m.display(), display);
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
    if (callees.isReverseDerived(m)) {
      reporter.error(c.site(), Message.REVERSE_THROUGH_TAPE, m.display(),
          m.display().replaceAll("(Vjp|ValueAndGrad|Hvp)$", "Grad"));
    }
  }
}
