package dev.adjoint.processor.read;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Var;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What reading an expression gives: a plain expression, or a record kept as its components
 * (records are flattened into one variable per component, so that the derivative transforms
 * only ever see scalars, arrays and calls).
 */
sealed interface Value {
  IrType type();

  record Plain(Expr expr) implements Value {
    @Override
    public IrType type() {
      return expr.type();
    }
  }

  /**
   * A record by components. {@code whole} is a variable that holds the same record unchanged
   * (a parameter, {@code this}), or null: passing it on then needs no new record.
   */
  record Rec(IrType type, Map<String, Value> components, Var whole) implements Value {
    public Rec {
      components = new LinkedHashMap<>(components);
    }
  }
}
