package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.MethodRef;

/**
 * Derivatives of called methods that are differentiated as whole methods (source in this
 * compilation, generated, or in a jar), as the transforms need them. Rules are applied by the
 * transforms directly.
 */
public interface Derivatives {
  /** {@code (args..., tangent per wrt position)} returning {@code Dual<R>}. */
  Callee jvp(MethodRef method);

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
}
