package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import java.util.List;

/**
 * The tensor forms of what derivative code does with numbers: sums where null is zero, zeros
 * shaped like a value, and the seed of reverse mode. Calls into the runtime, so that higher
 * orders differentiate them through their rules.
 */
final class TensorCode {
  private static final String ADJOINTS = "dev.adjoint.ad.TensorAdjoints";
  private static final String TENSOR = "dev.adjoint.tensor.Tensor";

  private TensorCode() {}

  /** What a JVP rule of the adjoint bookkeeping does with its tangent, when that is known. */
  enum Shortcut { PASS, ZERO, CALL }

  /**
   * Sums of adjoints pass their tangents through, and where a seed or a zero fill takes its
   * shape from has no derivative: second-order code writes these inline instead of calling
   * (and allocating zeros for) them.
   */
  static Shortcut shortcut(MethodRef rule) {
    if (!rule.owner().toString().equals(ADJOINTS)) return Shortcut.CALL;
    switch (rule.name()) {
      case "addJvpA":
      case "addJvpB":
        return Shortcut.PASS;
      case "seedJvpOut":
      case "orZerosJvpLike":
        return Shortcut.ZERO;
      default:
        return Shortcut.CALL;
    }
  }

  /** {@code a + b} for numbers or tensors (null means zero). */
  static Expr plus(Derivatives lib, Expr a, Expr b) {
    IrType t = a != null ? a.type() : b != null ? b.type() : null;
    if (t == null || !t.isTensor()) return Alg.add(a, b);
    if (a == null) return b;
    if (b == null) return a;
    return new Expr.Call(lib.library(ADJOINTS, "add", 2), List.of(a, b));
  }

  /** Zeros shaped like {@code value}: 0, a zero array, a zero record, {@code zerosLike()}. */
  static Expr zeroLike(Derivatives lib, Expr value) {
    if (value.type().isTensor()) {
      // null stands for "ones like the result" (the seed of fGrad); its tangent is "none",
      // which seed's JVP reads as zero.
      if (Exprs.isNull(value)) return value;
      // orZeros(null, value): zeros like value, and null where value is null (an absent tensor)
      return orZeros(lib, new Expr.Const(null, IrType.TENSOR), value);
    }
    return Alg.zeroLike(value);
  }

  /**
   * A tangent that leaves the method (a JVP's result, an array element a rule reads) with its
   * tensors filled: inside generated code a null tensor tangent means zero, but users and rules
   * get zeros of the value's shape. {@code tangent} and {@code value} are atoms.
   */
  static Expr filled(Derivatives lib, Expr tangent, Expr value) {
    IrType t = value.type();
    if (t.isTensor()) return orZeros(lib, tangent, value);
    if (!t.isRecord() || !t.hasTensor() || !(tangent instanceof Expr.Ref)) return tangent;
    List<Expr> args = new java.util.ArrayList<>();
    for (IrType.Component c : t.components()) {
      Expr tc = new Expr.Get(tangent, c.name());
      args.add(c.type().isDifferentiable() ? filled(lib, tc, new Expr.Get(value, c.name())) : tc);
    }
    return new Expr.NewRecord(t, args);
  }


  /** The adjoint {@code bar}, or zeros like {@code like} where nothing flowed into it. */
  static Expr orZeros(Derivatives lib, Expr bar, Expr like) {
    return new Expr.Call(lib.library(ADJOINTS, "orZeros", 2), List.of(bar, like));
  }

  /** The cotangent reverse mode starts from (ones like a one-element result when null). */
  static Expr seed(Derivatives lib, Expr cotangent, Expr out) {
    return new Expr.Call(lib.library(ADJOINTS, "seed", 2), List.of(cotangent, out));
  }
}
