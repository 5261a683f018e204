package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes {@code break}, {@code continue} and early {@code return} by introducing boolean
 * flags, so that every loop and branch of the result is single-entry, single-exit. That is what
 * lets reverse mode undo control flow by recording only branch choices and trip counts. A method
 * whose only return is its last statement gets no flags at all.
 */
public final class ControlFlowLowering {
  private final Names names;
  private final Map<Stmt.Loop, Var> breakFlags = new HashMap<>();
  private final Map<Stmt.Loop, Var> continueFlags = new HashMap<>();
  private final List<Stmt.Loop> loops = new ArrayList<>();
  private Var result;
  private Var returned;

  private ControlFlowLowering(Names names) {
    this.names = names;
  }

  /** A function whose body is free of break, continue and early return. */
  public static Function lower(Function f) {
    List<Stmt> body = f.body();
    Names names = new Names(f.names());
    boolean simple = countReturns(body) == 1 && !body.isEmpty()
        && body.get(body.size() - 1) instanceof Stmt.Return && !hasJumps(body);
    if (simple) return f.withBody(body, names);
    ControlFlowLowering l = new ControlFlowLowering(names);
    l.result = names.newVar("result", f.returnType());
    l.returned = names.newVar("returned", IrType.BOOLEAN);
    List<Stmt> out = new ArrayList<>();
    int line = body.isEmpty() ? -1 : body.get(0).line();
    out.add(new Stmt.Assign(l.result, Expr.Const.zero(f.returnType()), line));
    out.add(new Stmt.Assign(l.returned, new Expr.Const(false, IrType.BOOLEAN), line));
    out.addAll(l.block(body, new LinkedHashSet<>()));
    int last = body.isEmpty() ? -1 : body.get(body.size() - 1).line();
    out.add(new Stmt.Return(Expr.ref(l.result), last));
    return f.withBody(out, names);
  }

  private static int countReturns(List<Stmt> body) {
    int[] n = {0};
    Stmts.forEachDeep(body, s -> {
      if (s instanceof Stmt.Return) n[0]++;
    });
    return n[0];
  }

  private static boolean hasJumps(List<Stmt> body) {
    boolean[] found = {false};
    Stmts.forEachDeep(body, s -> found[0] |= s instanceof Stmt.Break || s instanceof Stmt.Continue);
    return found[0];
  }

