package dev.adjoint.processor.diff;

import dev.adjoint.processor.ir.MethodRef;
import java.util.List;

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
    boolean splitCotangent) {}
