package dev.adjoint.processor.read;

import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** What the reader asks the rest of the processor about called methods. */
public interface CallTargets {
  /** The reference to an existing method, with how it is differentiated. */
  MethodRef method(ExecutableElement method);

  /**
   * A call to a derivative Adjoint generates in this compilation ({@code FDerivatives.fGrad}),
   * which does not exist yet while bodies are read; null when no such derivative exists.
   */
  MethodRef generated(TypeElement base, String methodName, List<IrType> argumentTypes);

  /** A record Adjoint generates in this compilation ({@code FDerivatives.FGrad}), or null. */
  IrType generatedType(TypeElement base, String name);
}
