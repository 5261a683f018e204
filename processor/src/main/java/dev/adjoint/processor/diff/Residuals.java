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
 * @param backward {@code (residuals..., adjoints..., cotangent)} returning the gradient, like the
 *     VJP; {@code adjoints} are the adjoint arrays of the array parameters (see
 *     {@link #inPlace}), which the caller passes in and the backward adds into
 * @param record {@code value} first, then the residuals, in the order backward takes them
 * @param wrt argument positions of the call that the gradient is taken with respect to
 * @param gradComponents as in {@link Callee}
 * @param descriptions what each residual is, as the callee's source says it (for reports)
 */
public record Residuals(MethodRef forward, MethodRef backward, IrType record, List<Integer> wrt,
    List<String> gradComponents, List<String> descriptions) {
  /**
   * The positions among {@code wrt} of the array parameters, whose gradient the backward adds
   * into an adjoint array the caller passes (its own, so that a helper reading a few elements
   * of a big array touches only those), in the order the backward takes them.
   */
  public static List<Integer> inPlace(List<IrType> parameterTypes, List<Integer> wrt) {
    List<Integer> out = new java.util.ArrayList<>();
    for (int j = 0; j < wrt.size(); j++) {
      if (parameterTypes.get(wrt.get(j)).isArray()) out.add(j);
    }
    return out;
  }

  /** The residual components, without the value. */
  public List<IrType.Component> kept() {
    return record.components().subList(1, record.components().size());
  }
}
