package dev.adjoint.tests.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.adjoint.tests.processor.Snippets.compile;
import static dev.adjoint.tests.processor.Snippets.expectError;
import static dev.adjoint.tests.processor.Snippets.message;
import static dev.adjoint.tests.processor.Snippets.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/** Every error a user can hit: its tag, its line, and for some the whole message. */
class DiagnosticsTest {
  @Test
  void callWithoutDerivativeThatReachesTheResult() {
    Compilation c = expectError("AdjointNoDerivative", "NoRule", """
        final class NoRule {
          static double plain(double x) { return x * 2; }
          @Differentiable
          static double f(double x) {
            double y = x * x;
            return plain(y) + 1; // error
          }
        }
        """);
    assertEquals("[AdjointNoDerivative] NoRule.plain has no derivative, but its result depends on "
        + "the differentiated inputs and reaches the result of NoRule.f; annotate it "
        + "@Differentiable, declare @Jvp/@Vjp rules for it, or keep differentiated values out "
        + "of it", message(c));
  }

  @Test
  void callWithoutDerivativeThatDoesNotReachTheResultIsFine() {
    Compilation c = compile(source("Unused", """
        final class Unused {
          static double plain(double x) { return x * 2; }
          @Differentiable
          static double f(double x) {
            double unused = plain(x);
            System.out.println("x = " + x + ", " + unused);
            return x * x;
          }
        }
        """));
    assertThat(c).succeeded();
  }

  @Test
  void comparingReferencesOfDifferentTypes() {
    Compilation c = expectError("AdjointUnsupported", "Compare", """
        final class Compare {
          @Differentiable
          static double f(double x, @NoDerivative Object tag, @NoDerivative String name) {
            if (name == tag) { // error
              return x;
            }
            return name != null ? x * x : x;
          }
        }
        """);
    assertEquals("[AdjointUnsupported] comparing java.lang.String with java.lang.Object is not "
        + "supported inside a @Differentiable method; compare numbers, values of one type, or a "
        + "reference with null", message(c));
  }

  @Test
  void tryCatch() {
    Compilation c = expectError("AdjointUnsupported", "Try", """
        final class Try {
          @Differentiable
          static double f(double x) {
            try { // error
              return x;
            } catch (RuntimeException e) {
              return 0;
            }
          }
        }
        """);
    assertEquals("[AdjointUnsupported] try/catch is not supported inside a @Differentiable "
        + "method; move the code that may throw out of the method", message(c));
  }

  @Test
  void synchronizedBlock() {
    expectError("AdjointUnsupported", "Sync", """
        final class Sync {
          @Differentiable
          static double f(double x) {
            synchronized (Sync.class) { // error
              x = x * 2;
            }
            return x;
          }
        }
        """);
  }

  @Test
  void lambda() {
    expectError("AdjointUnsupported", "Lambda", """
        final class Lambda {
          @Differentiable
          static double f(double x) {
            java.util.function.DoubleUnaryOperator g = y -> y * x; // error
            return x;
          }
        }
        """);
  }

  @Test
  void typeDeclaredInsideAMethod() {
    Compilation c = expectError("AdjointUnsupported", "Local", """
        final class Local {
          @Differentiable
          static double f(double x) {
            record Point(double a, double b) {} // error
            return x * x;
          }
        }
        """);
    assertEquals("[AdjointUnsupported] a type declared inside a method is not supported inside "
        + "a @Differentiable method; declare it as a member of the class: generated derivatives "
        + "live in another class and cannot name it", message(c));
  }

  @Test
  void switchReturningFromItsCasesCompiles() {
    assertThat(compile(source("Switch", """
        final class Switch {
          @Differentiable
          static double f(double x, int k) {
            switch (k) {
              case 1: return x;
              default: return 2 * x;
            }
          }
        }
        """))).succeeded();
  }

