package dev.adjoint.processor.read;

import com.palantir.javapoet.ClassName;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import dev.adjoint.processor.check.Message;
import dev.adjoint.processor.check.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * Reads the body of one method into the intermediate form, typing every expression itself
 * (javac has not attributed bodies when processors run). Records are flattened into their
 * components; {@code &&}, {@code ||} and {@code ?:} become ifs; every call's result lands in a
 * temporary so that evaluation order is kept. Anything outside the supported subset is an error
 * at its exact position.
 */
public final class BodyReader {
  private final ExecutableElement method;
  private final TypeElement owner;
  private final CompilationUnitTree unit;
  private final SourcePositions positions;
  private final Reporter reporter;
  private final TypeResolver types;
  private final MethodLookup lookup;
  private final Names names = new Names();
  private final Deque<Map<String, Value>> scopes = new ArrayDeque<>();
  private final Set<Var> sharedArrays = new HashSet<>();
  private final Map<Var, Tree> arrayWrites = new LinkedHashMap<>();
  private final TypeContracts contracts;
  /** Where each local was declared (for the shape stage's {@code @Shape} on locals), or null. */
  private Map<Var, Site> localDeclarations;
  /** Labels of the loops being read, innermost first. */
  private final Deque<String> loopLabels = new ArrayDeque<>();
  /** Where the switch expressions being read put their values, innermost first. */
  private final Deque<SwitchValue> switchValues = new ArrayDeque<>();
  private List<Stmt> out = new ArrayList<>();
  private int line;
  private Value.Rec self;
  private IrType returnType;

  private BodyReader(ExecutableElement method, Trees trees, Reporter reporter, TypeResolver types,
      CallTargets targets, TypeContracts contracts) {
    this.contracts = contracts;
    this.method = method;
    this.owner = (TypeElement) method.getEnclosingElement();
    this.unit = trees.getPath(method).getCompilationUnit();
    this.positions = trees.getSourcePositions();
    this.reporter = reporter;
    this.types = types;
    this.lookup = new MethodLookup(types, targets, owner, unit);
  }

  /**
   * Reads {@code method}, whose tree must exist, into a function owned by {@code owner}. Throws
   * {@link Reporter.Abort} after reporting an error.
   */
  public static Function read(ExecutableElement method, MethodTree tree, ClassName owner,
      List<Integer> wrt, Trees trees, Reporter reporter, TypeResolver types,
      CallTargets targets, TypeContracts contracts) {
    return new BodyReader(method, trees, reporter, types, targets, contracts)
        .readMethod(tree, owner, wrt);
  }

  /** As {@link #read}, also putting where each local variable was declared into {@code locals}. */
  public static Function read(ExecutableElement method, MethodTree tree, ClassName owner,
      List<Integer> wrt, Trees trees, Reporter reporter, TypeResolver types,
      CallTargets targets, TypeContracts contracts, Map<Var, Site> locals) {
    BodyReader r = new BodyReader(method, trees, reporter, types, targets, contracts);
    r.localDeclarations = locals;
    return r.readMethod(tree, owner, wrt);
  }

  /**
   * The receiver's name in generated signatures and gradient records: {@code self}, or
   * {@code self_} when a parameter is already named {@code self}.
   */
  public static String receiverName(ExecutableElement m) {
    for (VariableElement v : m.getParameters()) {
      if (v.getSimpleName().contentEquals("self")) return "self_";
    }
    return "self";
  }

