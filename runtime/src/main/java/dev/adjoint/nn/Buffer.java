package dev.adjoint.nn;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component as state that is saved with the model but not trained, as
 * PyTorch's {@code register_buffer} does ({@code BatchNorm}'s running statistics): optimizers
 * and gradient clipping leave its tensors alone, {@link SafeTensors} saves and loads them. On a
 * component that is a record, it covers every tensor inside.
 *
 * <pre>{@code
 * record BatchNorm(Tensor weight, Tensor bias,
 *     @Buffer @Named("running_mean") Tensor runningMean, ...) {}
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Buffer {}