  @Test
  void fieldWrite() {
    Compilation c = expectError("AdjointFieldWrite", "Field", """
        final class Field {
          static double last;
          @Differentiable
          static double f(double x) {
            last = x; // error
            return x * x;
          }
        }
        """);
    assertEquals("[AdjointFieldWrite] assigns field 'last'; a @Differentiable method may not "
        + "write fields, because the derivative could not follow the value; use a local "
        + "variable or return it", message(c));
  }

  @Test
  void writeToAParameterArray() {
    Compilation c = expectError("AdjointArrayWrite", "ArrayWrite", """
        final class ArrayWrite {
          @Differentiable
          static double f(double[] x) {
            x[0] = x[0] * 2; // error
            return x[0];
          }
        }
        """);
    assertEquals("[AdjointArrayWrite] writes to elements of 'x', which is not an array created "
        + "in this method; differentiated code may only write local arrays: copy it first "
        + "(double[] copy = x.clone())", message(c));
  }

  @Test
  void opaqueCallThatMayChangeADifferentiatedArray() {
    Compilation c = expectError("AdjointOpaqueArray", "Shift", """
        final class Shift {
          static void rotate(double[] v) { double t = v[0]; v[0] = v[1]; v[1] = t; }
          @Differentiable
          static double f(double[] x) {
            double[] y = x.clone();
            rotate(y); // error
            return y[1];
          }
        }
        """);
    assertEquals("[AdjointOpaqueArray] Shift.rotate receives array 'y', whose values are "
        + "differentiated, and may change it without a derivative; copy the values it needs "
        + "into a new array first, or declare rules", message(c));
  }

  @Test
  void opaqueCallReturningAValueMayStillChangeTheArray() {
    Compilation c = expectError("AdjointOpaqueArray", "Scale", """
        final class Scale {
          static double normalize(double[] v) { v[0] = 1; return v.length; }
          @Differentiable
          static double f(double[] x) {
            double[] y = x.clone();
            double n = normalize(y); // error
            return y[0] * y[1];
          }
        }
        """);
    assertEquals("[AdjointOpaqueArray] Scale.normalize receives array 'y', whose values are "
        + "differentiated, and may change it without a derivative; copy the values it needs "
        + "into a new array first, or declare rules", message(c));
  }

  @Test
  void nonDifferentiableReturnType() {
    Compilation c = expectError("AdjointReturnType", "Ret", """
        final class Ret {
          @Differentiable
          static int f(double x) { // error
            return (int) x;
          }
        }
        """);
    assertEquals("[AdjointReturnType] cannot differentiate Ret.f: its return type int is not "
        + "differentiable; return double, float, double[], float[], Tensor or a record of these",
        message(c));
  }

  @Test
  void noDifferentiableParameter() {
    expectError("AdjointNoInputs", "NoInputs", """
        final class NoInputs {
          @Differentiable
          static double f(int n) { // error
            return n;
          }
        }
        """);
  }

  @Test
  void wrtNamesNoParameter() {
    Compilation c = expectError("AdjointWrt", "Wrt", """
        final class Wrt {
          @Differentiable(wrt = "z")
          static double f(double x, double y) { // error
            return x * y;
          }
        }
        """);
    assertEquals("[AdjointWrt] wrt names 'z', which is not a differentiable parameter of "
        + "Wrt.f; choose among: x, y", message(c));
  }

  @Test
  void noBody() {
    expectError("AdjointNoBody", "NoBody", """
        abstract class NoBody {
          @Differentiable
          abstract double f(double x); // error
        }
        """);
  }

  @Test
  void unresolvedMethod() {
    expectError("AdjointUnresolved", "Unresolved", """
        final class Unresolved {
          @Differentiable
          static double f(double x) {
            return nowhere(x); // error
          }
        }
        """);
  }

  @Test
  void activeValueIntoNoDerivativeParameter() {
    Compilation c = expectError("AdjointNoDerivativeParameter", "NoDeriv", """
        final class NoDeriv {
          @Differentiable
          static double g(double x, @NoDerivative double scale) { return x * scale; }
          @Differentiable
          static double f(double x) {
            return g(x, x * x); // error
          }
        }
        """);
    assertEquals("[AdjointNoDerivativeParameter] the argument for parameter 'scale' of NoDeriv.g "
        + "depends on the differentiated inputs, but 'scale' is not differentiated "
        + "(@NoDerivative or not in wrt), so its derivative would be dropped; differentiate "
        + "NoDeriv.g with respect to 'scale' or pass a value that does not depend on the inputs",
        message(c));
  }

