package dev.adjoint.processor.diff;

import com.palantir.javapoet.ClassName;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of the generated {@code fJacobian} and {@code fHessian}: one differentiated
 * parameter x, built from the other generated derivatives. A Jacobian takes the cheaper of
 * forward mode (one vector JVP along the n basis directions of x) and reverse mode (one VJP per
 * output); a Hessian is the vector JVP of the gradient (forward over reverse).
 */
public final class JacobianCode {
  private static final String TANGENTS = "dev.adjoint.ad.Tangents";
  private static final String JACOBIANS = "dev.adjoint.ad.Jacobians";

  /**
   * The derivatives a Jacobian is built from.
   *
   * @param primal the function itself
   * @param jvp its {@code fJvp}
   * @param jvpN its {@code fJvpN}
   * @param vjp its {@code fVjp}
   * @param grad its {@code fGrad}, or null for a result that is not a scalar
   */
  public record Parts(MethodRef primal, MethodRef jvp, MethodRef jvpN, MethodRef vjp,
      MethodRef grad) {}

  private JacobianCode() {}

  /**
   * The type {@code fJacobian} returns for input x and result r (the result's dimensions
   * first, then the input's), or null where none is generated.
   */
  public static IrType jacobianType(IrType x, IrType r) {
    if (x.isFloating()) return r.isFloating() || r.isTensor() || floatArray(r) ? r : null;
    if (floatArray(x)) {
      if (r.isFloating()) return x; // the gradient
      return r.equals(x) ? IrType.arrayOf(x) : null;
    }
    if (x.isTensor()) return r.isFloating() || r.isTensor() ? IrType.TENSOR : null;
    return null;
  }

  /** The type {@code fHessian} returns for input x of a scalar function, or null. */
  public static IrType hessianType(IrType x) {
    if (x.isFloating()) return x;
    if (floatArray(x)) return IrType.arrayOf(x);
    if (x.isTensor()) return IrType.TENSOR;
    return null;
  }

  private static boolean floatArray(IrType t) {
    return t.isArray() && t.element().isFloating();
  }

  /** {@code fJacobian(params...)}: {@code f}'s Jacobian with respect to its one wrt parameter. */
  public static Function jacobian(Function f, String name, ClassName owner, IrType type,
      Parts parts, Derivatives lib) {
    Names names = new Names(f.names());
    Var x = f.wrtParams().get(0);
    IrType r = parts.primal().returnType();
    int line = f.body().get(0).line();
    List<Stmt> body = new ArrayList<>();
    Var j = names.newVar("jacobian", type);
    if (x.type().isFloating()) {
      // one input: the JVP along 1 is the whole Jacobian
      Var d = names.newVar("dual", parts.jvp().returnType());
      body.add(new Stmt.Assign(d, call(parts.jvp(), f, Expr.Const.one(x.type())), line));
      body.add(new Stmt.Assign(j, new Expr.Get(Expr.ref(d), "tangent"), line));
    } else if (r.isFloating()) {
      body.add(new Stmt.Assign(j, call(parts.grad(), f, null), line)); // one output: gradient
    } else {
      Var y = names.newVar("value", r);
      body.add(new Stmt.Assign(y, call(parts.primal(), f, null), line));
      Var m = names.newVar("outputs", IrType.INT);
      Var n = names.newVar("inputs", IrType.INT);
      body.add(new Stmt.Assign(m, size(y, lib), line));
      body.add(new Stmt.Assign(n, size(x, lib), line));
      // forward: the columns, from one vector JVP along the basis of x
      List<Stmt> forward = new ArrayList<>();
      Var d = names.newVar("dual", parts.jvpN().returnType());
      Expr basis = runtime(lib, TANGENTS, "basis", Expr.ref(x));
      forward.add(new Stmt.Assign(d, call(parts.jvpN(), f, basis), line));
      Expr columns = new Expr.Get(Expr.ref(d), "tangents");
      Expr assembled = x.type().isTensor()
          ? runtime(lib, JACOBIANS, "fromColumns", columns, new Expr.Get(Expr.ref(d), "value"),
              Expr.ref(x))
          : runtime(lib, JACOBIANS, "fromColumns", columns, Expr.ref(m));
      forward.add(new Stmt.Assign(j, assembled, line));
      // reverse: the rows, one VJP per output
      List<Stmt> reverse = new ArrayList<>();
      IrType rowsType = IrType.arrayOf(x.type());
      Var rows = names.newVar("rows", rowsType);
      reverse.add(new Stmt.Assign(rows, new Expr.NewArray(rowsType, Expr.ref(m)), line));
      Var i = names.newVar("output", IrType.INT);
      Expr unit = runtime(lib, TANGENTS, "unit", Expr.ref(y), Expr.ref(i));
      Var row = names.newVar("row", x.type());
      reverse.add(new Stmt.Repeat(i, Expr.ref(m), List.of(
          new Stmt.Assign(row, call(parts.vjp(), f, unit), line),
          new Stmt.Store(rows, Expr.ref(i), Expr.ref(row), line)), line));
      if (x.type().isTensor()) {
        reverse.add(new Stmt.Assign(j, runtime(lib, JACOBIANS, "fromRows", Expr.ref(rows),
            Expr.ref(y), Expr.ref(x)), line));
      } else {
        reverse.add(new Stmt.Assign(j, Expr.ref(rows), line));
      }
      body.add(new Stmt.If(new Expr.Binary(Expr.BinOp.LE, Expr.ref(n), Expr.ref(m),
          IrType.BOOLEAN), forward, reverse, line));
    }
    body.add(new Stmt.Return(Expr.ref(j), line));
    return new Function(owner, name, f.params(), type, f.wrt(), body, names, f.sourceFile(),
        false, false);
  }

