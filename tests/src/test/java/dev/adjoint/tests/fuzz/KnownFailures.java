package dev.adjoint.tests.fuzz;

import java.util.Map;

/**
 * Failures the fixed-seed fuzz tests are known to find, each with the reproducer that stands for
 * it. A failure listed here does not fail the build; any other does. Remove an entry when its
 * cause is fixed (the tests print entries that no longer fail). To see one minimized:
 * {@code mvn -q -pl tests exec:exec@fuzz -Dfuzz.seed=11 -Dfuzz.size=SMALL -Dfuzz.only=S43}
 * (scalar programs of {@link FuzzTest} use seed 11, tensor programs seed 12).
 */
final class KnownFailures {
  private KnownFailures() {}

  /** Keys: {@code <program>-<kind>-<variant>} as in {@link Fuzz.Found#id()}. */
  static final Map<String, String> SCALAR = Map.ofEntries(
      // F1: float Math.signum/abs/min/max rules at 2nd order: MathRulesDerivatives.SignumJvpGrad2
      // cannot be converted to SignumJvpGrad (float overload's gradient record)
      Map.entry("S43-uncompilable-float", "F1"));

  static final Map<String, String> TENSOR = Map.ofEntries(
      // F4: NullPointerException in tensor code at 2nd/3rd order (d1 = |fGrad|^2 or fJvp
      // tangent): a null tangent or adjoint reaches TensorRules / Tensor methods
      Map.entry("T1-runtime_exception-double", "F4"),
      Map.entry("T8-runtime_exception-double", "F4"),
      Map.entry("T9-runtime_exception-double", "F4"),
      Map.entry("T17-runtime_exception-double", "F4"),
      Map.entry("T18-runtime_exception-double", "F4"),
      Map.entry("T22-runtime_exception-double", "F4"),
      Map.entry("T24-runtime_exception-double", "F4"),
      Map.entry("T25-runtime_exception-double", "F4"),
      Map.entry("T31-runtime_exception-double", "F4"),
      Map.entry("T32-runtime_exception-double", "F4"),
      Map.entry("T36-runtime_exception-double", "F4"));

  /** Keys: {@code <method id>/<variant>/<kind>} as in {@link CorpusMatrix.Entry#key()}. */
  static final Map<String, String> MATRIX = Map.ofEntries(
      // F3: the gradient of a method over a record (the receiver) differentiated again:
      // [AdjointNoDerivativeParameter] on parameter '#n' of the generated fHvp
      Map.entry("Regressions.Affine.loss/1/double/refused", "F3"),
      Map.entry("Regressions.Affine.loss/1/float/refused", "F3"),
      Map.entry("Tensors.Mlp.loss/2/double/refused", "F3"),
      Map.entry("Tensors.Mlp.loss/2/float/refused", "F3"),
      Map.entry("Training.Net.loss/2/double/refused", "F3"),
      Map.entry("Training.Net.loss/2/float/refused", "F3"),
      // F5: fHvp of a method over a record nested in a record: the generated code passes the
      // inner record where the outer one is due (RegressionsD.Layer cannot be converted to Net)
      Map.entry("Regressions.nestedRecordArray/1/double/uncompilable", "F5"),
      Map.entry("Regressions.nestedRecordArray/1/float/uncompilable", "F5"),
      Map.entry("Regressions.nestedRecordFloatArray/1/double/uncompilable", "F5"),
      Map.entry("Regressions.nestedRecordFloatArray/1/float/uncompilable", "F5"),
      // not a bug: d2f is already a third derivative, so its order 3 is a fifth derivative of
      // sin, beyond the runtime jar's -Aadjoint.jarForwardOrder=3 ([AdjointNotInJar])
      Map.entry("HigherOrder.d2f/1/double/refused", "limit"),
      Map.entry("HigherOrder.d2f/1/float/refused", "limit"));
}