  @Test
  void ruleWithWrongSignature() {
    Compilation c = expectError("AdjointRuleSignature", "BadRule", """
        final class BadRule {
          static double softplus(double x) { return Math.log1p(Math.exp(x)); }
          @Vjp(of = "softplus", wrt = "x")
          static float softplusVjp(double x, double out, double cotangent) { // error
            return 0f;
          }
        }
        """);
    assertEquals("[AdjointRuleSignature] rule softplusVjp for BadRule.softplus must have "
        + "parameters (double x, double out, double cotangent) and return static double",
        message(c));
  }

  @Test
  void ruleForNoSuchMethod() {
    expectError("AdjointRuleTarget", "NoTarget", """
        final class NoTarget {
          @Jvp(of = "missing", wrt = "x")
          static double missingJvp(double x, double out, double tx) { // error
            return tx;
          }
        }
        """);
  }

  @Test
  void ruleWithUnknownWrt() {
    expectError("AdjointRuleWrt", "RuleWrt", """
        final class RuleWrt {
          static double sq(double x) { return x * x; }
          @Jvp(of = "sq", wrt = "q")
          static double sqJvp(double x, double out, double tx) { // error
            return 2 * x * tx;
          }
        }
        """);
  }

  @Test
  void onlyReverseRuleUsedInForwardMode() {
    Compilation c = expectError("AdjointNoJvpRule", "VjpOnly", """
        final class VjpOnly {
          static double sq(double x) { return x * x; }
          @Vjp(of = "sq", wrt = "x")
          static double sqVjp(double x, double out, double cotangent) { return 2 * x * cotangent; }
          @Differentiable
          static double f(double x) {
            return sq(x) + 1; // error
          }
        }
        """);
    assertEquals("[AdjointNoJvpRule] VjpOnly.sq has only a @Vjp rule for argument 'x'; forward "
        + "mode (fJvp, fHvp) needs a @Jvp rule too", message(c));
  }

  @Test
  void onlyForwardRuleForAnArrayUsedInReverseMode() {
    expectError("AdjointNoVjpRule", "JvpOnly", """
        final class JvpOnly {
          static double total(double[] a) { double s = 0; for (double v : a) s += v; return s; }
          @Jvp(of = "total", wrt = "a")
          static double totalJvp(double[] a, double out, double[] ta) { return total(ta); }
          @Differentiable
          static double f(double[] x) {
            return total(x) * 2; // error
          }
        }
        """);
  }

  @Test
  void reverseModeThroughAGeneratedReverseMode() {
    Compilation c = expectError("AdjointReverseOfReverse", "Rev", """
        final class Rev {
          @Differentiable
          static double f(double[] x) { return Math.sin(x[0]) * x[1]; }
          @Differentiable
          static double h(double[] x) {
            return RevDerivatives.fVjp(x, 2.0)[0]; // error
          }
        }
        """);
    assertEquals("[AdjointReverseOfReverse] reverse mode through RevDerivatives.fVjp is not "
        + "supported: it is itself a derivative whose reverse mode is not generated (those of "
        + "functions from numbers to numbers are reversed through forward mode; this one takes "
        + "or returns arrays, tensors or records of them); call RevDerivatives.fGrad instead (the "
        + "reverse mode of a gradient is its Hessian-vector product), or differentiate in forward "
        + "mode", message(c));
  }

