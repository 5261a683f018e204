package dev.adjoint.processor.check;

/**
 * Every diagnostic the processor reports, with a stable tag so that users and tests can find it.
 * Messages say what went wrong and what to do.
 */
public enum Message {
  NOT_JAVAC("AdjointNeedsJavac",
      "Adjoint's processor reads method bodies through javac's Trees API, which this compiler "
          + "environment (%s) does not provide; compile with javac (Maven, Gradle without "
          + "wrapping, or javac directly)"),
  NO_BODY("AdjointNoBody",
      "@Differentiable method %s has no body to differentiate; give it a body, or declare its "
          + "derivatives with @Jvp/@Vjp rules on a method that has one"),
  RETURN_TYPE("AdjointReturnType",
      "cannot differentiate %s: its return type %s is not differentiable; return double, "
          + "float, double[], float[], Tensor or a record of these"),
  NOTHING_TO_DIFFERENTIATE("AdjointNoInputs",
      "%s has no differentiable parameter: every parameter is excluded or of a type without "
          + "derivatives (double, float, double[], float[], Tensor and records of these have "
          + "them)"),
  WRT_UNKNOWN("AdjointWrt",
      "wrt names '%s', which is not a differentiable parameter of %s; choose among: %s"),
  TYPE("AdjointType",
      "%s of %s cannot be differentiated: %s"),
  UNSUPPORTED("AdjointUnsupported",
      "%s is not supported inside a @Differentiable method; %s"),
  UNRESOLVED("AdjointUnresolved",
      "cannot resolve %s inside @Differentiable method %s; %s"),
  NO_DERIVATIVE("AdjointNoDerivative",
      "%s has no derivative, but its result depends on the differentiated inputs and reaches "
          + "the result of %s; annotate it @Differentiable, declare @Jvp/@Vjp rules for it, "
          + "or keep differentiated values out of it"),
  NOT_IN_JAR("AdjointNotInJar",
      "%s comes from a jar, and this derivative needs %s, which was not generated into it; "
          + "recompile the jar that holds %s with -A%s=%d (or higher)"),
  KEEPS_DIFFERENTIATED("AdjointOpaqueEffect",
      "%s has no derivative and receives '%s', which depends on the differentiated inputs, "
          + "together with '%s', where it may keep it (an array or object that reaches the "
          + "result), so the derivative would be lost; compute that value inside the "
          + "@Differentiable method, annotate %s @Differentiable, or declare @Jvp/@Vjp rules"),
  DERIVATIVE_CLASH("AdjointDerivativeClash",
      "the derivatives of %s and of %s would both be generated as %s, so one would stand for "
          + "the other; rename one of the methods"),
  NO_ARGUMENT_RULE("AdjointNoArgumentDerivative",
      "%s has no derivative with respect to '%s', but the argument passed there depends on the "
          + "differentiated inputs; %s"),
  OBJECT_LOSES_DERIVATIVE("AdjointObjectValue",
      "this reads a number out of a %s that holds values depending on the differentiated "
          + "inputs (boxed, or kept in a field or a collection), where no derivative follows; "
          + "keep such values in double, float, arrays, tensors or records"),
  CHECKPOINT_ALONE("AdjointCheckpoint",
      "@Checkpoint on %s, which is not @Differentiable, has no effect: it chooses how reverse "
          + "mode through a differentiated method keeps what it needs; add @Differentiable or "
          + "remove @Checkpoint"),
  MUTATES_ACTIVE_ARRAY("AdjointOpaqueArray",
      "%s receives array '%s', whose values are differentiated, and may change it without a "
          + "derivative; copy the values it needs into a new array first, or declare rules"),
  NO_JVP_RULE("AdjointNoJvpRule",
      "%s has only a @Vjp rule for argument '%s'; forward mode (fJvp, fHvp) needs a @Jvp rule "
          + "too"),
  NO_VJP_RULE("AdjointNoVjpRule",
      "%s has only a @Jvp rule for non-scalar argument '%s'; reverse mode (fGrad, fVjp) needs "
          + "a @Vjp rule too"),
  RULE_SIGNATURE("AdjointRuleSignature",
      "rule %s for %s must have parameters (%s) and return %s"),
  RULE_TARGET("AdjointRuleTarget",
      "%s rule %s names no method '%s' in %s with a matching signature"),
  RULE_WRT("AdjointRuleWrt",
      "%s rule %s has wrt = \"%s\", which is none of the rule's first %d parameters (%s)"),
  NOT_DIFFERENTIABLE_ARGUMENT("AdjointNoDerivativeParameter",
      "the argument for parameter '%s' of %s depends on the differentiated inputs, but '%s' is "
          + "not differentiated (@NoDerivative or not in wrt), so its derivative would be "
          + "dropped; differentiate %s with respect to '%s' or pass a value that does not depend "
          + "on the inputs"),
  ARRAY_WRITE("AdjointArrayWrite",
      "writes to elements of '%s', which is not an array created in this method; "
          + "differentiated code may only write local arrays: copy it first "
          + "(%s copy = %s.clone())"),
  FIELD_WRITE("AdjointFieldWrite",
      "assigns field '%s'; a @Differentiable method may not write fields, because the "
          + "derivative could not follow the value; use a local variable or return it"),
  REVERSE_THROUGH_TAPE("AdjointReverseOfReverse",
      "reverse mode through %s is not supported: it is itself a derivative whose reverse mode "
          + "is not generated (those of functions from numbers to numbers are reversed through "
          + "forward mode; this one takes or returns arrays, tensors or records of them); %s"),
  /** A shape mismatch proven at compile time (composed by the shape stage, per operation). */
  SHAPE("AdjointShape", "%s"),
  INTERNAL("AdjointInternal",
      "internal error while differentiating %s: %s; please report it with this method");

  private final String tag;
  private final String template;

  Message(String tag, String template) {
    this.tag = tag;
    this.template = template;
  }

  public String tag() {
    return tag;
  }

  public String format(Object... args) {
    return "[" + tag + "] " + String.format(template, args);
  }

  /** What to do instead of reverse mode through the derivative {@code name}. */
  public static String reverseAdvice(String name) {
    if (name.matches(".*(Vjp|ValueAndGrad|Hvp)$")) {
      return "call " + name.replaceAll("(Vjp|ValueAndGrad|Hvp)$", "Grad") + " instead (the "
          + "reverse mode of a gradient is its Hessian-vector product), or differentiate in "
          + "forward mode";
    }
    return "differentiate the calling method in forward mode, or call the function itself and "
        + "take derivatives of the caller";
  }
}
