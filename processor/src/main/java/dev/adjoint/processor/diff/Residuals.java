package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import java.util.List;

/**
 * Reverse mode of a call split in two, as JAX's {@code custom_vjp} splits {@code fwd} and
 * {@code bwd}: {@code forward} runs the callee once and returns its value, leaving what its
 * reverse sweep needs on the caller's tape; {@code backward} pops those residuals and, with the
 * cotangent, adds the gradient. The caller passes its own tape to both, so a call records no
 * record and no tape of its own (a recursive helper called a million times allocates nothing
 * per call), and its reverse sweep neither reruns the callee nor pops its residuals itself.
 *
 * @param forward {@code (args..., tape)} returning the callee's value
 * @param backward {@code (tape, adjoints..., cotangent)} returning the gradient, like the VJP;
 *     {@code adjoints} are the adjoint arrays of the array parameters (see {@link #inPlace}),
 *     which the caller passes in and the backward adds into
 * @param kept the residuals the forward leaves on the tape, in the order it pushes them (empty
 *     where unknown: a method from a jar)
 * @param wrt argument positions of the call that the gradient is taken with respect to
 * @param gradComponents as in {@link Callee}
 * @param descriptions what each residual is, as the callee's source says it (for reports)
 */
public record Residuals(MethodRef forward, MethodRef backward, List<IrType.Component> kept,
    List<Integer> wrt, List<String> gradComponents, List<String> descriptions) {
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
}