  @Test
  void thirdOrderThroughARecordOfArraysWhoseReverseRunsALoop() {
    // A record of numbers is reversed through forward mode (RegressionsTest); one holding an
    // array is not: refused once, at the method whose derivatives need it.
    Compilation c = expectError("AdjointReverseOfReverse", "Third", """
        final class Third {
          record R(double[] a, double b) {}
          @Differentiable
          static R h0(double x, double y) {
            for (int i = 0; i < y; i += 2) x = x * i;
            return new R(new double[] {x * y}, x + y);
          }
          @Differentiable
          static double h1(double x) { return h0(x, 1.0).a()[0] * x; }
          @Differentiable
          static double f(double x) { return ThirdDerivatives.h1Grad(x) * x; }
          @Differentiable
          static double d1(double x) { // error
            return ThirdDerivatives.fJvp(x, 1.0).tangent();
          }
        }
        """);
    assertEquals("[AdjointReverseOfReverse] reverse mode through ThirdDerivatives.h0VjpJvp is "
        + "not supported: it is itself a derivative whose reverse mode is not generated (those "
        + "of functions from numbers to numbers are reversed through forward mode; this one "
        + "takes or returns arrays, tensors or records of them); differentiate the calling "
        + "method in forward mode, or call the function itself and take derivatives of the "
        + "caller", message(c));
  }

  @Test
  void opaqueCallThatWritesDifferentiatedValuesIntoAnArray() {
    Compilation c = expectError("AdjointOpaqueEffect", "Squares", """
        final class Squares {
          static void squares(double[] out, double x) { out[0] = x * x; }
          @Differentiable
          static double f(double x) {
            double[] buf = new double[1];
            squares(buf, x); // error
            return buf[0];
          }
        }
        """);
    assertEquals("[AdjointOpaqueEffect] Squares.squares has no derivative and receives 'x', "
        + "which depends on the differentiated inputs, together with 'buf', where it may keep "
        + "it (an array or object that reaches the result), so the derivative would be lost; "
        + "compute that value inside the @Differentiable method, annotate Squares.squares "
        + "@Differentiable, or declare @Jvp/@Vjp rules", message(c));
  }

  @Test
  void opaqueObjectThatAccumulatesDifferentiatedValues() {
    Compilation c = expectError("AdjointOpaqueEffect", "Accumulate", """
        final class Accumulate {
          static final class Acc {
            double total;
            void add(double v) { total += v; }
            double total() { return total; }
          }
          @Differentiable
          static double f(double x, @NoDerivative Acc acc) {
            acc.add(x * x); // error
            return acc.total() + x;
          }
        }
        """);
    assertThat(c).hadErrorContaining("receives 'x * x'");
    assertThat(c).hadErrorContaining("together with 'acc'");
  }

  @Test
  void boxedAndPrintedNumbersLoseTheirDerivative() {
    expectError("AdjointNoDerivative", "Boxed", """
        final class Boxed {
          @Differentiable
          static double f(double x) {
            return Double.valueOf(x).doubleValue() * x; // error
          }
        }
        """);
    Compilation c = expectError("AdjointNoDerivative", "Printed", """
        final class Printed {
          @Differentiable
          static double f(double x) {
            String s = "" + x;
            return Double.parseDouble(s) * x; // error
          }
        }
        """);
    assertThat(c).hadErrorContaining("Double.parseDouble has no derivative");
  }

  @Test
  void opaqueCallsOnValuesThatDoNotReachTheResultAreFine() {
    Compilation c = compile(source("Harmless", """
        final class Harmless {
          @Differentiable
          static double f(double x, @NoDerivative java.util.List<Double> log) {
            log.add(x);
            StringBuilder b = new StringBuilder();
            b.append(x);
            System.out.println(b);
            return x * x;
          }
        }
        """));
    assertThat(c).succeeded();
  }

  @Test
  void overloadsWhoseDerivativesWouldClash() {
    Compilation c = expectError("AdjointDerivativeClash", "Clash", """
        final class Clash {
          @Differentiable
          static double loss(double w, double b) { return w * w + b; }
          @Differentiable
          static double loss(double w, @NoDerivative double lr, @NoDerivative double reg) { // error
            return w * w * lr + reg;
          }
        }
        """);
    assertEquals("[AdjointDerivativeClash] the derivatives of Clash.loss(double, double, double) "
        + "and of Clash.loss(double, double) would both be generated as "
        + "ClashDerivatives.lossJvp(double, double, double, double), so one would stand for the "
        + "other; rename one of the methods", message(c));
  }

