package dev.adjoint.tests.gradbench;

import java.util.function.Supplier;

/**
 * One GradBench eval as this tool implements it: for a function name and its input, the
 * computation to time. Preparing (reading the input into arrays) is not timed, as in the C++
 * tools' {@code prepare}; the returned supplier is the work, and its result the JSON output.
 * The input is what the message carries: a number for {@code hello}, an object for the others.
 */
interface Eval {
  /** The computation of {@code function} on {@code input}, or null for an unknown function. */
  Supplier<Object> prepare(String function, Object input);
}
