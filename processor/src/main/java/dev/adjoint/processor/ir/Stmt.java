package dev.adjoint.processor.ir;

import java.util.List;

/**
 * Statements of the intermediate form. Control flow stays structured. Each statement carries
 * the source line it came from, so that generated code can say where it came from.
 */
public sealed interface Stmt {
  int line();

  record Assign(Var target, Expr value, int line) implements Stmt {}

  /** {@code array[index] = value}. */
  record Store(Var array, Expr index, Expr value, int line) implements Stmt {}

  /** An expression evaluated for its side effects (a call). */
  record Eval(Expr expr, int line) implements Stmt {}

  /**
   * Pushes a value on a tape. {@code slot} names what it saves (the variable it restores, say),
   * the same on the pop that takes it back, so that activity follows each value through the
   * tape; null pools it with the other values of its type.
   */
  record Push(Var tape, Expr value, Object slot, int line) implements Stmt {
    public Push(Var tape, Expr value, int line) {
      this(tape, value, null, line);
    }
  }

  record If(Expr cond, List<Stmt> then, List<Stmt> otherwise, int line) implements Stmt {}

  /**
   * {@code while (true) { head; if (!cond) break; body; update; }}. A {@code continue} in the
   * body jumps to {@code update}. After normalization there is no break, continue or update.
   */
  record Loop(List<Stmt> head, Expr cond, List<Stmt> body, List<Stmt> update, String label,
      int line) implements Stmt {}

  /** {@code for (int counter = 0; counter < times; counter++) body}: reverse sweeps of loops. */
  record Repeat(Var counter, Expr times, List<Stmt> body, int line) implements Stmt {}

  record Return(Expr value, int line) implements Stmt {}

  /** {@code throw value}: argument checks, kept in derivatives so that they check too. */
  record Throw(Expr value, int line) implements Stmt {}

  /** Leaves the loop labelled {@code label} (the innermost loop when null). */
  record Break(String label, int line) implements Stmt {}

  record Continue(String label, int line) implements Stmt {}

  /** A comment line in generated code. */
  record Comment(String text, int line) implements Stmt {}
}
