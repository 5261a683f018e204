package dev.adjoint.processor.ir;

import com.palantir.javapoet.TypeName;
import java.util.List;
import java.util.function.Supplier;

/** How a called method is differentiated. */
public sealed interface Target {

  /** No derivative known: an error if an active value flows through it. */
  record Opaque() implements Target {}

  /**
   * Declared rules, one per argument position (null where that argument has none). A scalar JVP
   * rule also serves as the VJP rule (a 1x1 linear map is its own transpose).
   */
  record Rules(List<MethodRef> jvp, List<MethodRef> vjp) implements Target {}

  /**
   * A method whose body Adjoint differentiates in this compilation (user source, or a function
   * Adjoint generated): its intermediate form is looked up when a derivative is needed, so that
   * recursion and calls between classes resolve lazily.
   */
  record Source(Supplier<Function> function) implements Target {}

  /**
   * A {@code @Differentiable} method compiled into a jar: its derivatives are the generated
   * {@code <m>Jvp} and {@code <m>Vjp} methods of {@code derivatives}. {@code wrt} lists the
   * argument positions (receiver first) those methods differentiate.
   */
  record Jar(TypeName derivatives, List<Integer> wrt, IrType gradType) implements Target {}

  /**
   * The generated {@code fGrad} of a {@code @Differentiable} method {@code primal} compiled into
   * a jar: differentiated through the jar's {@code fVjpJvp...} (the JVP and the VJP of a
   * gradient are both a Hessian-vector product).
   */
  record JarGrad(MethodRef primal) implements Target {}
}
