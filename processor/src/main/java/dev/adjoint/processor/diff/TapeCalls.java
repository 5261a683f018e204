package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.List;

/**
 * {@code Tape.open()} and {@code tape.close()}: a method that runs both sweeps borrows its tape
 * from the thread's pool and gives it back before it returns (see {@code dev.adjoint.ad.Tape}).
 * Forward mode over such a method borrows and gives back its tangent tape beside it.
 */
final class TapeCalls {
  private static final String TAPE = "dev.adjoint.ad.Tape";

  private TapeCalls() {}

  static Expr open(Derivatives lib) {
    return new Expr.Call(lib.library(TAPE, "open", 0), List.of());
  }

  static Stmt close(Derivatives lib, Var tape, int line) {
    return onTape(lib, tape, "close", line);
  }

  /**
   * {@code m = tape.mark()}, before a split callee pushes its residuals (see {@link Residuals}).
   */
  static Stmt mark(Derivatives lib, Var tape, Var m, int line) {
    return new Stmt.Assign(m, new Expr.Call(lib.library(TAPE, "mark", 0),
        List.of(Expr.ref(tape))), line);
  }

  /** {@code tape.endCall(m)}, after the callee returns: how many marks it left open. */
  static Stmt endCall(Derivatives lib, Var tape, Var m, int line) {
    return new Stmt.Eval(new Expr.Call(lib.library(TAPE, "endCall", 1),
        List.of(Expr.ref(tape), Expr.ref(m))), line);
  }

  /** {@code tape.reopen()}, before the callee's backward. */
  static Stmt reopen(Derivatives lib, Var tape, int line) {
    return onTape(lib, tape, "reopen", line);
  }

  /** {@code tape.dropMark()}, after the callee's backward popped its residuals. */
  static Stmt dropMark(Derivatives lib, Var tape, int line) {
    return onTape(lib, tape, "dropMark", line);
  }

  /** {@code tape.rewindCall()}: the callee's residuals and open marks dropped unread. */
  static Stmt rewind(Derivatives lib, Var tape, int line) {
    return onTape(lib, tape, "rewindCall", line);
  }

  private static Stmt onTape(Derivatives lib, Var tape, String method, int line) {
    return new Stmt.Eval(new Expr.Call(lib.library(TAPE, method, 0), List.of(Expr.ref(tape))),
        line);
  }

  static boolean isOpen(Expr e) {
    return isCall(e, "open");
  }

  /** The tape {@code s} closes, or null. */
  static Var closed(Stmt s) {
    if (!(s instanceof Stmt.Eval) || !isCall(((Stmt.Eval) s).expr(), "close")) return null;
    return dev.adjoint.processor.ir.Exprs.varOf(((Expr.Call) ((Stmt.Eval) s).expr()).args().get(0));
  }

  private static boolean isCall(Expr e, String name) {
    return dev.adjoint.processor.ir.Exprs.isCallTo(e, TAPE, name);
  }
}
