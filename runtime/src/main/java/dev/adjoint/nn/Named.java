package dev.adjoint.nn;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name a record component has in a state dict ({@link ModelTree}, {@link SafeTensors}),
 * where it differs from the component's Java name: PyTorch's snake_case names such as
 * {@code running_mean} or {@code in_proj_weight}. Without it the component's own name is used.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Named {
  /** The name, without dots. */
  String value();
}
