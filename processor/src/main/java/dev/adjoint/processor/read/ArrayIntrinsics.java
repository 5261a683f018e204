package dev.adjoint.processor.read;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Arrays.fill} and {@code System.arraycopy} as the loops they are, so that derivatives
 * follow the values they move. A copy within one array keeps arraycopy's meaning (as if through
 * a temporary) by copying backwards when the target starts after the source. Out-of-range
 * arguments throw at the first bad index, after copying the elements before it (arraycopy
 * checks first); nothing else differs.
 */
final class ArrayIntrinsics {
  /** Writes {@code array[index] = value} the way the reader checks and records writes. */
  interface Stores {
    Stmt store(Var array, Expr index, Expr value);
  }

  private final Names names;
  private final Stores stores;
  private final int line;

  ArrayIntrinsics(Names names, Stores stores, int line) {
    this.names = names;
    this.stores = stores;
    this.line = line;
  }

  /** Whether {@code owner.name} with this many arguments is lowered here. */
  static boolean handles(String owner, String name, int arity) {
    return owner.equals("java.util.Arrays") && name.equals("fill") && (arity == 2 || arity == 4)
        || owner.equals("java.lang.System") && name.equals("arraycopy") && arity == 5;
  }

  /** The statements for a call that {@link #handles} says is lowered; arguments are atoms. */
  List<Stmt> lower(String name, List<Expr> args) {
    if (name.equals("arraycopy")) return arraycopy(args);
    Var array = var(args.get(0));
    Expr from = args.size() == 4 ? args.get(1) : zero();
    Expr to = args.size() == 4 ? args.get(2) : new Expr.ArrayLength(Expr.ref(array));
    Expr value = args.get(args.size() - 1);
    Var k = names.newVar("k", IrType.INT);
    List<Stmt> out = new ArrayList<>();
    out.add(new Stmt.Assign(k, from, line));
    out.add(loop(k, to, true, List.of(stores.store(array, Expr.ref(k), value))));
    return out;
  }

  private List<Stmt> arraycopy(List<Expr> args) {
    Var src = var(args.get(0));
    Expr sp = args.get(1);
    Var dst = var(args.get(2));
    Expr dp = args.get(3);
    Expr n = args.get(4);
    List<Stmt> forward = copy(src, sp, dst, dp, n, true);
    List<Stmt> backward = copy(src, sp, dst, dp, n, false);
    Var later = names.temp(IrType.BOOLEAN);
    return List.of(new Stmt.Assign(later, new Expr.Binary(Expr.BinOp.LT, sp, dp, IrType.BOOLEAN),
        line), new Stmt.If(Expr.ref(later), backward, forward, line));
  }

  private List<Stmt> copy(Var src, Expr sp, Var dst, Expr dp, Expr n, boolean up) {
    Var k = names.newVar("k", IrType.INT);
    Var from = names.temp(IrType.INT);
    Var to = names.temp(IrType.INT);
    Var element = names.temp(src.type().element());
    List<Stmt> body = List.of(
        new Stmt.Assign(from, add(sp, Expr.ref(k)), line),
        new Stmt.Assign(to, add(dp, Expr.ref(k)), line),
        new Stmt.Assign(element, new Expr.ArrayLoad(Expr.ref(src), Expr.ref(from)), line),
        stores.store(dst, Expr.ref(to), Expr.ref(element)));
    List<Stmt> out = new ArrayList<>();
    out.add(new Stmt.Assign(k, up ? zero()
        : new Expr.Binary(Expr.BinOp.SUB, n, new Expr.Const(1, IrType.INT), IrType.INT), line));
    out.add(loop(k, up ? n : new Expr.Const(-1, IrType.INT), up, body));
    return out;
  }

  /** {@code while (k < end) { body; k++ }}, or {@code while (k > end) { body; k-- }}. */
  private Stmt loop(Var k, Expr end, boolean up, List<Stmt> body) {
    Var more = names.temp(IrType.BOOLEAN);
    List<Stmt> head = List.of(new Stmt.Assign(more, new Expr.Binary(
        up ? Expr.BinOp.LT : Expr.BinOp.GT, Expr.ref(k), end, IrType.BOOLEAN), line));
    List<Stmt> update = List.of(new Stmt.Assign(k, new Expr.Binary(
        up ? Expr.BinOp.ADD : Expr.BinOp.SUB, Expr.ref(k), new Expr.Const(1, IrType.INT),
        IrType.INT), line));
    return new Stmt.Loop(head, Expr.ref(more), body, update, null, line);
  }

  private static Expr add(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinOp.ADD, a, b, IrType.INT);
  }

  private static Expr zero() {
    return new Expr.Const(0, IrType.INT);
  }

  private static Var var(Expr atom) {
    return ((Expr.Ref) atom).var();
  }
}