  /** Lowers a block; {@code exits} collects the flags its statements may set. */
  private List<Stmt> block(List<Stmt> stmts, Set<Var> exits) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < stmts.size(); i++) {
      Set<Var> own = new LinkedHashSet<>();
      out.addAll(stmt(stmts.get(i), own));
      exits.addAll(own);
      if (!own.isEmpty() && i + 1 < stmts.size()) {
        int line = stmts.get(i + 1).line();
        Expr go = guard(own, out, line);
        List<Stmt> rest = block(stmts.subList(i + 1, stmts.size()), exits);
        out.add(new Stmt.If(go, rest, List.of(), line));
        return out;
      }
    }
    return out;
  }

  /** Appends {@code g = !(f1 | f2 | ...)} and returns g. */
  private Expr guard(Set<Var> flags, List<Stmt> out, int line) {
    Expr any = null;
    for (Var f : flags) {
      any = any == null ? Expr.ref(f) : new Expr.Binary(Expr.BinOp.OR, any, Expr.ref(f),
          IrType.BOOLEAN);
    }
    Var g = names.newVar("go", IrType.BOOLEAN);
    out.add(new Stmt.Assign(g, new Expr.Unary(Expr.UnOp.NOT, any, IrType.BOOLEAN), line));
    return Expr.ref(g);
  }

  private List<Stmt> stmt(Stmt s, Set<Var> exits) {
    if (s instanceof Stmt.Return) {
      Stmt.Return r = (Stmt.Return) s;
      exits.add(returned);
      return List.of(new Stmt.Assign(result, r.value(), r.line()),
          new Stmt.Assign(returned, new Expr.Const(true, IrType.BOOLEAN), r.line()));
    }
    if (s instanceof Stmt.Break) {
      Stmt.Loop target = target(((Stmt.Break) s).label());
      Var flag = breakFlags.computeIfAbsent(target, t -> names.newVar("broke", IrType.BOOLEAN));
      exits.add(flag);
      return List.of(new Stmt.Assign(flag, new Expr.Const(true, IrType.BOOLEAN), s.line()));
    }
    if (s instanceof Stmt.Continue) {
      Stmt.Loop target = target(((Stmt.Continue) s).label());
      Var flag = continueFlags.computeIfAbsent(target,
          t -> names.newVar("skip", IrType.BOOLEAN));
      exits.add(flag);
      return List.of(new Stmt.Assign(flag, new Expr.Const(true, IrType.BOOLEAN), s.line()));
    }
    if (s instanceof Stmt.If) {
      Stmt.If i = (Stmt.If) s;
      return List.of(new Stmt.If(i.cond(), block(i.then(), exits), block(i.otherwise(), exits),
          i.line()));
    }
    if (s instanceof Stmt.Loop) return loop((Stmt.Loop) s, exits);
    return List.of(s);
  }

  private Stmt.Loop target(String label) {
    for (int i = loops.size() - 1; i >= 0; i--) {
      if (label == null || label.equals(loops.get(i).label())) return loops.get(i);
    }
    throw new IllegalStateException("no loop for label " + label);
  }

  private List<Stmt> loop(Stmt.Loop l, Set<Var> outerExits) {
    loops.add(l);
    Set<Var> headExits = new LinkedHashSet<>();
    List<Stmt> head = block(l.head(), headExits);
    Set<Var> bodyExits = new LinkedHashSet<>();
    List<Stmt> body = block(l.body(), bodyExits);
    Set<Var> updateExits = new LinkedHashSet<>();
    List<Stmt> update = block(l.update(), updateExits);
    loops.remove(loops.size() - 1);
    Var brk = breakFlags.get(l);
    Var cont = continueFlags.get(l);

    Set<Var> stop = new LinkedHashSet<>(bodyExits);
    stop.addAll(updateExits);
    stop.addAll(headExits);
    if (cont != null) stop.remove(cont);
    List<Stmt> out = new ArrayList<>();
    if (brk != null) {
      out.add(new Stmt.Assign(brk, new Expr.Const(false, IrType.BOOLEAN), l.line()));
    }
    if (cont != null) {
      out.add(new Stmt.Assign(cont, new Expr.Const(false, IrType.BOOLEAN), l.line()));
    }
    List<Stmt> newHead = head;
    Expr cond = l.cond();
    if (!stop.isEmpty()) {
      newHead = new ArrayList<>();
      Expr go = guard(stop, newHead, l.line());
      if (head.isEmpty() && isTrue(cond)) {
        cond = go;
      } else {
        Var c = names.newVar("more", IrType.BOOLEAN);
        List<Stmt> then = new ArrayList<>(head);
        then.add(new Stmt.Assign(c, cond, l.line()));
        newHead.add(new Stmt.If(go, then, List.of(new Stmt.Assign(c,
            new Expr.Const(false, IrType.BOOLEAN), l.line())), l.line()));
        cond = Expr.ref(c);
      }
    }
    List<Stmt> newBody = new ArrayList<>();
    if (cont != null) {
      newBody.add(new Stmt.Assign(cont, new Expr.Const(false, IrType.BOOLEAN), l.line()));
    }
    newBody.addAll(body);
    Set<Var> beforeUpdate = new LinkedHashSet<>(bodyExits);
    if (cont != null) beforeUpdate.remove(cont);
    if (!update.isEmpty()) {
      if (beforeUpdate.isEmpty()) {
        newBody.addAll(update);
      } else {
        int line = update.get(0).line();
        Expr go = guard(beforeUpdate, newBody, line);
        newBody.add(new Stmt.If(go, update, List.of(), line));
      }
    }
    out.add(new Stmt.Loop(newHead, cond, newBody, List.of(), null, l.line()));
    for (Var f : stop) {
      if (f != brk) outerExits.add(f);
    }
    return out;
  }

  private static boolean isTrue(Expr e) {
    return e instanceof Expr.Const && Boolean.TRUE.equals(((Expr.Const) e).value());
  }
}