  /**
   * {@code fHessian(params...)}: for a scalar x, {@code fHvp(params..., 1)}; else the vector JVP
   * of {@code fGrad} along the basis of x ({@code gradJvpN}).
   */
  public static Function hessian(Function f, String name, ClassName owner, IrType type,
      MethodRef hvp, MethodRef gradJvpN, Derivatives lib) {
    Names names = new Names(f.names());
    Var x = f.wrtParams().get(0);
    int line = f.body().get(0).line();
    List<Stmt> body = new ArrayList<>();
    Var h = names.newVar("hessian", type);
    if (x.type().isFloating()) {
      body.add(new Stmt.Assign(h, call(hvp, f, Expr.Const.one(x.type())), line));
    } else {
      Var d = names.newVar("dual", gradJvpN.returnType());
      Expr basis = runtime(lib, TANGENTS, "basis", Expr.ref(x));
      body.add(new Stmt.Assign(d, call(gradJvpN, f, basis), line));
      Expr columns = new Expr.Get(Expr.ref(d), "tangents");
      if (x.type().isTensor()) {
        // H e_j is column j; the Hessian of a scalar is symmetric, so rows and columns agree
        body.add(new Stmt.Assign(h, runtime(lib, JACOBIANS, "fromColumns", columns,
            Expr.ref(x), Expr.ref(x)), line));
      } else {
        body.add(new Stmt.Assign(h, columns, line));
      }
    }
    body.add(new Stmt.Return(Expr.ref(h), line));
    return new Function(owner, name, f.params(), type, f.wrt(), body, names, f.sourceFile(),
        false, false);
  }

  /** {@code method(params..., extra)}, extra left out when null. */
  private static Expr call(MethodRef method, Function f, Expr extra) {
    List<Expr> args = new ArrayList<>();
    for (Var p : f.params()) args.add(Expr.ref(p));
    if (extra != null) args.add(extra);
    return new Expr.Call(method, args);
  }

  /** A call of the runtime's {@code cls.method} overload that takes these arguments' types. */
  private static Expr runtime(Derivatives lib, String cls, String method, Expr... args) {
    List<Expr> list = List.of(args);
    return new Expr.Call(lib.library(cls, method, list.stream().map(Expr::type).toList()), list);
  }

  /** The number of elements of an array or a tensor. */
  private static Expr size(Var v, Derivatives lib) {
    if (v.type().isTensor()) {
      return new Expr.Call(lib.library("dev.adjoint.tensor.Tensor", "numel", 0),
          List.of(Expr.ref(v)));
    }
    return new Expr.ArrayLength(Expr.ref(v));
  }
}
