package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import java.util.List;

/**
 * Reverse mode of a call split in two, as JAX's {@code custom_vjp} splits {@code fwd} and
 * {@code bwd}: {@code forward} runs the callee once, recording what its reverse sweep needs, and
 * returns a record of its value and those residuals; {@code backward} takes the residuals and
 * the cotangent and returns the gradient. The caller keeps the residuals (on its tape in loops)
 * instead of running the callee again.
 *
 * @param forward {@code (args...)} returning {@code record}
 * @param backward {@code (residuals..., cotangent)} returning the gradient, like the VJP
 * @param record {@code value} first, then the residuals, in the order backward takes them
 * @param wrt argument positions of the call that the gradient is taken with respect to
 * @param gradComponents as in {@link Callee}
 * @param descriptions what each residual is, as the callee's source says it (for reports)
 */
public record Residuals(MethodRef forward, MethodRef backward, IrType record, List<Integer> wrt,
    List<String> gradComponents, List<String> descriptions) {
  /** The residual components, without the value. */
  public List<IrType.Component> kept() {
    return record.components().subList(1, record.components().size());
  }
}
