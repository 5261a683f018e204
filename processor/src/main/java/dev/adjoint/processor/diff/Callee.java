package dev.adjoint.processor.diff;

import dev.adjoint.processor.check.Message;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodRef;
import java.util.List;
import java.util.function.Predicate;

/**
 * A derivative of a called method, as a method to call.
 *
 * @param method the derivative method
 * @param wrt argument positions of the original call (receiver first) that it differentiates
 * @param gradComponents for a VJP returning a record of gradients, its component names (one per
 *     wrt position, in order); null when it returns the single gradient itself
 * @param splitCotangent for a VJP whose cotangent is a record: pass its components as separate
 *     arguments (a Hessian-vector product standing in for the VJP of a gradient)
 */
public record Callee(MethodRef method, List<Integer> wrt, List<String> gradComponents,
    boolean splitCotangent) {
  /** Refuses a differentiated argument in a position the callee does not differentiate. */
  static void requireDifferentiated(Expr.Call call, List<Integer> wrt, Predicate<Expr> active) {
    for (int i = 0; i < call.args().size(); i++) {
      if (!wrt.contains(i) && active.test(call.args().get(i))) {
        String p = call.method().parameterAt(i);
        String m = call.method().display();
        throw new DiffException(call.site(), Message.NOT_DIFFERENTIABLE_ARGUMENT, p, m, p, m, p);
      }
    }
  }
}
