package dev.adjoint.tests.fuzz;

import java.util.List;

/** Expressions of generated programs: a small AST that prints to Java. */
sealed interface Expr {
  /** A literal of type REAL (printed with an {@code f} suffix in the float variant). */
  record Real(double value) implements Expr {}

  record Int(int value) implements Expr {}

  record Str(String value) implements Expr {}

  record Name(String name) implements Expr {}

  record Binary(String op, Expr left, Expr right) implements Expr {}

  /** {@code -e}, {@code !e}. */
  record Unary(String op, Expr operand) implements Expr {}

  /** {@code i++} or {@code i--} used as an expression. */
  record PostStep(String name, String op) implements Expr {}

  /**
   * A real-valued {@code Math} function; in the float variant its result is cast to float
   * where the JDK overload returns double.
   */
  record MathFn(String fn, List<Expr> args) implements Expr {}

  /**
   * A static call: {@code owner} is {@link Owner#SELF} (a method of the program class),
   * {@link Owner#DERIVATIVES} (its generated derivatives class) or a literal class name.
   */
  record Call(Owner owner, String name, List<Expr> args) implements Expr {}

  /** {@code target.name(args)}: instance methods (record methods, tensor operations). */
  record Invoke(Expr target, String name, List<Expr> args) implements Expr {}

  /** {@code target.name()}: a record accessor. */
  record Access(Expr target, String name) implements Expr {}

  record Index(Expr array, Expr index) implements Expr {}

  /** {@code array.length}. */
  record Length(Expr array) implements Expr {}

  record Cast(Type type, Expr operand) implements Expr {}

  record Cond(Expr test, Expr then, Expr otherwise) implements Expr {}

  /** {@code new R(args)} for a record of the program, or {@code R} qualified by owner. */
  record NewRecord(Owner owner, String type, List<Expr> args) implements Expr {}

  /** {@code new T[size]}. */
  record NewArray(Type arrayType, Expr size) implements Expr {}

  /** {@code {a, b, c}} in a declaration, or {@code new T[] {a, b, c}} elsewhere. */
  record ArrayLit(Type arrayType, List<Expr> elements) implements Expr {}

  /** Where a call's class is. */
  record Owner(String literal) {
    static final Owner SELF = new Owner(null);
    static final Owner DERIVATIVES = new Owner("$Derivatives");

    static Owner of(String className) {
      return new Owner(className);
    }
  }
}