  private Function readMethod(MethodTree tree, ClassName generatedOwner, List<Integer> wrt) {
    line = lineOf(tree);
    scopes.push(new HashMap<>());
    List<Var> params = new ArrayList<>();
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      Var selfVar = declare(receiverName(method),
          types.of(owner.asType()));
      requireFlattenable(selfVar.type(), tree);
      params.add(selfVar);
      sharedArrays.add(selfVar);
      if (selfVar.type().isRecord()) self = unpack(selfVar);
    }
    for (int i = 0; i < method.getParameters().size(); i++) {
      VariableElement p = method.getParameters().get(i);
      IrType type = types.of(p.asType());
      requireFlattenable(type, tree.getParameters().get(i));
      Var v = declare(p.getSimpleName().toString(), type);
      params.add(v);
      sharedArrays.add(v);
      scopes.peek().put(p.getSimpleName().toString(), type.isRecord() ? unpack(v)
          : new Value.Plain(Expr.ref(v)));
    }
    returnType = types.of(method.getReturnType());
    readBlock(tree.getBody().getStatements());
    for (Map.Entry<Var, Tree> w : arrayWrites.entrySet()) {
      if (sharedArrays.contains(w.getKey())) {
        throw reporter.error(w.getValue(), unit, Message.ARRAY_WRITE, w.getKey().name(),
            w.getKey().type(), w.getKey().name());
      }
    }
    String file = unit.getSourceFile().getName();
    file = file.substring(file.lastIndexOf('/') + 1);
    return new Function(generatedOwner, method.getSimpleName().toString(), params, returnType,
        wrt, out, names, file, false, false);
  }

  // ---------------------------------------------------------------- statements

  private void readBlock(List<? extends StatementTree> statements) {
    scopes.push(new HashMap<>());
    for (StatementTree s : statements) readStatement(s);
    scopes.pop();
  }

  private List<Stmt> nested(Runnable reading) {
    List<Stmt> saved = out;
    out = new ArrayList<>();
    try {
      reading.run();
      return out;
    } finally {
      out = saved;
    }
  }

  private void readStatement(StatementTree s) {
    line = lineOf(s);
    switch (s.getKind()) {
      case VARIABLE:
        readLocal((VariableTree) s);
        return;
      case EXPRESSION_STATEMENT:
        readExpressionStatement(((ExpressionStatementTree) s).getExpression());
        return;
      case BLOCK:
        readBlock(((BlockTree) s).getStatements());
        return;
      case EMPTY_STATEMENT:
        return;
      case IF:
        readIf((IfTree) s);
        return;
      case WHILE_LOOP:
      case DO_WHILE_LOOP:
      case FOR_LOOP:
      case ENHANCED_FOR_LOOP:
        readLoop(s, null);
        return;
      case LABELED_STATEMENT: {
        LabeledStatementTree l = (LabeledStatementTree) s;
        if (!isLoop(l.getStatement())) {
          throw unsupported(s, "a label on something other than a loop", "label the loop");
        }
        readLoop(l.getStatement(), l.getLabel().toString());
        return;
      }
      case BREAK:
        out.add(new Stmt.Break(nameOrNull(((BreakTree) s).getLabel()), line));
        return;
      case CONTINUE: {
        String target = nameOrNull(((ContinueTree) s).getLabel());
        out.add(new Stmt.Continue(target != null ? target : loopLabels.peek(), line));
        return;
      }
      case YIELD:
        yieldValue((com.sun.source.tree.YieldTree) s);
        return;
      case RETURN: {
        ExpressionTree e = ((ReturnTree) s).getExpression();
        Expr value = pack(readExpr(e));
        out.add(new Stmt.Return(castTo(returnType, value), line));
        return;
      }
      case TRY:
        throw unsupported(s, "try/catch", "move the code that may throw out of the method");
      case SYNCHRONIZED:
        throw unsupported(s, "synchronized", "synchronize around the call instead");
      case SWITCH: {
        com.sun.source.tree.SwitchTree sw = (com.sun.source.tree.SwitchTree) s;
        readSwitch(sw.getExpression(), sw.getCases(), s, null);
        return;
      }
      case THROW: {
        // argument checks: derivatives check their arguments too
        ExpressionTree thrown = ((com.sun.source.tree.ThrowTree) s).getExpression();
        out.add(new Stmt.Throw(atom(plain(readExpr(thrown), thrown)), line));
        return;
      }
      case ASSERT:
        return; // never changes a value; generated derivatives do not evaluate it
      case CLASS:
      case INTERFACE:
      case ENUM:
      case RECORD:
        throw unsupported(s, "a type declared inside a method", "declare it as a member of "
            + "the class: generated derivatives live in another class and cannot name it");
      default:
        throw unsupported(s, "this statement (" + s.getKind() + ")",
            "rewrite it with locals, if/else and loops");
    }
  }

  private static boolean isLoop(StatementTree s) {
    switch (s.getKind()) {
      case WHILE_LOOP:
      case DO_WHILE_LOOP:
      case FOR_LOOP:
      case ENHANCED_FOR_LOOP:
        return true;
      default:
        return false;
    }
  }

  private static String nameOrNull(javax.lang.model.element.Name n) {
    return n == null ? null : n.toString();
  }

  private void readLocal(VariableTree v) {
    String name = v.getName().toString();
    IrType declared = v.getType() == null ? null : typeVariable(v.getType());
    if (declared == null && v.getType() != null) declared = lookup.generatedType(v.getType());
    if (declared == null && v.getType() != null && !"var".equals(v.getType().toString())) {
      declared = types.resolve(v.getType(), owner, unit);
    }
    if (v.getType() != null && declared == null && !"var".equals(v.getType().toString())) {
      throw reporter.error(v.getType(), unit, Message.UNRESOLVED, "type " + v.getType(),
          methodName(), "import it or check its spelling");
    }
    Value init = null;
    if (v.getInitializer() != null) {
      init = v.getInitializer() instanceof NewArrayTree && declared != null
          ? readNewArray((NewArrayTree) v.getInitializer(), declared)
          : readExpr(v.getInitializer());
    }
    if (declared != null && Typing.unboxed(declared) != null && init != null
        && init.type().isPrimitive()) {
      declared = Typing.unboxed(declared); // Double d = x: a double, so it keeps its derivative
    }
    IrType type = declared != null ? declared : init.type();
    requireFlattenable(type, v);
    if (type.isRecord()) {
      Value.Rec rec = declareRecord(name, type);
      if (init != null) assignRecord(rec, asRec(init));
      scopes.peek().put(name, rec);
      return;
    }
    Var var = declare(name, type);
    if (localDeclarations != null) localDeclarations.put(var, new Site(v, unit));
    scopes.peek().put(name, new Value.Plain(Expr.ref(var)));
    if (init != null) assign(var, plain(init, v.getInitializer()), v.getInitializer());
  }

  /** A type parameter of the method ({@code <K>}) named by {@code type}: it hides classes. */
  private IrType typeVariable(Tree type) {
    if (!(type instanceof IdentifierTree)) return null;
    for (javax.lang.model.element.TypeParameterElement p : method.getTypeParameters()) {
      if (p.getSimpleName().contentEquals(((IdentifierTree) type).getName())) {
        return types.of(p.asType());
      }
    }
    return null;
  }

  private void readExpressionStatement(ExpressionTree e) {
    switch (e.getKind()) {
      case ASSIGNMENT: {
        AssignmentTree a = (AssignmentTree) e;
        ExpressionTree lhs = a.getVariable();
        if (lhs instanceof ArrayAccessTree) {
          ArrayAccessTree acc = (ArrayAccessTree) lhs;
          Var array = arrayVar(acc.getExpression());
          Expr index = plain(readExpr(acc.getIndex()), acc.getIndex());
          Expr value = plain(readExpr(a.getExpression()), a.getExpression());
          store(array, index, value, lhs);
          return;
        }
        Value target = lvalue(lhs);
        Value value = readExpr(a.getExpression());
        if (target instanceof Value.Rec) {
          assignRecord((Value.Rec) target, asRec(value));
        } else {
          assign(varOf(target), plain(value, a.getExpression()), a.getExpression());
        }
        return;
      }
      case PLUS_ASSIGNMENT:
      case MINUS_ASSIGNMENT:
      case MULTIPLY_ASSIGNMENT:
      case DIVIDE_ASSIGNMENT:
      case REMAINDER_ASSIGNMENT:
      case AND_ASSIGNMENT:
      case OR_ASSIGNMENT:
      case XOR_ASSIGNMENT:
      case LEFT_SHIFT_ASSIGNMENT:
      case RIGHT_SHIFT_ASSIGNMENT:
      case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT: {
        CompoundAssignmentTree c = (CompoundAssignmentTree) e;
        Expr.BinOp op = compoundOp(e.getKind());
        Expr rhs = plain(readExpr(c.getExpression()), c.getExpression());
        update(c.getVariable(), op, rhs);
        return;
      }
      case PREFIX_INCREMENT:
      case POSTFIX_INCREMENT:
        update(((UnaryTree) e).getExpression(), Expr.BinOp.ADD, new Expr.Const(1, IrType.INT));
        return;
      case PREFIX_DECREMENT:
      case POSTFIX_DECREMENT:
        update(((UnaryTree) e).getExpression(), Expr.BinOp.SUB, new Expr.Const(1, IrType.INT));
        return;
      case METHOD_INVOCATION:
        invocation((MethodInvocationTree) e, true);
        return;
      default:
        throw unsupported(e, "this expression statement (" + e.getKind() + ")",
            "assign its value to a local variable");
    }
  }

  /** {@code target op= rhs}, with Java's implicit narrowing back to the target's type. */
  private void update(ExpressionTree target, Expr.BinOp op, Expr rhs) {
    if (target instanceof ArrayAccessTree) {
      ArrayAccessTree acc = (ArrayAccessTree) target;
      Var array = arrayVar(acc.getExpression());
      Expr index = atom(plain(readExpr(acc.getIndex()), acc.getIndex()));
      Expr old = new Expr.ArrayLoad(Expr.ref(array), index);
      Expr value = castTo(array.type().element(), binary(op, old, rhs, target));
      store(array, index, value, target);
      return;
    }
    Var var = varOf(lvalue(target));
    Expr value = castTo(var.type(), binary(op, Expr.ref(var), rhs, target));
    out.add(new Stmt.Assign(var, value, line));
  }

  private void store(Var array, Expr index, Expr value, Tree where) {
    arrayWrites.putIfAbsent(array, where);
    out.add(new Stmt.Store(array, index, castTo(array.type().element(), value), line));
  }

  private void assign(Var var, Expr value, Tree where) {
    if (var.type().isArray()) {
      boolean fresh = value instanceof Expr.NewArray || value instanceof Expr.ArrayLiteral
          || value instanceof Expr.CloneArray;
      if (!fresh) sharedArrays.add(var);
    }
    if (!Typing.assignable(value.type(), var.type()) && !(value.type().isNumeric()
        && var.type().isNumeric() && value instanceof Expr.Const)) {
      throw reporter.error(where, unit, Message.UNSUPPORTED,
          "assigning a " + value.type() + " to " + var.type() + " '" + var.name() + "'",
          "add an explicit cast");
    }
    out.add(new Stmt.Assign(var, castTo(var.type(), value), line));
  }

  private void readIf(IfTree s) {
    Expr cond = atom(condition(s.getCondition()));
    int ifLine = line;
    List<Stmt> then = nested(() -> readScoped(s.getThenStatement()));
    List<Stmt> otherwise = s.getElseStatement() == null ? List.of()
        : nested(() -> readScoped(s.getElseStatement()));
    out.add(new Stmt.If(cond, then, otherwise, ifLine));
  }

  private void readScoped(StatementTree s) {
    scopes.push(new HashMap<>());
    readStatement(s);
    scopes.pop();
  }

  private void readLoop(StatementTree s, String userLabel) {
    // Every loop gets a label, so that a continue inside a switch names its loop.
    String label = userLabel != null ? userLabel : names.fresh("loop");
    loopLabels.push(label);
    try {
      readLabeledLoop(s, label);
    } finally {
      loopLabels.pop();
    }
  }

  private void readLabeledLoop(StatementTree s, String label) {
    int loopLine = line;
    scopes.push(new HashMap<>());
    switch (s.getKind()) {
      case WHILE_LOOP: {
        WhileLoopTree w = (WhileLoopTree) s;
        Expr[] cond = new Expr[1];
        List<Stmt> head = nested(() -> cond[0] = atom(condition(w.getCondition())));
        List<Stmt> body = nested(() -> readScoped(w.getStatement()));
        out.add(new Stmt.Loop(head, cond[0], body, List.of(), label, loopLine));
        break;
      }
      case DO_WHILE_LOOP: {
        // do B while (c)  ==  loop { B; (update:) if (!c) break; }
        DoWhileLoopTree d = (DoWhileLoopTree) s;
        List<Stmt> body = nested(() -> readScoped(d.getStatement()));
        List<Stmt> update = nested(() -> {
          line = lineOf(d.getCondition());
          Expr c = atom(condition(d.getCondition()));
          Var stop = newTemp(IrType.BOOLEAN);
          out.add(new Stmt.Assign(stop, new Expr.Unary(Expr.UnOp.NOT, c, IrType.BOOLEAN), line));
          out.add(new Stmt.If(Expr.ref(stop), List.of(new Stmt.Break(label, line)), List.of(),
              line));
        });
        out.add(new Stmt.Loop(List.of(), new Expr.Const(true, IrType.BOOLEAN), body, update,
            label, loopLine));
        break;
      }
      case FOR_LOOP: {
        ForLoopTree f = (ForLoopTree) s;
        for (StatementTree init : f.getInitializer()) readStatement(init);
        line = loopLine;
        Expr[] cond = new Expr[1];
        List<Stmt> head = nested(() -> cond[0] = f.getCondition() == null
            ? new Expr.Const(true, IrType.BOOLEAN) : atom(condition(f.getCondition())));
        List<Stmt> body = nested(() -> readScoped(f.getStatement()));
        List<Stmt> update = nested(() -> {
          for (ExpressionStatementTree u : f.getUpdate()) readStatement(u);
        });
        out.add(new Stmt.Loop(head, cond[0], body, update, label, loopLine));
        break;
      }
      case ENHANCED_FOR_LOOP: {
        EnhancedForLoopTree f = (EnhancedForLoopTree) s;
        Expr iterable = plain(readExpr(f.getExpression()), f.getExpression());
        if (!iterable.type().isArray()) {
          throw unsupported(f.getExpression(), "iterating over " + iterable.type(),
              "iterate over an array, or use an index loop");
        }
        Var array = newTemp(iterable.type());
        out.add(new Stmt.Assign(array, iterable, line));
        sharedArrays.add(array);
        Var index = names.newVar("i", IrType.INT);
        out.add(new Stmt.Assign(index, new Expr.Const(0, IrType.INT), line));
        Var more = newTemp(IrType.BOOLEAN);
        List<Stmt> head = List.of(new Stmt.Assign(more, new Expr.Binary(Expr.BinOp.LT,
            Expr.ref(index), new Expr.ArrayLength(Expr.ref(array)), IrType.BOOLEAN), line));
        List<Stmt> body = nested(() -> {
          scopes.push(new HashMap<>());
          VariableTree v = f.getVariable();
          IrType elem = array.type().element();
          Var element = declare(v.getName().toString(), elem);
          scopes.peek().put(v.getName().toString(), new Value.Plain(Expr.ref(element)));
          out.add(new Stmt.Assign(element, new Expr.ArrayLoad(Expr.ref(array),
              Expr.ref(index)), line));
          readStatement(f.getStatement());
          scopes.pop();
        });
        List<Stmt> update = List.of(new Stmt.Assign(index, new Expr.Binary(Expr.BinOp.ADD,
            Expr.ref(index), new Expr.Const(1, IrType.INT), IrType.INT), loopLine));
        out.add(new Stmt.Loop(head, Expr.ref(more), body, update, label, loopLine));
        break;
      }
      default:
        throw new IllegalStateException(s.getKind().toString());
    }
    scopes.pop();
  }

  // ---------------------------------------------------------------- expressions

  private Value readExpr(ExpressionTree e) {
    switch (e.getKind()) {
      case PARENTHESIZED:
        return readExpr(((ParenthesizedTree) e).getExpression());
      case INT_LITERAL:
      case LONG_LITERAL:
      case FLOAT_LITERAL:
      case DOUBLE_LITERAL:
      case BOOLEAN_LITERAL:
      case CHAR_LITERAL:
      case STRING_LITERAL:
      case NULL_LITERAL:
        return new Value.Plain(literal((LiteralTree) e));
      case IDENTIFIER:
        return identifier((IdentifierTree) e);
      case MEMBER_SELECT:
        return memberSelect((MemberSelectTree) e);
      case ARRAY_ACCESS: {
        ArrayAccessTree a = (ArrayAccessTree) e;
        Expr array = plain(readExpr(a.getExpression()), a.getExpression());
        if (!array.type().isArray()) {
          throw unsupported(e, "indexing a " + array.type(), "index arrays only");
        }
        Expr index = plain(readExpr(a.getIndex()), a.getIndex());
        return new Value.Plain(new Expr.ArrayLoad(array, index));
      }
      case UNARY_MINUS: {
        Expr x = unbox(plain(readExpr(((UnaryTree) e).getExpression()), e));
        return new Value.Plain(new Expr.Unary(Expr.UnOp.NEG, x, Typing.promote(x.type())));
      }
      case UNARY_PLUS:
        return readExpr(((UnaryTree) e).getExpression());
      case LOGICAL_COMPLEMENT: {
        Expr x = plain(readExpr(((UnaryTree) e).getExpression()), e);
        return new Value.Plain(new Expr.Unary(Expr.UnOp.NOT, x, IrType.BOOLEAN));
      }
      case BITWISE_COMPLEMENT: {
        Expr x = plain(readExpr(((UnaryTree) e).getExpression()), e);
        return new Value.Plain(new Expr.Unary(Expr.UnOp.BITNOT, x, Typing.promote(x.type())));
      }
      case CONDITIONAL_AND:
      case CONDITIONAL_OR:
        return new Value.Plain(shortCircuit((BinaryTree) e));
      case CONDITIONAL_EXPRESSION:
        return conditional((ConditionalExpressionTree) e);
      case SWITCH_EXPRESSION: {
        com.sun.source.tree.SwitchExpressionTree sw = (com.sun.source.tree.SwitchExpressionTree) e;
        SwitchValue value = new SwitchValue();
        readSwitch(sw.getExpression(), sw.getCases(), e, value);
        return value.result(this, e);
      }
      case TYPE_CAST: {
        TypeCastTree c = (TypeCastTree) e;
        IrType to = types.resolve(c.getType(), owner, unit);
        Expr x = plain(readExpr(c.getExpression()), c.getExpression());
        if (to == null || !(to.isPrimitive() && x.type().isPrimitive() || to.equals(x.type()))) {
          throw unsupported(e, "the cast to " + c.getType(), "cast between primitive types only");
        }
        return new Value.Plain(to.equals(x.type()) ? x : new Expr.Cast(to, x));
      }
      case METHOD_INVOCATION:
        return invocation((MethodInvocationTree) e, false);
      case ASSIGNMENT:
        return assignmentValue((AssignmentTree) e);
      case PREFIX_INCREMENT:
      case PREFIX_DECREMENT:
        readExpressionStatement(e);
        return snapshot(((UnaryTree) e).getExpression());
      case POSTFIX_INCREMENT:
      case POSTFIX_DECREMENT: {
        Value old = snapshot(((UnaryTree) e).getExpression());
        readExpressionStatement(e);
        return old;
      }
      case NEW_ARRAY:
        return readNewArray((NewArrayTree) e, null);
      case NEW_CLASS:
        return newRecord((NewClassTree) e);
      default:
        if (e instanceof BinaryTree) return new Value.Plain(binary((BinaryTree) e));
        if (e instanceof CompoundAssignmentTree) {
          readExpressionStatement(e);
          return snapshot(((CompoundAssignmentTree) e).getVariable());
        }
        throw unsupported(e, describe(e), "use locals, arithmetic, calls and if/else");
    }
  }

  // ---------------------------------------------------------------- switch

  /**
   * A switch statement or expression as ifs: each case runs when the selector matches one of
   * its labels (or, for default, none) or when the case before it fell through into it. A
   * {@code break} or {@code yield} leaves a loop that runs once around the cases, so that
   * ControlFlowLowering guards what follows; without one, no loop is made.
   */
  private void readSwitch(ExpressionTree selector, List<? extends com.sun.source.tree.CaseTree>
      cases, Tree where, SwitchValue value) {
    Expr sel = atom(unbox(plain(readExpr(selector), selector)));
    String label = names.fresh("switch");
    if (value != null) {
      value.label = label;
      switchValues.push(value);
    }
    int switchLine = line;
    boolean[] jumps = {false};
    List<Stmt> body = new ArrayList<>();
    List<Stmt> outside = out;
    out = body;
    try {
      Var fall = newTemp(IrType.BOOLEAN);
      out.add(new Stmt.Assign(fall, new Expr.Const(false, IrType.BOOLEAN), switchLine));
      List<Expr> allLabels = new ArrayList<>();
      List<Expr> matches = new ArrayList<>();
      for (com.sun.source.tree.CaseTree c : cases) {
        Expr m = null;
        for (ExpressionTree l : c.getExpressions()) {
          Expr test = caseTest(sel, l);
          allLabels.add(test);
          m = m == null ? test : new Expr.Binary(Expr.BinOp.OR, m, test, IrType.BOOLEAN);
        }
        matches.add(m); // null: default
      }
      for (int i = 0; i < cases.size(); i++) {
        com.sun.source.tree.CaseTree c = cases.get(i);
        line = lineOf(c);
        Expr m = matches.get(i);
        if (m == null) { // default: no label matches
          Expr any = null;
          for (Expr t : allLabels) {
            any = any == null ? t : new Expr.Binary(Expr.BinOp.OR, any, t, IrType.BOOLEAN);
          }
          m = any == null ? new Expr.Const(true, IrType.BOOLEAN)
              : new Expr.Unary(Expr.UnOp.NOT, any, IrType.BOOLEAN);
        }
        boolean rule = c.getCaseKind() == com.sun.source.tree.CaseTree.CaseKind.RULE;
        Expr run = rule ? m : new Expr.Binary(Expr.BinOp.OR, Expr.ref(fall), m, IrType.BOOLEAN);
        Expr go = atom(run);
        List<Stmt> arm = nested(() -> {
          scopes.push(new HashMap<>());
          if (!rule) out.add(new Stmt.Assign(fall, new Expr.Const(true, IrType.BOOLEAN), line));
          if (rule) {
            Tree b = c.getBody();
            if (b instanceof ExpressionTree && value != null) {
              value.add(this, readExpr((ExpressionTree) b), (ExpressionTree) b);
              out.add(new Stmt.Break(label, line));
            } else if (b instanceof ExpressionTree) {
              readExpressionStatement((ExpressionTree) b);
            } else {
              readStatement((StatementTree) b);
              // an arrow case ends the switch: nothing falls through
            }
          } else {
            for (StatementTree st : c.getStatements()) readStatement(st);
          }
          scopes.pop();
        });
        jumps[0] |= breaksTo(arm, label) || breaksTo(arm, null);
        out.add(new Stmt.If(go, arm, List.of(), line));
        if (rule) {
          // the later cases run only if this one did not match
          Expr not = atom(new Expr.Unary(Expr.UnOp.NOT, go, IrType.BOOLEAN));
          List<Stmt> rest = new ArrayList<>();
          out.add(new Stmt.If(not, rest, List.of(), line));
          out = rest;
        }
      }
    } finally {
      out = outside;
    }
    if (value != null) {
      switchValues.pop();
      value.resolve(this, where); // before retarget copies the blocks holding the placeholders
    }
    line = switchLine;
    if (jumps[0] || value != null) {
      List<Stmt> once = new ArrayList<>(retarget(body, label));
      once.add(new Stmt.Break(label, switchLine));
      out.add(new Stmt.Loop(List.of(), new Expr.Const(true, IrType.BOOLEAN), once, List.of(),
          label, switchLine));
    } else {
      out.addAll(body);
    }
  }

  /** The test that the selector matches a case label (a constant, an enum constant, a string). */
  private Expr caseTest(Expr sel, ExpressionTree label) {
    Expr constant;
    if (sel.type().kind() == IrType.Kind.OBJECT && label instanceof IdentifierTree
        && !sel.type().equals(Typing.STRING)) {
      TypeElement enumType = sel.type().typeName() instanceof ClassName
          ? types.elements().getTypeElement(((ClassName) sel.type().typeName()).canonicalName())
          : null;
      constant = enumType == null ? null
          : lookup.staticField(enumType, ((IdentifierTree) label).getName().toString());
      if (constant == null) throw unsupported(label, "this case label", "use a constant");
    } else {
      constant = plain(readExpr(label), label);
    }
    if (sel.type().equals(Typing.STRING)) {
      MethodLookup.Found eq = lookup.instance(Typing.STRING, "equals",
          List.of(IrType.object(ClassName.OBJECT)));
      Var t = newTemp(IrType.BOOLEAN);
      out.add(new Stmt.Assign(t, new Expr.Call(eq.ref(), List.of(sel, constant)), line));
      return Expr.ref(t);
    }
    return new Expr.Binary(Expr.BinOp.EQ, sel, constant, IrType.BOOLEAN);
  }

  /** Unlabelled breaks directly in a switch (not in a loop within it) leave the switch. */
  private static List<Stmt> retarget(List<Stmt> stmts, String label) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Break && ((Stmt.Break) s).label() == null) {
        out.add(new Stmt.Break(label, s.line()));
      } else if (s instanceof Stmt.If) {
        Stmt.If i = (Stmt.If) s;
        out.add(new Stmt.If(i.cond(), retarget(i.then(), label), retarget(i.otherwise(), label),
            i.line()));
      } else {
        out.add(s); // a loop's own unlabelled breaks are its own
      }
    }
    return out;
  }

  private static boolean breaksTo(List<Stmt> stmts, String label) {
    boolean[] found = {false};
    dev.adjoint.processor.ir.Stmts.forEachDeep(stmts, s -> found[0] |= s instanceof Stmt.Break
        && java.util.Objects.equals(((Stmt.Break) s).label(), label));
    return found[0];
  }

  private void yieldValue(com.sun.source.tree.YieldTree y) {
    SwitchValue value = switchValues.peek();
    if (value == null) throw unsupported(y, "yield outside a switch expression", "remove it");
    value.add(this, readExpr(y.getValue()), y.getValue());
    out.add(new Stmt.Break(value.label, line));
  }

  /**
   * The values a switch expression's arms give: each is assigned to the result where it is
   * given, once the result's type (the arms' common type) is known.
   */
  private static final class SwitchValue {
    String label;
    final List<Object[]> sites = new ArrayList<>(); // {List<Stmt> block, Integer index, Expr}
    final List<IrType> types = new ArrayList<>();

    void add(BodyReader r, Value v, ExpressionTree where) {
      if (v instanceof Value.Rec) {
        throw r.unsupported(where, "a switch expression of records",
            "use a switch statement assigning a record local");
      }
      Expr e = r.plain(v, where);
      types.add(e.type());
      r.out.add(new Stmt.Comment("", r.line)); // replaced by the assignment in result()
      sites.add(new Object[] {r.out, r.out.size() - 1, e});
    }

    private Var result;

    @SuppressWarnings("unchecked")
    void resolve(BodyReader r, Tree where) {
      IrType type = null;
      for (IrType t : types) {
        type = type == null ? t : type.equals(t) ? type
            : type.isNumeric() && t.isNumeric() ? Typing.promote(type, t) : null;
        if (type == null) {
          throw r.unsupported(where, "a switch expression whose arms have different types",
              "give every arm the same type");
        }
      }
      result = r.newTemp(type);
      for (Object[] site : sites) {
        List<Stmt> block = (List<Stmt>) site[0];
        int index = (Integer) site[1];
        block.set(index, new Stmt.Assign(result, castTo(type, (Expr) site[2]),
            block.get(index).line()));
      }
    }

    Value result(BodyReader r, Tree where) {
      return new Value.Plain(Expr.ref(result));
    }
  }

  /** {@code a = b} used as a value ({@code a = b = c}, {@code f(x = y)}): the value assigned. */
  private Value assignmentValue(AssignmentTree a) {
    ExpressionTree lhs = a.getVariable();
    if (lhs instanceof ArrayAccessTree) {
      ArrayAccessTree acc = (ArrayAccessTree) lhs;
      Var array = arrayVar(acc.getExpression());
      Expr index = atom(plain(readExpr(acc.getIndex()), acc.getIndex()));
      Expr value = atom(castTo(array.type().element(),
          plain(readExpr(a.getExpression()), a.getExpression())));
      store(array, index, value, lhs);
      return new Value.Plain(value);
    }
    Value target = lvalue(lhs);
    if (target instanceof Value.Rec) {
      throw unsupported(a, "assigning a record inside an expression",
          "assign it in a statement of its own");
    }
    Var var = varOf(target);
    Expr value = atom(castTo(var.type(), plain(readExpr(a.getExpression()), a.getExpression())));
    assign(var, value, a.getExpression());
    return new Value.Plain(value);
  }

  /**
   * The current value of a variable or array element, in a temporary (the variable changes
   * afterwards). An element's index must be a name or a constant, so that reading it again
   * has no effect.
   */
  private Value snapshot(ExpressionTree target) {
    if (target instanceof ParenthesizedTree) {
      return snapshot(((ParenthesizedTree) target).getExpression());
    }
    if (target instanceof ArrayAccessTree) {
      ExpressionTree index = ((ArrayAccessTree) target).getIndex();
      if (!(index instanceof IdentifierTree || index instanceof LiteralTree)) {
        throw unsupported(target, "++, -- or a compound assignment of an array element with a "
            + "computed index inside an expression", "compute the index into a local first");
      }
    }
    Value v = readExpr(target);
    if (v instanceof Value.Rec) return v;
    return new Value.Plain(atomCopy(plain(v, target)));
  }

  /** {@code e} in a fresh temporary, even when it is a variable already. */
  private Expr atomCopy(Expr e) {
    Var t = newTemp(e.type());
    out.add(new Stmt.Assign(t, e, line));
    if (t.type().isArray()) sharedArrays.add(t);
    return Expr.ref(t);
  }

  private static String describe(ExpressionTree e) {
    switch (e.getKind()) {
      case LAMBDA_EXPRESSION: return "a lambda";
      case MEMBER_REFERENCE: return "a method reference";
      case ASSIGNMENT: return "an assignment inside an expression";
      case INSTANCE_OF: return "instanceof";
      case PREFIX_INCREMENT:
      case POSTFIX_INCREMENT:
      case PREFIX_DECREMENT:
      case POSTFIX_DECREMENT:
        return "++ or -- inside an expression";
      default: return "this expression (" + e.getKind() + ")";
    }
  }

  private Expr literal(LiteralTree l) {
    Object v = l.getValue();
    switch (l.getKind()) {
      case INT_LITERAL: return new Expr.Const(v, IrType.INT);
      case LONG_LITERAL: return new Expr.Const(v, IrType.LONG);
      case FLOAT_LITERAL: return new Expr.Const(v, IrType.FLOAT);
      case DOUBLE_LITERAL: return new Expr.Const(v, IrType.DOUBLE);
      case BOOLEAN_LITERAL: return new Expr.Const(v, IrType.BOOLEAN);
      case CHAR_LITERAL: return new Expr.Const((int) (Character) v, IrType.INT);
      case STRING_LITERAL: return new Expr.Const(v, Typing.STRING);
      default: return new Expr.Const(null, IrType.object(ClassName.OBJECT));
    }
  }

  private Value lookupLocal(String name) {
    for (Map<String, Value> scope : scopes) {
      Value v = scope.get(name);
      if (v != null) return v;
    }
    return null;
  }

  private Value identifier(IdentifierTree id) {
    String name = id.getName().toString();
    if (name.equals("this")) {
      if (self == null) throw unsupported(id, "'this' of a class that is not a record", "use a record");
      return self;
    }
    Value local = lookupLocal(name);
    if (local != null) return local;
    if (self != null && self.components().containsKey(name)) return self.components().get(name);
    Expr field = lookup.staticField(name);
    if (field != null) return new Value.Plain(field);
    throw reporter.error(id, unit, Message.UNRESOLVED, "'" + name + "'", methodName(),
        "declare it as a local, a parameter, or a static constant");
  }

  private Value memberSelect(MemberSelectTree s) {
    String name = s.getIdentifier().toString();
    ExpressionTree q = s.getExpression();
    Value base = qualifierValue(q);
    if (base == null) {
      TypeElement type = types.resolveTypeElement(q, owner, unit);
      if (type != null) {
        Expr field = lookup.staticField(type, name);
        if (field != null) return new Value.Plain(field);
      }
      throw reporter.error(s, unit, Message.UNRESOLVED, "'" + s + "'", methodName(),
          "check the name");
    }
    if (base instanceof Value.Rec && ((Value.Rec) base).components().containsKey(name)) {
      return ((Value.Rec) base).components().get(name);
    }
    Expr b = plain(base, q);
    if (b.type().isArray() && name.equals("length")) {
      return new Value.Plain(new Expr.ArrayLength(b));
    }
    VariableElement field = b.type().kind() == IrType.Kind.OBJECT
        ? lookup.instanceField(b.type(), name) : null;
    if (field == null) {
      throw unsupported(s, "reading field '" + name + "' of " + b.type(),
          "read record components, array lengths, static constants and fields of objects");
    }
    if (field.getModifiers().contains(Modifier.PRIVATE)) {
      throw unsupported(s, "reading private field '" + name + "' of " + b.type(),
          "generated derivatives live in another class: make the field package-private or "
              + "read it through a method");
    }
    return new Value.Plain(new Expr.Field(atom(b), name, types.of(field.asType())));
  }

  /** The value a qualifier denotes, or null when it names a type (or nothing). */
  private Value qualifierValue(ExpressionTree q) {
    if (q instanceof IdentifierTree) {
      String n = ((IdentifierTree) q).getName().toString();
      if (n.equals("this")) return identifier((IdentifierTree) q);
      Value local = lookupLocal(n);
      if (local != null) return local;
      if (self != null && self.components().containsKey(n)) return self.components().get(n);
      if (types.resolveSimple(n, owner, unit) != null) return null;
      Expr field = lookup.staticField(n);
      return field == null ? null : new Value.Plain(field);
    }
    if (q instanceof MemberSelectTree) {
      if (types.resolveTypeElement(q, owner, unit) != null) return null;
      MemberSelectTree ms = (MemberSelectTree) q;
      if (qualifierValue(ms.getExpression()) == null
          && types.resolveTypeElement(ms.getExpression(), owner, unit) == null) {
        return null;
      }
    }
    return readExpr(q);
  }

  private Expr binary(BinaryTree b) {
    Expr.BinOp op = binOp(b.getKind());
    Expr left = plain(readExpr(b.getLeftOperand()), b.getLeftOperand());
    Expr right = plain(readExpr(b.getRightOperand()), b.getRightOperand());
    return binary(op, left, right, b);
  }

  private Expr binary(Expr.BinOp op, Expr left, Expr right, Tree where) {
    if (!(op == Expr.BinOp.EQ || op == Expr.BinOp.NE) || left.type().isPrimitive()
        || right.type().isPrimitive()) {
      left = unbox(left);
      right = unbox(right);
    }
    IrType lt = left.type();
    IrType rt = right.type();
    if (op == Expr.BinOp.ADD && (lt.equals(Typing.STRING) || rt.equals(Typing.STRING))) {
      return new Expr.Binary(op, left, right, Typing.STRING);
    }
    if (op.isComparison()) {
      boolean ok = lt.isNumeric() && rt.isNumeric()
          || (op == Expr.BinOp.EQ || op == Expr.BinOp.NE)
              && (lt.equals(rt) || Exprs.isNull(left) && !rt.isPrimitive()
                  || Exprs.isNull(right) && !lt.isPrimitive());
      if (!ok) throw unsupported(where, "comparing " + lt + " with " + rt,
          "compare numbers, values of one type, or a reference with null");
      return new Expr.Binary(op, left, right, IrType.BOOLEAN);
    }
    if ((op == Expr.BinOp.AND || op == Expr.BinOp.OR || op == Expr.BinOp.XOR)
        && lt.kind() == IrType.Kind.BOOLEAN && rt.kind() == IrType.Kind.BOOLEAN) {
      return new Expr.Binary(op, left, right, IrType.BOOLEAN);
    }
    if (!lt.isNumeric() || !rt.isNumeric()) {
      throw unsupported(where, "operator " + op.symbol + " on " + lt + " and " + rt,
          "use it on numbers");
    }
    if (op == Expr.BinOp.SHL || op == Expr.BinOp.SHR || op == Expr.BinOp.USHR) {
      return new Expr.Binary(op, left, right, Typing.promote(lt));
    }
    IrType type = Typing.promote(lt, rt);
    if ((op == Expr.BinOp.AND || op == Expr.BinOp.OR || op == Expr.BinOp.XOR) && type.isFloating()) {
      throw unsupported(where, "bitwise " + op.symbol + " on " + type, "use it on integers");
    }
    return new Expr.Binary(op, left, right, type);
  }

  /**
   * The reader sees records through their components, past their constructor and accessors:
   * records whose constructor or accessors compute something are refused (see TypeContracts).
   */
  private void requireFlattenable(IrType type, Tree where) {
    String problem = contracts.flatteningProblem(type);
    if (problem != null) {
      throw reporter.error(where, unit, Message.TYPE, "a value of type " + type.typeName(),
          methodName(), problem);
    }
  }

  /** A boxed number as the primitive it holds; anything else as it is. */
  private static Expr unbox(Expr e) {
    IrType p = Typing.unboxed(e.type());
    return p == null ? e : new Expr.Cast(p, e);
  }

  /** A condition: && and || become ifs on a temporary, so that evaluation stays lazy. */
  private Expr condition(ExpressionTree e) {
    Expr c = unbox(plain(readExpr(e), e));
    if (c.type().kind() != IrType.Kind.BOOLEAN) {
      throw unsupported(e, "a condition of type " + c.type(), "use a boolean condition");
    }
    return c;
  }

  private Expr shortCircuit(BinaryTree b) {
    boolean and = b.getKind() == Tree.Kind.CONDITIONAL_AND;
    Var t = newTemp(IrType.BOOLEAN);
    out.add(new Stmt.Assign(t, condition(b.getLeftOperand()), line));
    List<Stmt> rest = nested(() -> out.add(new Stmt.Assign(t, condition(b.getRightOperand()),
        line)));
    Expr test = and ? Expr.ref(t) : new Expr.Unary(Expr.UnOp.NOT, Expr.ref(t), IrType.BOOLEAN);
    out.add(new Stmt.If(atom(test), rest, List.of(), line));
    return Expr.ref(t);
  }

  private Value conditional(ConditionalExpressionTree c) {
    Expr cond = atom(condition(c.getCondition()));
    Value[] values = new Value[2];
    List<Stmt> then = nested(() -> values[0] = readExpr(c.getTrueExpression()));
    List<Stmt> otherwise = nested(() -> values[1] = readExpr(c.getFalseExpression()));
    IrType a = values[0].type();
    IrType b = values[1].type();
    IrType type = a.equals(b) ? a : a.isNumeric() && b.isNumeric() ? Typing.promote(a, b)
        : isNullValue(values[0]) && !b.isPrimitive() ? b
        : isNullValue(values[1]) && !a.isPrimitive() ? a : null;
    if (type == null) {
      throw unsupported(c, "a conditional expression of types " + a + " and " + b,
          "use if/else with a local variable");
    }
    if (type.isRecord()) {
      // a record chosen by a condition: a record local assigned in each branch
      Value.Rec r = declareRecord(names.fresh("choice"), type);
      List<Stmt> t = new ArrayList<>(then);
      List<Stmt> o = new ArrayList<>(otherwise);
      t.addAll(nested(() -> assignRecord(r, asRec(values[0]))));
      o.addAll(nested(() -> assignRecord(r, asRec(values[1]))));
      out.add(new Stmt.If(cond, t, o, line));
      return r;
    }
    Var t = newTemp(type);
    then = new ArrayList<>(then);
    then.add(new Stmt.Assign(t, castTo(type, plain(values[0], c)), line));
    otherwise = new ArrayList<>(otherwise);
    otherwise.add(new Stmt.Assign(t, castTo(type, plain(values[1], c)), line));
    if (type.isArray()) sharedArrays.add(t);
    out.add(new Stmt.If(cond, then, otherwise, line));
    return new Value.Plain(Expr.ref(t));
  }

  private static boolean isNullValue(Value v) {
    return v instanceof Value.Plain && Exprs.isNull(((Value.Plain) v).expr());
  }

  private Value readNewArray(NewArrayTree n, IrType declared) {
    IrType type;
    if (n.getType() != null) {
      IrType elem = types.resolve(n.getType(), owner, unit);
      if (elem == null) throw unsupported(n, "this array type", "use double[] or float[]");
      type = IrType.arrayOf(elem);
    } else {
      type = declared;
    }
    if (type == null || !type.isArray() || type.element().isArray()
        || n.getDimensions().size() > 1) {
      throw unsupported(n, "multi-dimensional arrays", "use a flat array with computed indices");
    }
    if (n.getInitializers() != null) {
      List<Expr> elements = new ArrayList<>();
      for (ExpressionTree init : n.getInitializers()) {
        elements.add(castTo(type.element(), plain(readExpr(init), init)));
      }
      return new Value.Plain(new Expr.ArrayLiteral(type, elements));
    }
    ExpressionTree dim = n.getDimensions().get(0);
    return new Value.Plain(new Expr.NewArray(type, plain(readExpr(dim), dim)));
  }

  private Value newRecord(NewClassTree n) {
    Tree id = n.getIdentifier() instanceof com.sun.source.tree.ParameterizedTypeTree
        ? ((com.sun.source.tree.ParameterizedTypeTree) n.getIdentifier()).getType()
        : n.getIdentifier();
    TypeElement type = types.resolveTypeElement(id, owner, unit);
    IrType t = type == null ? null : types.of(type.asType());
    if (t == null) {
      throw reporter.error(n.getIdentifier(), unit, Message.UNRESOLVED, "type "
          + n.getIdentifier(), methodName(), "import it or check its spelling");
    }
    if (n.getClassBody() != null) {
      throw unsupported(n, "an anonymous class", "declare a named class outside the method");
    }
    if (!t.isRecord()) return constructorCall(n, type);
    requireFlattenable(t, n);
    if (n.getArguments().size() != t.components().size()) {
      throw unsupported(n, "a record constructor other than the canonical one",
          "pass every component");
    }
    Map<String, Value> components = new LinkedHashMap<>();
    for (int i = 0; i < n.getArguments().size(); i++) {
      IrType.Component c = t.components().get(i);
      Value v = readExpr(n.getArguments().get(i));
      if (c.type().isRecord()) {
        components.put(c.name(), asRec(v));
      } else {
        Expr e = plain(v, n.getArguments().get(i));
        components.put(c.name(), new Value.Plain(atom(castTo(c.type(), e))));
      }
    }
    return new Value.Rec(t, components, null);
  }

  /**
   * {@code new Random(seed)}, {@code new StringBuilder()}: an object the derivative does not
   * look into, made by a call without derivative (an error only if differentiated values flow
   * through it to the result, as for any such call).
   */
  private Value constructorCall(NewClassTree n, TypeElement type) {
    List<Value> args = new ArrayList<>();
    for (ExpressionTree a : n.getArguments()) args.add(readExpr(a));
    List<IrType> argTypes = args.stream().map(Value::type).toList();
    MethodRef ctor = lookup.constructor(type, argTypes);
    if (ctor == null) {
      throw reporter.error(n, unit, Message.UNRESOLVED, "constructor " + type.getSimpleName()
          + argTypes, methodName(), "call a constructor that exists with these argument types");
    }
    List<Expr> argExprs = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      IrType p = i < ctor.paramTypes().size() ? ctor.paramTypes().get(i) : args.get(i).type();
      argExprs.add(atom(castTo(p, pack(args.get(i)))));
    }
    Var t = newTemp(ctor.returnType());
    out.add(new Stmt.Assign(t, new Expr.Call(ctor, argExprs, new Site(n, unit)), line));
    return new Value.Plain(Expr.ref(t));
  }

  /**
   * A call: the receiver is read once, first (as Java evaluates it); record accessors and array
   * clones need no method; a call's result lands in a temporary so that evaluation order is
   * kept. As a statement, the call is evaluated for its effects and null is returned.
   */
  private Value invocation(MethodInvocationTree call, boolean statement) {
    ExpressionTree select = call.getMethodSelect();
    Value receiver = null;
    boolean noArgs = call.getArguments().isEmpty();
    if (select instanceof MemberSelectTree) {
      MemberSelectTree s = (MemberSelectTree) select;
      String name = s.getIdentifier().toString();
      receiver = qualifierValue(s.getExpression());
      if (receiver != null && noArgs) {
        if (receiver instanceof Value.Rec && ((Value.Rec) receiver).components().containsKey(name)) {
          return ((Value.Rec) receiver).components().get(name);
        }
        Expr b = plain(receiver, s.getExpression());
        if (b.type().isArray() && name.equals("clone")) {
          return new Value.Plain(new Expr.CloneArray(atom(b)));
        }
      }
    } else if (noArgs && self != null
        && self.components().containsKey(((IdentifierTree) select).getName().toString())) {
      return self.components().get(((IdentifierTree) select).getName().toString());
    }
    Expr c = readCallExpr(call, receiver);
    if (statement && c instanceof Expr.Call && lowered(call, (Expr.Call) c)) return null;
    if (statement) {
      out.add(new Stmt.Eval(c, line));
      return null;
    }
    if (c.type().kind() == IrType.Kind.VOID) {
      throw unsupported(call, "using the result of a void method", "call it as a statement");
    }
    Var t = newTemp(c.type());
    out.add(new Stmt.Assign(t, c, line));
    requireFlattenable(t.type(), call);
    return t.type().isRecord() ? unpack(t) : new Value.Plain(Expr.ref(t));
  }

  /** {@code Arrays.fill} and {@code System.arraycopy} become loops (see ArrayIntrinsics). */
  private boolean lowered(MethodInvocationTree call, Expr.Call c) {
    String owner = c.method().owner().toString();
    String name = c.method().name();
    if (!ArrayIntrinsics.handles(owner, name, c.args().size())) return false;
    for (Expr a : c.args()) {
      if (!(a instanceof Expr.Ref) && a.type().isArray()) return false; // a constant array?
    }
    ArrayIntrinsics lowering = new ArrayIntrinsics(names, (array, index, value) -> {
      arrayWrites.putIfAbsent(array, call);
      return new Stmt.Store(array, index, castTo(array.type().element(), value), line);
    }, line);
    out.addAll(lowering.lower(name, c.args()));
    return true;
  }

  private Expr readCallExpr(MethodInvocationTree call, Value qualifier) {
    ExpressionTree select = call.getMethodSelect();
    List<Value> args = new ArrayList<>();
    for (ExpressionTree a : call.getArguments()) args.add(readExpr(a));
    List<IrType> argTypes = args.stream().map(Value::type).toList();
    MethodLookup.Found found;
    Value receiver = null;
    if (select instanceof IdentifierTree) {
      found = lookup.unqualified(((IdentifierTree) select).getName().toString(), argTypes);
      if (found != null && !found.isStatic()) {
        if (self == null) {
          throw unsupported(call, "calling instance method " + found.ref().display()
              + " of a class that is not a record", "make the method static");
        }
        receiver = self;
      }
    } else {
      MemberSelectTree s = (MemberSelectTree) select;
      String name = s.getIdentifier().toString();
      receiver = qualifier;
      if (receiver != null) {
        found = lookup.instance(receiver.type(), name, argTypes);
      } else {
        found = lookup.qualified(s.getExpression(), name, argTypes);
      }
    }
    if (found == null) {
      throw reporter.error(call, unit, Message.UNRESOLVED, "method " + select + argTypes,
          methodName(), "call a method that exists with these argument types");
    }
    List<Expr> argExprs = new ArrayList<>();
    if (receiver != null && !found.isStatic()) argExprs.add(atom(pack(receiver)));
    List<IrType> params = found.ref().paramTypes();
    int fixed = found.varargs() ? params.size() - 1 : args.size();
    for (int i = 0; i < fixed; i++) {
      Expr e = pack(args.get(i));
      argExprs.add(atom(castTo(params.get(i), e)));
    }
    if (found.varargs()) {
      // Variable arity: the trailing arguments become one array, as javac would make it.
      IrType arrayType = params.get(params.size() - 1);
      List<Expr> elements = new ArrayList<>();
      for (int i = fixed; i < args.size(); i++) {
        elements.add(atom(castTo(arrayType.element(), pack(args.get(i)))));
      }
      argExprs.add(atom(new Expr.ArrayLiteral(arrayType, elements)));
    }
    return new Expr.Call(found.ref(), argExprs, new Site(call, unit));
  }

  // ---------------------------------------------------------------- records

  /** A record variable seen through its components, read lazily (records are immutable). */
  private Value.Rec unpack(Var record) {
    return unpack(Expr.ref(record), record.type(), record);
  }

  private Value.Rec unpack(Expr record, IrType type, Var whole) {
    Map<String, Value> components = new LinkedHashMap<>();
    for (IrType.Component c : type.components()) {
      Expr get = new Expr.Get(record, c.name());
      components.put(c.name(), c.type().isRecord() ? unpack(get, c.type(), null)
          : new Value.Plain(get));
    }
    return new Value.Rec(type, components, whole);
  }

  private Value.Rec declareRecord(String name, IrType type) {
    Map<String, Value> components = new LinkedHashMap<>();
    for (IrType.Component c : type.components()) {
      String n = name + "_" + c.name();
      components.put(c.name(), c.type().isRecord() ? declareRecord(n, c.type())
          : new Value.Plain(Expr.ref(declare(n, c.type()))));
    }
    return new Value.Rec(type, components, null);
  }

  private void assignRecord(Value.Rec target, Value.Rec value) {
    for (Map.Entry<String, Value> c : target.components().entrySet()) {
      Value v = value.components().get(c.getKey());
      if (c.getValue() instanceof Value.Rec) {
        assignRecord((Value.Rec) c.getValue(), asRec(v));
      } else {
        Var var = varOf(c.getValue());
        out.add(new Stmt.Assign(var, castTo(var.type(), plain(v, null)), line));
        if (var.type().isArray()) sharedArrays.add(var);
      }
    }
  }

  private Value.Rec asRec(Value v) {
    if (v instanceof Value.Rec) return (Value.Rec) v;
    Expr e = ((Value.Plain) v).expr();
    Var t = newTemp(e.type());
    out.add(new Stmt.Assign(t, e, line));
    return unpack(t);
  }

  /** The expression for a value: a record by components is built again (or passed whole). */
  private Expr pack(Value v) {
    if (v instanceof Value.Plain) return ((Value.Plain) v).expr();
    Value.Rec r = (Value.Rec) v;
    if (r.whole() != null) return Expr.ref(r.whole());
    List<Expr> args = new ArrayList<>();
    for (Value c : r.components().values()) args.add(atom(pack(c)));
    return new Expr.NewRecord(r.type(), args);
  }

  // ---------------------------------------------------------------- helpers

  private Value lvalue(ExpressionTree lhs) {
    if (lhs instanceof IdentifierTree) {
      String name = ((IdentifierTree) lhs).getName().toString();
      Value local = lookupLocal(name);
      if (local != null) return local;
      throw reporter.error(lhs, unit, Message.FIELD_WRITE, name);
    }
    if (lhs instanceof ParenthesizedTree) return lvalue(((ParenthesizedTree) lhs).getExpression());
    throw reporter.error(lhs, unit, Message.FIELD_WRITE, lhs.toString());
  }

  private Var varOf(Value v) {
    return ((Expr.Ref) ((Value.Plain) v).expr()).var();
  }

  private Var arrayVar(ExpressionTree e) {
    if (e instanceof IdentifierTree) {
      Value v = lookupLocal(((IdentifierTree) e).getName().toString());
      if (v instanceof Value.Plain && ((Value.Plain) v).expr() instanceof Expr.Ref
          && v.type().isArray()) {
        return varOf(v);
      }
    }
    Value v = readExpr(e);
    String shown = e.toString();
    boolean array = v instanceof Value.Plain && v.type().isArray();
    throw reporter.error(e, unit, Message.ARRAY_WRITE, shown, array ? v.type() : "double[]",
        array ? shown : "x");
  }

  private Expr plain(Value v, Tree where) {
    if (v instanceof Value.Rec) return pack(v);
    return ((Value.Plain) v).expr();
  }

  /** Stores a compound expression in a temporary so that it is evaluated exactly once, here. */
  private Expr atom(Expr e) {
    if (e instanceof Expr.Ref || e instanceof Expr.Const || e instanceof Expr.StaticField) return e;
    Var t = newTemp(e.type());
    out.add(new Stmt.Assign(t, e, line));
    if (t.type().isArray() && !(e instanceof Expr.NewArray || e instanceof Expr.ArrayLiteral
        || e instanceof Expr.CloneArray)) {
      sharedArrays.add(t);
    }
    return Expr.ref(t);
  }

  private static Expr castTo(IrType to, Expr e) {
    if (to.isPrimitive() && Typing.unboxed(e.type()) != null) {
      return new Expr.Cast(to, e); // unboxing (and widening): (double) list.get(i)
    }
    if (e.type().equals(to) || !to.isPrimitive() || !e.type().isPrimitive()) return e;
    if (e instanceof Expr.Const && ((Expr.Const) e).value() instanceof Number) {
      Number n = (Number) ((Expr.Const) e).value();
      switch (to.kind()) {
        case DOUBLE: return new Expr.Const(n.doubleValue(), to);
        case FLOAT: return new Expr.Const(n.floatValue(), to);
        case LONG: return new Expr.Const(n.longValue(), to);
        case INT: return new Expr.Const(n.intValue(), to);
        default: break;
      }
    }
    return new Expr.Cast(to, e);
  }

  private Var newTemp(IrType type) {
    return names.temp(type);
  }

  private Var declare(String name, IrType type) {
    return names.newVar(name, type);
  }

  private Reporter.Abort unsupported(Tree tree, String what, String advice) {
    return reporter.error(tree, unit, Message.UNSUPPORTED, what, advice);
  }

  private String methodName() {
    return owner.getSimpleName() + "." + method.getSimpleName();
  }

  private int lineOf(Tree tree) {
    long pos = positions.getStartPosition(unit, tree);
    return pos < 0 ? -1 : (int) unit.getLineMap().getLineNumber(pos);
  }

  private static Expr.BinOp binOp(Tree.Kind kind) {
    switch (kind) {
      case MULTIPLY: return Expr.BinOp.MUL;
      case DIVIDE: return Expr.BinOp.DIV;
      case REMAINDER: return Expr.BinOp.REM;
      case PLUS: return Expr.BinOp.ADD;
      case MINUS: return Expr.BinOp.SUB;
      case LEFT_SHIFT: return Expr.BinOp.SHL;
      case RIGHT_SHIFT: return Expr.BinOp.SHR;
      case UNSIGNED_RIGHT_SHIFT: return Expr.BinOp.USHR;
      case LESS_THAN: return Expr.BinOp.LT;
      case LESS_THAN_EQUAL: return Expr.BinOp.LE;
      case GREATER_THAN: return Expr.BinOp.GT;
      case GREATER_THAN_EQUAL: return Expr.BinOp.GE;
      case EQUAL_TO: return Expr.BinOp.EQ;
      case NOT_EQUAL_TO: return Expr.BinOp.NE;
      case AND: return Expr.BinOp.AND;
      case XOR: return Expr.BinOp.XOR;
      case OR: return Expr.BinOp.OR;
      default: throw new IllegalArgumentException(kind.toString());
    }
  }

  private static Expr.BinOp compoundOp(Tree.Kind kind) {
    switch (kind) {
      case PLUS_ASSIGNMENT: return Expr.BinOp.ADD;
      case MINUS_ASSIGNMENT: return Expr.BinOp.SUB;
      case MULTIPLY_ASSIGNMENT: return Expr.BinOp.MUL;
      case DIVIDE_ASSIGNMENT: return Expr.BinOp.DIV;
      case REMAINDER_ASSIGNMENT: return Expr.BinOp.REM;
      case AND_ASSIGNMENT: return Expr.BinOp.AND;
      case OR_ASSIGNMENT: return Expr.BinOp.OR;
      case XOR_ASSIGNMENT: return Expr.BinOp.XOR;
      case LEFT_SHIFT_ASSIGNMENT: return Expr.BinOp.SHL;
      case RIGHT_SHIFT_ASSIGNMENT: return Expr.BinOp.SHR;
      default: return Expr.BinOp.USHR;
    }
  }
}