  @Test
  void recordWhoseConstructorChangesAComponent() {
    Compilation c = expectError("AdjointType", "Clamp", """
        final class Clamp {
          record Clamped(double v) {
            Clamped {
              if (v < 0) v = 0;
            }
          }
          @Differentiable
          static double f(double a) {
            return new Clamped(a).v() * a; // error
          }
        }
        """);
    assertEquals("[AdjointType] a value of type demo.Clamp.Clamped of Clamp.f cannot be "
        + "differentiated: record Clamped's constructor changes component 'v' (Clamp.java:5), "
        + "and tangents and gradients of Clamped are built with it too; change the value in a "
        + "static factory method instead (static Clamped of(...) { ... return new Clamped(...); "
        + "}), made @Differentiable", message(c));
  }

  @Test
  void recordThatOverridesAnAccessor() {
    Compilation c = expectError("AdjointType", "Twice", """
        final class Twice {
          record Doubled(double v) {
            public double v() { return 2 * v; }
          }
          @Differentiable
          static double f(Doubled d) { // error
            return d.v() * d.v();
          }
        }
        """);
    assertThat(c).hadErrorContaining("record Doubled declares accessor v() (Twice.java:5)");
  }

  @Test
  void recordsThatOnlyValidateAreFine() {
    Compilation c = compile(source("Checked", """
        final class Checked {
          record Weights(double[] w, double b) {
            Weights {
              java.util.Objects.requireNonNull(w);
              if (w.length == 0) throw new IllegalArgumentException("empty");
            }
          }
          @Differentiable
          static double f(Weights m) {
            return m.w()[0] * m.b();
          }
        }
        """));
    assertThat(c).succeeded();
  }

  @Test
  void arraysOfArraysAreRefusedUnlessConstant() {
    Compilation c = expectError("AdjointType", "Matrix", """
        final class Matrix {
          @Differentiable
          static double f(double x, double[][] m) { // error
            return x * m[0][0];
          }
        }
        """);
    assertEquals("[AdjointType] parameter 'm' of Matrix.f cannot be differentiated: double[][] "
        + "is an array of arrays; use a flat double[] with computed indices, or a Tensor; or "
        + "mark it @NoDerivative to use it as a constant", message(c));
    assertThat(compile(source("Constant", """
        final class Constant {
          @Differentiable
          static double f(double x, @NoDerivative double[][] m) {
            return x * m[0][1];
          }
        }
        """))).succeeded();
    Compilation inRecord = expectError("AdjointType", "Model", """
        final class Model {
          record Net(double[][] w, double b) {}
          @Differentiable
          static double f(Net n) { // error
            return n.b();
          }
        }
        """);
    assertThat(inRecord).hadErrorContaining("its component 'w': double[][] is an array of "
        + "arrays");
    Compilation ofRecords = expectError("AdjointType", "Layers", """
        final class Layers {
          record Layer(double w, double b) {}
          @Differentiable
          static double f(double x, Layer[] layers) { // error
            return x * layers[0].w();
          }
        }
        """);
    assertThat(ofRecords).hadErrorContaining("Layer[] is an array of records; use a record "
        + "whose components are arrays or tensors");
  }

  @Test
  void checkpointOnAMethodThatIsNotDifferentiable() {
    Compilation c = expectError("AdjointCheckpoint", "Ck", """
        final class Ck {
          @Checkpoint
          static double step(double x) { return x * x; } // error
          @Differentiable
          static double f(double x) { return step(2) * x; }
        }
        """);
    assertEquals("[AdjointCheckpoint] @Checkpoint on Ck.step, which is not @Differentiable, has "
        + "no effect: it chooses how reverse mode through a differentiated method keeps what it "
        + "needs; add @Differentiable or remove @Checkpoint", message(c));
  }
}
