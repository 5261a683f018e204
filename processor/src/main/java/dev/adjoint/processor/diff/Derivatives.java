package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import java.util.List;

/**
 * Derivatives of called methods that are differentiated as whole methods (source in this
 * compilation, generated, or in a jar), as the transforms need them. Rules are applied by the
 * transforms directly.
 */
public interface Derivatives {
  /** {@code (args..., tangent per wrt position)} returning {@code Dual<R>}. */
  Callee jvp(MethodRef method);

  /**
   * The vector JVP: {@code (args..., T[] of tangents per wrt position)} returning {@code DualN<R,
   * R[]>}; null where there is none (a jar's method), and callers take one JVP per direction.
   */
  Callee jvpN(MethodRef method);

  /** {@code (args..., cotangent)} returning the gradient of the wrt positions. */
  Callee vjp(MethodRef method);

  /**
   * The call split into a forward that keeps residuals and a backward that uses them, or null
   * where the callee is recomputed instead (a rule, {@code @Checkpoint}, recursion, a jar
   * without the split methods).
   */
  Residuals residuals(MethodRef method);

  /** A runtime method generated code calls (with its rules), by class, name and arity. */
  MethodRef library(String className, String method, int parameters);

  /** A runtime method by class, name and parameter types (one overload of several). */
  MethodRef library(String className, String method, List<IrType> parameters);
}
