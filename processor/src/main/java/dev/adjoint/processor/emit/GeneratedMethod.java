package dev.adjoint.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.Function;

/**
 * One method of a generated class: its function, its javadoc (or null), whether its last
 * parameter is variable arity (the {@code fGrad} of a varargs method takes varargs too), and
 * the statements it starts with (the arguments' declared shapes checked), or null.
 */
public record GeneratedMethod(Function function, String javadoc, boolean varargs,
    CodeBlock entryChecks) {
  public GeneratedMethod(Function function, String javadoc, boolean varargs) {
    this(function, javadoc, varargs, null);
  }
}
