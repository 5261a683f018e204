package dev.adjoint.processor.emit;

import dev.adjoint.processor.ir.Function;

/**
 * One method of a generated class: its function, its javadoc (or null), and whether its last
 * parameter is variable arity (the {@code fGrad} of a varargs method takes varargs too).
 */
public record GeneratedMethod(Function function, String javadoc, boolean varargs) {}
