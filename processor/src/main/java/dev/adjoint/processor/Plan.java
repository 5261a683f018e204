package dev.adjoint.processor;

import com.palantir.javapoet.ClassName;
import dev.adjoint.processor.ir.IrType;
import java.util.List;
import javax.lang.model.element.ExecutableElement;

/**
 * What is known of a {@code @Differentiable} method from its signature alone: where its
 * derivatives go, and what they take and return. Bodies are read later; calls between methods
 * only need this.
 *
 * @param method the method
 * @param derivatives the generated class ({@code CDerivatives}, {@code Outer_InnerDerivatives})
 * @param params parameter types, the receiver first for an instance method
 * @param paramNames parameter names, {@code self} for the receiver
 * @param returnType the return type
 * @param wrt positions in {@code params} differentiated with respect to
 * @param gradType what {@code fGrad}/{@code fVjp} return
 * @param gradRecord the {@code FGrad} record's name when there are several wrt parameters
 */
record Plan(
    ExecutableElement method,
    ClassName derivatives,
    List<IrType> params,
    List<String> paramNames,
    IrType returnType,
    List<Integer> wrt,
    IrType gradType,
    String gradRecord) {

  String name() {
    return method.getSimpleName().toString();
  }

  /** double, float, or a tensor (which must then hold one element at run time). */
  boolean scalarResult() {
    return returnType.isFloating() || returnType.isTensor();
  }

  /** Whether tensors are involved: their rules are not differentiable yet, so no fHvp. */
  boolean involvesTensors() {
    if (returnType.hasTensor()) return true;
    for (IrType t : params) {
      if (t.hasTensor()) return true;
    }
    return false;
  }

  /** Gradient record components (wrt parameter names), or null for a single gradient. */
  List<String> gradComponents() {
    return gradRecord == null ? null : wrt.stream().map(paramNames::get).toList();
  }
}
