package dev.adjoint.processor.ir;

import com.palantir.javapoet.ClassName;
import java.util.List;

/**
 * One method in the intermediate form: a user's {@code @Differentiable} method as read, or a
 * method Adjoint generated from one. After normalization the body's last statement is its only
 * {@code Return}.
 *
 * @param owner the class the method is (or will be) a static member of
 * @param name the method name
 * @param params parameters, the receiver first (named {@code self}) for an instance method
 * @param wrt positions of the parameters the derivatives are taken with respect to
 * @param body the statements
 * @param names the names used in the body, for transforms to allocate fresh ones
 * @param sourceFile the file name that line comments refer to
 * @param symmetric true for a gradient function, whose Jacobian (a Hessian) is symmetric, so
 *     that its VJP is its JVP
 * @param usesTape true when the body pushes to a tape or runs a loop backwards (reverse mode of
 *     it is not supported: callers reverse it through its forward mode where they can)
 */
public record Function(
    ClassName owner,
    String name,
    List<Var> params,
    IrType returnType,
    List<Integer> wrt,
    List<Stmt> body,
    Names names,
    String sourceFile,
    boolean symmetric,
    boolean usesTape) {

  public List<Var> wrtParams() {
    return wrt.stream().map(params::get).toList();
  }

  public Function withBody(List<Stmt> newBody, Names newNames) {
    return new Function(owner, name, params, returnType, wrt, newBody, newNames, sourceFile,
        symmetric, usesTape);
  }
}
