package dev.adjoint.tests.fuzz;

import java.util.List;

/** Statements of generated programs. */
sealed interface Stmt {
  record Decl(Type type, String name, Expr init) implements Stmt {}

  /** {@code target op value} with op one of {@code = += -= *=}. */
  record Assign(Expr target, String op, Expr value) implements Stmt {}

  record Eval(Expr expr) implements Stmt {}

  record Block(List<Stmt> stmts) implements Stmt {}

  /** {@code otherwise} may be null. */
  record If(Expr test, Block then, Block otherwise) implements Stmt {}

  /** Labels may be null. */
  record For(String label, Stmt init, Expr test, Stmt update, Block body) implements Stmt {}

  record ForEach(String label, Type elem, String name, Expr array, Block body) implements Stmt {}

  record While(String label, Expr test, Block body) implements Stmt {}

  record DoWhile(String label, Block body, Expr test) implements Stmt {}

  record Break(String label) implements Stmt {}

  record Continue(String label) implements Stmt {}

  record Return(Expr value) implements Stmt {}

  /** An arrow-form switch statement over an int; {@code cases} are the labels 0, 1, ... */
  record Switch(Expr selector, List<Block> cases, Block otherwise) implements Stmt {}
}
