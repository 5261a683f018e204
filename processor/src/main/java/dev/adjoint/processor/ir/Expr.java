package dev.adjoint.processor.ir;

import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * Side-effect-free expressions of the intermediate form (calls aside). The reader and the
 * linearizer reduce them to one operation over variables and constants per statement before
 * differentiation; derivative code may nest them again, for readable output.
 */
public sealed interface Expr {
  IrType type();

  /** Unary operators. */
  enum UnOp {
    NEG("-"), NOT("!"), BITNOT("~");
    public final String symbol;

    UnOp(String symbol) {
      this.symbol = symbol;
    }
  }

  /** Binary operators (none of them short-circuits: the reader lowers && and || to ifs). */
  enum BinOp {
    MUL("*", 12), DIV("/", 12), REM("%", 12), ADD("+", 11), SUB("-", 11),
    SHL("<<", 10), SHR(">>", 10), USHR(">>>", 10),
    LT("<", 9), LE("<=", 9), GT(">", 9), GE(">=", 9),
    EQ("==", 8), NE("!=", 8), AND("&", 7), XOR("^", 6), OR("|", 5);
    public final String symbol;
    public final int precedence;

    BinOp(String symbol, int precedence) {
      this.symbol = symbol;
      this.precedence = precedence;
    }

    public boolean isComparison() {
      return this == LT || this == LE || this == GT || this == GE || this == EQ || this == NE;
    }
  }

  record Const(Object value, IrType type) implements Expr {
    public static Const of(double v) {
      return new Const(v, IrType.DOUBLE);
    }

    public static Const zero(IrType t) {
      switch (t.kind()) {
        case DOUBLE: return new Const(0.0, t);
        case FLOAT: return new Const(0.0f, t);
        case LONG: return new Const(0L, t);
        case BOOLEAN: return new Const(false, t);
        case INT: case SHORT: case BYTE: case CHAR: return new Const(0, IrType.INT);
        default: return new Const(null, t);
      }
    }

    /** One, as a seed; for a tensor, null: the runtime seeds with ones like the result. */
    public static Const one(IrType t) {
      if (t.isTensor()) return new Const(null, t);
      return t.kind() == IrType.Kind.FLOAT ? new Const(1.0f, t) : new Const(1.0, IrType.DOUBLE);
    }

    public boolean isZero() {
      return value instanceof Number && ((Number) value).doubleValue() == 0;
    }
  }

  record Ref(Var var) implements Expr {
    @Override
    public IrType type() {
      return var.type();
    }
  }

  record Unary(UnOp op, Expr operand, IrType type) implements Expr {}

  record Binary(BinOp op, Expr left, Expr right, IrType type) implements Expr {}

  record Cast(IrType type, Expr operand) implements Expr {}

  record ArrayLoad(Expr array, Expr index) implements Expr {
    @Override
    public IrType type() {
      return array.type().element();
    }
  }

  record ArrayLength(Expr array) implements Expr {
    @Override
    public IrType type() {
      return IrType.INT;
    }
  }

  /** {@code new T[length]}. */
  record NewArray(IrType type, Expr length) implements Expr {}

  /** {@code new T[] {e0, e1, ...}}. */
  record ArrayLiteral(IrType type, List<Expr> elements) implements Expr {}

  record CloneArray(Expr array) implements Expr {
    @Override
    public IrType type() {
      return array.type();
    }
  }

  /**
   * A call; for an instance method the receiver is {@code args.get(0)}. {@code site} is where
   * the call is in user source (for diagnostics), null in generated code.
   */
  record Call(MethodRef method, List<Expr> args, Object site) implements Expr {
    public Call(MethodRef method, List<Expr> args) {
      this(method, args, null);
    }

    @Override
    public IrType type() {
      return method.returnType();
    }
  }

  record NewRecord(IrType type, List<Expr> args) implements Expr {}

  /** A record component accessor, {@code r.name()}. */
  record Get(Expr record, String component) implements Expr {
    @Override
    public IrType type() {
      return record.type().component(component).type();
    }
  }

  /**
   * A field of an object that is not differentiated ({@code config.scale}): read as a constant;
   * an object that holds differentiated values is refused by the checker.
   */
  record Field(Expr object, String name, IrType type) implements Expr {}

  /** Pops the top value of the given type from a tape; {@code slot} as on its push. */
  record Pop(Var tape, IrType type, Object slot) implements Expr {
    public Pop(Var tape, IrType type) {
      this(tape, type, null);
    }
  }

  /** A static field, read as a constant (never active). */
  record StaticField(TypeName owner, String name, IrType type) implements Expr {}

  static Ref ref(Var v) {
    return new Ref(v);
  }
}
