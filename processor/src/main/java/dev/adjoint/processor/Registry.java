package dev.adjoint.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.Trees;
import dev.adjoint.processor.check.Checker;
import dev.adjoint.processor.check.Message;
import dev.adjoint.processor.check.Reporter;
import dev.adjoint.processor.diff.Callee;
import dev.adjoint.processor.diff.DiffException;
import dev.adjoint.processor.diff.Derivatives;
import dev.adjoint.processor.diff.Forward;
import dev.adjoint.processor.diff.JacobianCode;
import dev.adjoint.processor.diff.Residuals;
import dev.adjoint.processor.diff.Reverse;
import dev.adjoint.processor.emit.GeneratedMethod;
import dev.adjoint.processor.ir.ControlFlowLowering;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Linearizer;
import dev.adjoint.processor.ir.MethodRef;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Target;
import dev.adjoint.processor.ir.ValueNumbering;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.read.BodyReader;
import dev.adjoint.processor.read.CallTargets;
import dev.adjoint.processor.read.Site;
import dev.adjoint.processor.read.TypeResolver;
import dev.adjoint.processor.rules.RuleIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Knows every method the processor differentiates or generates in one round, and builds
 * derivatives on demand: a function is defined by its signature first (so that recursion and
 * calls between classes resolve), and its body is built when first needed or when the round is
 * drained. Holds what is then emitted, class by class.
 */
final class Registry implements CallTargets, Derivatives, Checker.Callees {
  private static final String DIFFERENTIABLE = "dev.adjoint.Differentiable";
  private static final String NO_DERIVATIVE = "dev.adjoint.NoDerivative";

  /** A generated function: its signature now, its body when built. */
  private final class Slot {
    final MethodRef ref;
    final Supplier<Function> builder;
    final Element root;
    final String javadoc;
    Function raw;
    Function linear;
    boolean building;
    /** fGrad and fValueAndGrad of a varargs method take varargs too. */
    boolean varargs;
    /** Generated only for callers in other compilations: left out when it cannot be built. */
    boolean optional;
    /** What this is a derivative of: the user's method, or a generated function. */
    Object of;

    Slot(MethodRef ref, Supplier<Function> builder, Element root, String javadoc) {
      this.ref = ref;
      this.builder = builder;
      this.root = root;
      this.javadoc = javadoc;
    }

    Function linear() {
      if (linear == null) {
        if (building) throw new IllegalStateException("cycle building " + ref.name());
        building = true;
        Element saved = currentRoot;
        boolean savedOptional = buildingOptional;
        currentRoot = root;
        buildingOptional = optional;
        try {
          raw = builder.get();
          linear = ValueNumbering.apply(Linearizer.linearize(ControlFlowLowering.lower(raw)));
        } finally {
          building = false;
          currentRoot = saved;
          buildingOptional = savedOptional;
        }
      }
      return linear;
    }

    /**
     * The body that derivatives of this function are taken of: for a VJP that keeps its
     * callees' residuals (fast, but not differentiable again), the version that recomputes.
     */
    Supplier<Function> derivativeBuilder;
    private Function derivativeLinear;

    Function derivativeLinear() {
      if (derivativeBuilder == null) return linear();
      if (derivativeLinear == null) {
        Element saved = currentRoot;
        currentRoot = root;
        try {
          derivativeLinear = ValueNumbering.apply(Linearizer.linearize(
              ControlFlowLowering.lower(derivativeBuilder.get())));
        } finally {
          currentRoot = saved;
        }
      }
      return derivativeLinear;
    }
  }

  private final Elements elements;
  private final Trees trees;
  private final Reporter reporter;
  private final TypeResolver types;
  private final dev.adjoint.processor.read.TypeContracts contracts;
  private final dev.adjoint.processor.shape.ShapeStage shapes;
  /** Names of the gradient records this round generates. */
  private final Set<String> generatedRecords = new HashSet<>();
  private final RuleIndex rules;
  private final Set<ExecutableElement> roundMethods;
  private final int jarForwardOrder;
  private final Map<ExecutableElement, Plan> plans = new HashMap<>();
  private final Map<ExecutableElement, Function> userFunctions = new HashMap<>();
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final Map<ClassName, GeneratedClass> classes = new LinkedHashMap<>();
  private final Set<String> reverseDerived = new HashSet<>();
  private final Set<String> failed = new HashSet<>();
  private Element currentRoot;
  /** Whether the function being defined or built is an optional one (see {@link #drain}). */
  private boolean buildingOptional;

  Registry(Elements elements, Trees trees, Reporter reporter, RuleIndex rules,
      Set<ExecutableElement> roundMethods, int jarForwardOrder) {
    this.elements = elements;
    this.trees = trees;
    this.reporter = reporter;
    this.types = new TypeResolver(elements);
    this.contracts = new dev.adjoint.processor.read.TypeContracts(elements, trees,
        generatedRecords::contains);
    this.shapes = new dev.adjoint.processor.shape.ShapeStage(elements, trees, reporter, types);
    this.rules = rules;
    this.roundMethods = roundMethods;
    this.jarForwardOrder = jarForwardOrder;
  }

  Map<ClassName, GeneratedClass> classes() {
    return classes;
  }

  /** The shape stage, for the processor's options and its report. */
  dev.adjoint.processor.shape.ShapeStage shapes() {
    return shapes;
  }

  // ---------------------------------------------------------------- planning

  /** Reads, checks and schedules every public derivative of a method of this round. */
  void plan(ExecutableElement method) {
    currentRoot = method;
    Plan p = planOf(method);
    if (p == null) return;
    Function f = userFunction(method);
    if (f == null) return;
    int errors = reporter.errorCount();
    shapes.check(method);
    Checker.check(f, p.method().getEnclosingElement().getSimpleName() + "." + p.name(), this,
        this::siteError);
    if (reporter.errorCount() > errors) return; // reported once, at the call; build nothing
    GeneratedClass cls = classOf(p.derivatives(), method);
    if (p.gradRecord() != null) cls.addRecord(p.gradType());
    String link = link(method);
    MethodRef vjp = define(p.derivatives(), p.name() + "Vjp", withExtra(p, List.of(
        p.returnType())), p.gradType(),
        () -> Reverse.vjp(userFunction(method), p.name() + "Vjp", p.derivatives(),
            Reverse.Output.VJP, p.gradType(), this, true),
        "Vector-Jacobian product of " + link + ": the gradient of {@code <cotangent, "
            + p.name() + "(...)>}.");
    reverseDerived.add(key(vjp));
    slots.get(key(vjp)).derivativeBuilder = () -> Reverse.vjp(userFunction(method),
        p.name() + "Vjp", p.derivatives(), Reverse.Output.VJP, p.gradType(), this);
    MethodRef jvp = define(p.derivatives(), p.name() + "Jvp", withExtra(p, wrtTypes(p)),
        IrType.dual(p.returnType()),
        () -> Forward.jvp(userFunction(method), p.name() + "Jvp", p.derivatives(),
            Forward.Output.DUAL, this),
        "Value and directional derivative (Jacobian-vector product) of " + link
            + " along the given tangents, one per differentiated parameter.");
    // fJvpJvp...: so that callers in other compilations reach higher orders through the jar.
    if (jarForwardOrder > 1) defineIteratedJvp(jvp, jarForwardOrder - 1);
    MethodRef jvpN = p.wrt().isEmpty() ? null : define(p.derivatives(), p.name() + "JvpN",
        withExtra(p, wrtTypes(p).stream().map(IrType::arrayOf).toList()),
        IrType.dualN(p.returnType()),
        () -> Forward.jvpN(userFunction(method), p.name() + "JvpN", p.derivatives(),
            Forward.Output.DUAL, this),
        "Value and directional derivatives of " + link + " along several directions in one "
            + "pass: one array of tangents per differentiated parameter, element {@code j} of "
            + "each making direction {@code j}.");
    if (!p.scalarResult()) {
      defineJacobian(p, method, link, jvp, jvpN, vjp, null);
      // fVjpJvp...: reverse mode inside forward mode across jars (a JVP rule with an array or
      // tensor result, reversed and then differentiated forward, is third order).
      if (jarForwardOrder > 1) defineIteratedJvp(vjp, jarForwardOrder - 1);
      return;
    }
    MethodRef grad = define(p.derivatives(), p.name() + "Grad", p.params(), p.gradType(),
        () -> gradWrapper(p, vjp), "Gradient of " + link + ".");
    Slot gradSlot = slots.get(key(grad));
    gradSlot.varargs = method.isVarArgs();
    MethodRef vg = define(p.derivatives(), p.name() + "ValueAndGrad", p.params(),
        IrType.valueAndGrad(p.returnType(), p.gradType()),
        () -> Reverse.vjp(userFunction(method), p.name() + "ValueAndGrad", p.derivatives(),
            Reverse.Output.VALUE_AND_GRAD, p.gradType(), this, true),
        "Value and gradient of " + link + ", from one forward and one reverse sweep.");
    reverseDerived.add(key(vg));
    slots.get(key(vg)).varargs = method.isVarArgs();
    MethodRef hvp = define(p.derivatives(), p.name() + "Hvp", withExtra(p, wrtTypes(p)),
        p.gradType(),
        () -> Forward.jvp(gradSlot.linear(), p.name() + "Hvp", p.derivatives(),
            Forward.Output.TANGENT, this),
        "Hessian of " + link + " times the given vector (forward over reverse mode).");
    reverseDerived.add(key(hvp));
    hvpKeyOfGrad.put(key(grad), hvp);
    defineJacobian(p, method, link, jvp, jvpN, vjp, grad);
    IrType hessian = p.wrt().size() == 1
        ? JacobianCode.hessianType(p.params().get(p.wrt().get(0))) : null;
    if (hessian != null) {
      MethodRef hessianRef = define(p.derivatives(), p.name() + "Hessian", p.params(), hessian,
          () -> JacobianCode.hessian(userFunction(method), p.name() + "Hessian",
              p.derivatives(), hessian, hvp, jvpN(grad).method(), this),
          "Hessian of " + link + " (forward over reverse mode: one vector JVP of the gradient "
              + "along every basis direction).");
      reverseDerived.add(key(hessianRef));
      slots.get(key(hessianRef)).varargs = method.isVarArgs();
    }
    // fVjpJvp (behind fHvp) with its own forward derivatives, for third order across jars.
    if (jarForwardOrder > 2) defineIteratedJvp(vjp, jarForwardOrder - 1);
  }

  private final Map<String, MethodRef> hvpKeyOfGrad = new HashMap<>();

  /** fJacobian, for one differentiated parameter of a type it is defined for. */
  private void defineJacobian(Plan p, ExecutableElement method, String link, MethodRef jvp,
      MethodRef jvpN, MethodRef vjp, MethodRef grad) {
    if (p.wrt().size() != 1) return;
    IrType type = JacobianCode.jacobianType(p.params().get(p.wrt().get(0)), p.returnType());
    if (type == null) return;
    JacobianCode.Parts parts = new JacobianCode.Parts(method(method), jvp, jvpN, vjp, grad);
    MethodRef ref = define(p.derivatives(), p.name() + "Jacobian", p.params(), type,
        () -> JacobianCode.jacobian(userFunction(method), p.name() + "Jacobian",
            p.derivatives(), type, parts, this),
        "Jacobian of " + link + ", the result's dimensions first: forward mode (one vector "
            + "JVP) when it has no more inputs than outputs, else reverse mode (one VJP per "
            + "output).");
    reverseDerived.add(key(ref));
    slots.get(key(ref)).varargs = method.isVarArgs();
  }

  /**
   * {@code times} iterated JVPs of {@code base} (fJvpJvp..., fVjpJvp...), so that a jar serves
   * higher orders; optional (see {@link #drain}).
   */
  private void defineIteratedJvp(MethodRef base, int times) {
    boolean saved = buildingOptional;
    buildingOptional = true;
    try {
      MethodRef current = base;
      for (int k = 0; k < times; k++) current = jvp(current).method();
    } finally {
      buildingOptional = saved;
    }
  }

  private Function gradWrapper(Plan p, MethodRef vjp) {
    Function f = userFunction(p.method());
    Names names = new Names(f.names());
    List<Expr> args = new ArrayList<>();
    for (Var v : f.params()) args.add(Expr.ref(v));
    args.add(Expr.Const.one(p.returnType()));
    Var g = names.newVar("gradient", p.gradType());
    int line = f.body().get(0).line();
    List<Stmt> body = List.of(new Stmt.Assign(g, new Expr.Call(vjp, args), line),
        new Stmt.Return(Expr.ref(g), line));
    return new Function(p.derivatives(), p.name() + "Grad", f.params(), p.gradType(), f.wrt(),
        body, names, f.sourceFile(), true, false);
  }

  private static List<IrType> withExtra(Plan p, List<IrType> extra) {
    List<IrType> all = new ArrayList<>(p.params());
    all.addAll(extra);
    return all;
  }

  private static List<IrType> wrtTypes(Plan p) {
    return p.wrt().stream().map(p.params()::get).toList();
  }

  private String link(ExecutableElement m) {
    TypeElement owner = (TypeElement) m.getEnclosingElement();
    List<String> ps = new ArrayList<>();
    for (VariableElement v : m.getParameters()) {
      ps.add(types.of(v.asType()).typeName().toString().replaceAll("<.*>", ""));
    }
    return "{@link " + owner.getQualifiedName() + "#" + m.getSimpleName() + "("
        + String.join(", ", ps) + ")}";
  }

  /** The plan of a {@code @Differentiable} method (or a rule method), null after an error. */
  Plan planOf(ExecutableElement m) {
    if (plans.containsKey(m)) return plans.get(m);
    plans.put(m, null);
    if (unresolved(m.getReturnType(), new HashSet<>()) || m.getParameters().stream()
        .anyMatch(v -> unresolved(v.asType(), new HashSet<>()))) {
      return null; // javac reports the missing type itself, better than we could
    }
    TypeElement owner = (TypeElement) m.getEnclosingElement();
    List<IrType> params = new ArrayList<>();
    List<String> names = new ArrayList<>();
    boolean instance = !m.getModifiers().contains(Modifier.STATIC);
    if (instance) {
      params.add(types.of(owner.asType()));
      names.add(BodyReader.receiverName(m));
    }
    List<Boolean> excluded = new ArrayList<>();
    if (instance) excluded.add(false);
    for (VariableElement v : m.getParameters()) {
      params.add(types.of(v.asType()));
      names.add(v.getSimpleName().toString());
      excluded.add(hasAnnotation(v, NO_DERIVATIVE));
    }
    IrType ret = types.of(m.getReturnType());
    if (!ret.isDifferentiable()) {
      reporter.error(m, Message.RETURN_TYPE, owner.getSimpleName() + "." + m.getSimpleName(),
          m.getReturnType());
      return null;
    }
    List<String> wrtNames = wrtNames(m);
    List<Integer> wrt = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      boolean named = wrtNames.isEmpty() ? params.get(i).isDifferentiable()
          : wrtNames.contains(names.get(i)) || i == 0 && instance && wrtNames.contains("this");
      if (named && !excluded.get(i) && params.get(i).isDifferentiable()) wrt.add(i);
    }
    for (String w : wrtNames) {
      String n = w.equals("this") ? BodyReader.receiverName(m) : w;
      int i = names.indexOf(n);
      if (i < 0 || !params.get(i).isDifferentiable() || excluded.get(i)) {
        List<String> choices = new ArrayList<>();
        for (int k = 0; k < params.size(); k++) {
          if (params.get(k).isDifferentiable()) choices.add(k == 0 && instance ? "this" : names.get(k));
        }
        reporter.error(m, Message.WRT_UNKNOWN, w, owner.getSimpleName() + "." + m.getSimpleName(),
            String.join(", ", choices));
        return null;
      }
    }
    for (int i : wrt) {
      String problem = contracts.problem(params.get(i));
      if (problem != null) {
        Element at = instance && i == 0 ? m : m.getParameters().get(instance ? i - 1 : i);
        reporter.error(at, Message.TYPE, (instance && i == 0 ? "the receiver" : "parameter '"
            + names.get(i) + "'"), owner.getSimpleName() + "." + m.getSimpleName(), problem);
        return null;
      }
    }
    for (int i = 0; i < params.size(); i++) {
      // a type that holds numbers but is not differentiated by default (double[][]) must be
      // marked @NoDerivative, so that it is not silently a constant
      if (!wrt.contains(i) && !excluded.get(i) && wrtNames.isEmpty()
          && contracts.problem(params.get(i)) != null) {
        reporter.error(m.getParameters().get(instance ? i - 1 : i), Message.TYPE, "parameter '"
            + names.get(i) + "'", owner.getSimpleName() + "." + m.getSimpleName(),
            contracts.problem(params.get(i)) + "; or mark it @NoDerivative to use it as a "
                + "constant");
        return null;
      }
    }
    String retProblem = contracts.problem(ret);
    if (retProblem != null) {
      reporter.error(m, Message.TYPE, "the result", owner.getSimpleName() + "."
          + m.getSimpleName(), retProblem);
      return null;
    }
    if (wrt.isEmpty()) {
      reporter.error(m, Message.NOTHING_TO_DIFFERENTIATE,
          owner.getSimpleName() + "." + m.getSimpleName());
      return null;
    }
    ClassName derivatives = derivativesClass(owner);
    IrType gradType;
    String record = null;
    if (wrt.size() == 1) {
      gradType = params.get(wrt.get(0));
    } else {
      record = capitalize(m.getSimpleName().toString()) + "Grad" + overloadSuffix(m);
      List<IrType.Component> comps = new ArrayList<>();
      for (int i : wrt) comps.add(new IrType.Component(names.get(i), params.get(i)));
      gradType = IrType.record(derivatives.nestedClass(record), comps);
      generatedRecords.add(gradType.typeName().toString());
    }
    Plan p = new Plan(m, derivatives, params, names, ret, wrt, gradType, record);
    plans.put(m, p);
    return p;
  }

  /** Whether a type, or a record component within it, names a class that does not exist. */
  private static boolean unresolved(javax.lang.model.type.TypeMirror t, Set<Element> seen) {
    switch (t.getKind()) {
      case ERROR:
        return true;
      case ARRAY:
        return unresolved(((javax.lang.model.type.ArrayType) t).getComponentType(), seen);
      case DECLARED: {
        Element e = ((javax.lang.model.type.DeclaredType) t).asElement();
        if (e.getKind() != javax.lang.model.element.ElementKind.RECORD || !seen.add(e)) {
          return false;
        }
        for (javax.lang.model.element.RecordComponentElement c
            : ((TypeElement) e).getRecordComponents()) {
          if (unresolved(c.asType(), seen)) return true;
        }
        return false;
      }
      default:
        return false;
    }
  }

  private String overloadSuffix(ExecutableElement m) {
    int index = 0;
    for (ExecutableElement other : ElementFilter.methodsIn(
        m.getEnclosingElement().getEnclosedElements())) {
      if (other.equals(m)) break;
      if (other.getSimpleName().equals(m.getSimpleName())) index++;
    }
    return index == 0 ? "" : Integer.toString(index + 1);
  }

  static ClassName derivativesClass(TypeElement owner) {
    ClassName c = ClassName.get(owner);
    return ClassName.get(c.packageName(), String.join("_", c.simpleNames()) + "Derivatives");
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private List<String> wrtNames(ExecutableElement m) {
    List<String> out = new ArrayList<>();
    for (AnnotationMirror a : m.getAnnotationMirrors()) {
      if (!((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(DIFFERENTIABLE)) continue;
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
          : a.getElementValues().entrySet()) {
        if (e.getKey().getSimpleName().contentEquals("wrt")) {
          for (Object v : (List<?>) e.getValue().getValue()) {
            out.add((String) ((AnnotationValue) v).getValue());
          }
        }
      }
    }
    return out;
  }

  static boolean hasAnnotation(Element e, String name) {
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(name)) return true;
    }
    return false;
  }

  /**
   * The shapes of a method that is not differentiated but declares them ({@code @Shape}): its
   * body is read quietly (code outside what the processor reads is simply not analyzed), then
   * analyzed and reported like a differentiated method's.
   */
  void checkShapes(ExecutableElement m) {
    MethodTree tree = trees.getTree(m);
    if (tree == null || tree.getBody() == null) return;
    Map<Var, Site> locals = new HashMap<>();
    Function read;
    try {
      read = BodyReader.read(m, tree, derivativesClass((TypeElement) m.getEnclosingElement()),
          List.of(), trees, Reporter.muted(trees), types, this, contracts, locals);
    } catch (RuntimeException notRead) {
      return;
    }
    shapes.read(m, read, locals);
    shapes.check(m);
  }

  /** The read, lowered and linearized body of a method with source, null after an error. */
  Function userFunction(ExecutableElement m) {
    if (userFunctions.containsKey(m)) {
      Function f = userFunctions.get(m);
      if (f == null) throw new Reporter.Abort();
      return f;
    }
    userFunctions.put(m, null);
    Plan p = planOf(m);
    if (p == null) throw new Reporter.Abort();
    MethodTree tree = trees.getTree(m);
    if (tree == null || tree.getBody() == null) {
      reporter.error(m, Message.NO_BODY, m.getEnclosingElement().getSimpleName() + "."
          + m.getSimpleName());
      throw new Reporter.Abort();
    }
    Map<Var, Site> locals = new HashMap<>();
    Function read = BodyReader.read(m, tree, p.derivatives(), p.wrt(), trees, reporter, types,
        this, contracts, locals);
    shapes.read(m, read, locals);
    Function f = ValueNumbering.apply(Linearizer.linearize(ControlFlowLowering.lower(read)));
    userFunctions.put(m, f);
    return f;
  }

  // ---------------------------------------------------------------- functions by signature

  private static String key(MethodRef ref) {
    return key(ref.owner(), ref.name(), ref.paramTypes());
  }

  private static String key(TypeName owner, String name, List<IrType> params) {
    return owner + "#" + name + "#" + params;
  }

  /** Defines (once) a generated static function by its signature. */
  private MethodRef define(ClassName owner, String name, List<IrType> params, IrType ret,
      Supplier<Function> builder, String javadoc) {
    return define(owner, name, params, ret, builder, javadoc, currentRoot);
  }

  /**
   * Defines (once) a generated static function by its signature, as a derivative of {@code of}
   * (the user's method, or a generated function). Two different functions whose derivatives
   * would have one signature (overloads such as {@code loss(double w, double b)} and {@code
   * loss(double w, @NoDerivative double lr, @NoDerivative double reg)}, whose {@code lossJvp}
   * both take four doubles) are an error: one would silently stand for the other.
   */
  private MethodRef define(ClassName owner, String name, List<IrType> params, IrType ret,
      Supplier<Function> builder, String javadoc, Object of) {
    String k = key(owner, name, params);
    Slot existing = slots.get(k);
    if (existing != null && existing.of != null && of != null && !existing.of.equals(of)) {
      Element here = currentRoot;
      String signature = name + params.stream().map(t -> t.typeName().toString())
          .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
      reporter.error(here, Message.DERIVATIVE_CLASH, describe(of), describe(existing.of),
          owner.simpleName() + "." + signature);
      throw new Reporter.Abort();
    }
    if (existing != null) {
      if (!buildingOptional) existing.optional = false; // needed after all
      return existing.ref;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) names.add("p" + i);
    Slot[] holder = new Slot[1];
    MethodRef ref = new MethodRef(owner, name, params, names, ret, true,
        new Target.Source(() -> holder[0].derivativeLinear()));
    holder[0] = new Slot(ref, builder, currentRoot, javadoc);
    holder[0].optional = buildingOptional;
    holder[0].of = of;
    slots.put(k, holder[0]);
    return ref;
  }

  private GeneratedClass classOf(ClassName name, Element origin) {
    return classes.computeIfAbsent(name, n -> new GeneratedClass(n, origin));
  }

  /**
   * Builds every defined function, reporting errors against the method that needed it. The
   * iterated derivatives generated for jars ({@code -Aadjoint.jarForwardOrder}) are optional:
   * one that cannot be built (it would need a derivative its own dependencies lack) is left out
   * silently, with every optional function that calls it.
   */
  void drain() {
    Set<String> done = new HashSet<>();
    Map<String, RuntimeException> optionalFailures = new LinkedHashMap<>();
    buildAll(done, optionalFailures);
    // The split reverse mode of every method, for callers in other compilations (jars).
    boolean saved = buildingOptional;
    buildingOptional = true;
    try {
      for (ExecutableElement m : roundMethods) {
        if (plans.get(m) == null || userFunctions.get(m) == null) continue;
        Element root = currentRoot;
        currentRoot = m;
        try {
          residuals(method(m));
        } catch (RuntimeException e) {
          // optional: a method whose split cannot be built is recomputed by its callers
        } finally {
          currentRoot = root;
        }
      }
    } finally {
      buildingOptional = saved;
    }
    buildAll(done, optionalFailures);
    // What a needed function calls is needed too, even if it was first defined as optional.
    boolean more = true;
    while (more) {
      more = false;
      for (Map.Entry<String, Slot> e : slots.entrySet()) {
        Slot s = e.getValue();
        if (s.optional || s.linear == null) continue;
        for (String callee : calledKeys(s.linear)) {
          Slot c = slots.get(callee);
          if (c != null && c.optional) {
            c.optional = false;
            more = true;
          }
        }
      }
    }
    // An optional function that a needed one came to call after it failed: report it now.
    for (Map.Entry<String, RuntimeException> f : optionalFailures.entrySet()) {
      Slot s = slots.get(f.getKey());
      if (!s.optional) reportBuildFailure(s, f.getValue());
    }
    Set<String> dropped = new HashSet<>(failed);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<String, Slot> e : slots.entrySet()) {
        if (dropped.contains(e.getKey()) || !e.getValue().optional) continue;
        if (callsAny(e.getValue().linear, dropped)) changed |= dropped.add(e.getKey());
      }
    }
    for (Map.Entry<String, Slot> e : slots.entrySet()) {
      if (dropped.contains(e.getKey())) continue;
      Slot s = e.getValue();
      Element origin = s.root;
      GeneratedClass cls = classOf((ClassName) s.ref.owner(), origin);
      if (origin != null) cls.addOrigin(origin);
      cls.addMethod(new GeneratedMethod(s.raw, s.javadoc, s.varargs,
          shapes.entryChecks(s.of, s.raw)));
      for (IrType r : recordsOf(s.raw)) cls.addRecord(r);
    }
  }

  /** Builds every slot not built yet, until no new one appears. */
  private void buildAll(Set<String> done, Map<String, RuntimeException> optionalFailures) {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Map.Entry<String, Slot> e : new ArrayList<>(slots.entrySet())) {
        if (!done.add(e.getKey())) continue;
        progress = true;
        Slot s = e.getValue();
        try {
          s.linear();
        } catch (Reporter.Abort abort) {
          failed.add(e.getKey());
        } catch (RuntimeException ex) {
          failed.add(e.getKey());
          if (s.optional) {
            optionalFailures.put(e.getKey(), ex);
          } else {
            reportBuildFailure(s, ex);
          }
        }
      }
    }
  }

  private void reportBuildFailure(Slot s, RuntimeException ex) {
    if (ex instanceof DiffException) {
      DiffException d = (DiffException) ex;
      siteError(d.site() != null ? d.site() : s.root, d.message(), d.args());
    } else if (s.root != null) {
      reporter.error(s.root, Message.INTERNAL, s.ref.display(), ex);
    }
  }

  /** Whether {@code f} calls one of the generated functions whose keys are given. */
  private static boolean callsAny(Function f, Set<String> keys) {
    for (String k : calledKeys(f)) {
      if (keys.contains(k)) return true;
    }
    return false;
  }

  /** The keys of the methods {@code f} calls (its statements are one operation each). */
  private static Set<String> calledKeys(Function f) {
    Set<String> out = new HashSet<>();
    dev.adjoint.processor.ir.Stmts.forEachDeep(f.body(), st -> {
      for (Expr e : dev.adjoint.processor.ir.Stmts.exprs(st)) {
        if (e instanceof Expr.Call) out.add(key(((Expr.Call) e).method()));
      }
    });
    return out;
  }

  private List<IrType> recordsOf(Function f) {
    List<IrType> out = new ArrayList<>();
    if (f.returnType().isRecord() && f.returnType().typeName() instanceof ClassName
        && ((ClassName) f.returnType().typeName()).enclosingClassName() != null
        && ((ClassName) f.returnType().typeName()).enclosingClassName().equals(f.owner())) {
      out.add(f.returnType());
    }
    return out;
  }

  private void siteError(Object site, Message message, Object... args) {
    if (site instanceof Checker.Line && currentRoot instanceof ExecutableElement) {
      Site at = firstTreeOnLine((ExecutableElement) currentRoot, ((Checker.Line) site).line());
      if (at != null) site = at;
    }
    if (site instanceof Site) {
      Site s = (Site) site;
      reporter.error(s.tree(), s.unit(), message, args);
    } else if (site instanceof Element) {
      reporter.error((Element) site, message, args);
    } else if (currentRoot != null) {
      reporter.error(currentRoot, message, args);
    }
  }

  /** The first statement of {@code m}'s body that starts on {@code line}, or null. */
  private Site firstTreeOnLine(ExecutableElement m, int line) {
    MethodTree tree = trees.getTree(m);
    com.sun.source.util.TreePath path = trees.getPath(m);
    if (tree == null || path == null || tree.getBody() == null) return null;
    com.sun.source.tree.CompilationUnitTree unit = path.getCompilationUnit();
    com.sun.source.tree.Tree[] found = {null};
    new com.sun.source.util.TreeScanner<Void, Void>() {
      @Override
      public Void scan(com.sun.source.tree.Tree t, Void p) {
        if (t != null && found[0] == null && t instanceof com.sun.source.tree.StatementTree) {
          long pos = trees.getSourcePositions().getStartPosition(unit, t);
          if (pos >= 0 && unit.getLineMap().getLineNumber(pos) == line) {
            found[0] = t;
            return null;
          }
        }
        return super.scan(t, p);
      }
    }.scan(tree.getBody(), null);
    return found[0] == null ? null : new Site(found[0], unit);
  }

  // ---------------------------------------------------------------- CallTargets

  @Override
  public MethodRef method(ExecutableElement m) {
    TypeElement owner = (TypeElement) m.getEnclosingElement();
    List<IrType> params = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (VariableElement v : m.getParameters()) {
      params.add(types.of(v.asType()));
      names.add(v.getSimpleName().toString());
    }
    boolean isStatic = m.getModifiers().contains(Modifier.STATIC);
    return new MethodRef(ClassName.get(owner), m.getSimpleName().toString(), params, names,
        types.of(m.getReturnType()), isStatic, targetOf(m, params.size() + (isStatic ? 0 : 1)));
  }

  private Target targetOf(ExecutableElement m, int arity) {
    List<RuleIndex.Rule> found = rules.rulesOf(m);
    if (!found.isEmpty()) {
      List<MethodRef> jvp = new ArrayList<>();
      List<MethodRef> vjp = new ArrayList<>();
      for (int i = 0; i < arity; i++) {
        jvp.add(null);
        vjp.add(null);
      }
      for (RuleIndex.Rule r : found) {
        (r.forward() ? jvp : vjp).set(r.position(), method(r.method()));
      }
      IrType ret = types.of(m.getReturnType());
      for (int i = 0; i < arity; i++) {
        IrType arg = i < jvp.size() && jvp.get(i) != null ? jvp.get(i).paramTypes().get(i) : null;
        if (vjp.get(i) == null && jvp.get(i) != null && ret.isFloating() && arg != null
            && arg.isFloating()) {
          vjp.set(i, jvp.get(i)); // a 1x1 linear map is its own transpose
        }
      }
      return new Target.Rules(jvp, vjp);
    }
    if (roundMethods.contains(m)
        || RuleIndex.isRule(m) && trees.getTree(m) != null && !hasAnnotation(m, DIFFERENTIABLE)) {
      return new Target.Source(() -> userFunction(m));
    }
    if (hasAnnotation(m, DIFFERENTIABLE)) {
      Plan p = planOf(m);
      if (p != null) return new Target.Jar(p.derivatives(), p.wrt(), jarGradType(p));
    }
    return new Target.Opaque();
  }

  /**
   * The gradient type as the jar's generated {@code fVjp} declares it: class files may not keep
   * parameter names, but the gradient record's components are named in its own class file.
   */
  private IrType jarGradType(Plan p) {
    TypeElement d = elements.getTypeElement(p.derivatives().canonicalName());
    if (d != null) {
      for (ExecutableElement e : ElementFilter.methodsIn(d.getEnclosedElements())) {
        if (!e.getSimpleName().contentEquals(p.name() + "Vjp")
            || e.getParameters().size() != p.params().size() + 1) {
          continue;
        }
        boolean same = true; // the overload with these parameter types (float and double)
        for (int i = 0; i < p.params().size() && same; i++) {
          same = types.of(e.getParameters().get(i).asType()).equals(p.params().get(i));
        }
        if (same) return types.of(e.getReturnType());
      }
    }
    return p.gradType();
  }

  @Override
  public IrType generatedType(TypeElement base, String name) {
    for (ExecutableElement m : ElementFilter.methodsIn(base.getEnclosedElements())) {
      if (!roundMethods.contains(m)) continue;
      Plan p = planOf(m);
      if (p != null && name.equals(p.gradRecord())) return p.gradType();
    }
    return null;
  }

  @Override
  public MethodRef generated(TypeElement base, String methodName, List<IrType> argumentTypes) {
    for (String kind : List.of("ValueAndGrad", "Grad", "Jvp", "Vjp", "Hvp")) {
      if (!methodName.endsWith(kind) || methodName.length() == kind.length()) continue;
      String name = methodName.substring(0, methodName.length() - kind.length());
      for (ExecutableElement m : ElementFilter.methodsIn(base.getEnclosedElements())) {
        if (!m.getSimpleName().contentEquals(name) || !roundMethods.contains(m)) continue;
        Plan p = planOf(m);
        if (p == null) continue;
        Element saved = currentRoot;
        currentRoot = m;
        plan(m);
        currentRoot = saved;
        for (Slot s : new ArrayList<>(slots.values())) {
          if (s.ref.owner().equals(p.derivatives()) && s.ref.name().equals(methodName)
              && s.ref.paramTypes().size() == argumentTypes.size()) {
            return s.ref;
          }
        }
      }
    }
    return jarGradient(base, methodName, argumentTypes);
  }

  /**
   * {@code XDerivatives.fGrad(...)} where {@code X.f} is a {@code @Differentiable} method in a
   * jar: the jar's method, with a target that differentiates it through the jar (see
   * {@link Target.JarGrad}), or null.
   */
  private MethodRef jarGradient(TypeElement base, String methodName, List<IrType> args) {
    if (!methodName.endsWith("Grad") || methodName.endsWith("ValueAndGrad")) return null;
    String name = methodName.substring(0, methodName.length() - "Grad".length());
    for (ExecutableElement m : ElementFilter.methodsIn(base.getEnclosedElements())) {
      if (!m.getSimpleName().contentEquals(name) || roundMethods.contains(m)
          || !hasAnnotation(m, DIFFERENTIABLE)) {
        continue;
      }
      Plan p = planOf(m);
      if (p == null || !p.scalarResult() || p.params().size() != args.size()) continue;
      MethodRef primal = method(m);
      return new MethodRef(p.derivatives(), methodName, p.params(), names(p.params()),
          jarGradType(p), true, new Target.JarGrad(primal));
    }
    return null;
  }

  /**
   * The JVP or the VJP of a jar's {@code fGrad(p...)}: a function of this compilation that
   * calls the jar's {@code fVjpJvp(p..., 1, t..., 0)}, with the tangents {@code t} of the
   * parameters (JVP) or the cotangent of the gradient (VJP; the Hessian is symmetric).
   */
  private Callee jarGradDerivative(MethodRef grad, boolean reverse) {
    MethodRef primal = ((Target.JarGrad) grad.target()).primal();
    Target.Jar jar = (Target.Jar) primal.target();
    MethodRef vjpJvp = jvp(vjp(primal).method()).method();
    List<Integer> wrt = jar.wrt();
    IrType gradType = grad.returnType();
    ClassName owner = currentRoot instanceof ExecutableElement
        ? derivativesClass((TypeElement) currentRoot.getEnclosingElement())
        : (ClassName) grad.owner();
    List<IrType> params = new ArrayList<>(grad.paramTypes());
    boolean split = reverse && wrt.size() > 1;
    if (reverse && !split) {
      params.add(gradType);
    } else {
      for (int pos : wrt) params.add(grad.paramTypes().get(pos));
    }
    String simple = ((ClassName) grad.owner()).simpleName().replace("Derivatives", "");
    String name = simple + "_" + grad.name() + (reverse ? "Vjp" : "Jvp");
    IrType result = reverse ? gradType : IrType.dual(gradType);
    MethodRef ref = define(owner, name, params, result, () -> {
      Names names = new Names();
      List<Var> vars = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) vars.add(names.newVar("p" + i, params.get(i)));
      List<Expr> args = new ArrayList<>();
      for (int i = 0; i < grad.paramTypes().size(); i++) args.add(Expr.ref(vars.get(i)));
      args.add(Expr.Const.one(primal.returnType()));
      List<Var> tangents = vars.subList(grad.paramTypes().size(), vars.size());
      if (reverse && !split) {
        Var g = tangents.get(0);
        if (wrt.size() == 1) {
          args.add(Expr.ref(g));
        } else {
          for (IrType.Component c : gradType.components()) args.add(new Expr.Get(Expr.ref(g),
              c.name()));
        }
      } else {
        for (Var t : tangents) args.add(Expr.ref(t));
      }
      args.add(Expr.Const.zero(primal.returnType()));
      Var dual = names.newVar("d", vjpJvp.returnType());
      List<Stmt> body = new ArrayList<>();
      body.add(new Stmt.Assign(dual, new Expr.Call(vjpJvp, args), -1));
      Expr out = reverse ? new Expr.Get(Expr.ref(dual), "tangent") : Expr.ref(dual);
      body.add(new Stmt.Return(out, -1));
      List<Integer> fwrt = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) fwrt.add(i);
      return new Function(owner, name, vars, result, fwrt, body, names, "", false, false);
    }, "The " + (reverse ? "VJP" : "JVP") + " of {@code " + grad.owner() + "." + grad.name()
        + "}, through the derivatives generated into its jar.", grad);
    List<String> comps = split
        ? gradType.components().stream().map(IrType.Component::name).toList() : null;
    return new Callee(ref, wrt, comps, split);
  }

  // ---------------------------------------------------------------- Derivatives

  @Override
  public Callee jvp(MethodRef m) {
    if (m.target() instanceof Target.JarGrad) return jarGradDerivative(m, false);
    if (m.target() instanceof Target.Jar) {
      Target.Jar j = (Target.Jar) m.target();
      List<IrType> params = new ArrayList<>(m.argumentTypes());
      List<Integer> wrt = new ArrayList<>(j.wrt());
      for (int pos : j.wrt()) {
        wrt.add(params.size());
        params.add(m.argumentTypes().get(pos));
      }
      String name = m.name() + "Jvp";
      requireInJar(j.derivatives(), name, params.size(), m);
      MethodRef ref = new MethodRef(j.derivatives(), name, params, names(params),
          IrType.dual(m.returnType()), true,
          new Target.Jar(j.derivatives(), wrt, null));
      return new Callee(ref, j.wrt(), null, false);
    }
    Function f = sourceOf(m);
    List<IrType> params = new ArrayList<>();
    for (Var v : f.params()) params.add(v.type());
    for (Var v : f.wrtParams()) params.add(v.type());
    MethodRef ref = define(f.owner(), f.name() + "Jvp", params, IrType.dual(f.returnType()),
        () -> Forward.jvp(f, f.name() + "Jvp", f.owner(), Forward.Output.DUAL, this),
        "Forward-mode derivative of {@code " + f.name() + "}, used by higher derivatives.",
        originOf(f));
    return new Callee(ref, f.wrt(), null, false);
  }

  @Override
  public Callee jvpN(MethodRef m) {
    if (m.target() instanceof Target.JarGrad || m.target() instanceof Target.Jar) return null;
    Function f = sourceOf(m);
    if (f.wrt().isEmpty()) return null;
    List<IrType> params = new ArrayList<>();
    for (Var v : f.params()) params.add(v.type());
    for (Var v : f.wrtParams()) params.add(IrType.arrayOf(v.type()));
    MethodRef ref = define(f.owner(), f.name() + "JvpN", params, IrType.dualN(f.returnType()),
        () -> Forward.jvpN(f, f.name() + "JvpN", f.owner(), Forward.Output.DUAL, this),
        "Forward-mode derivative of {@code " + f.name() + "} along several directions at once, "
            + "used by vector JVPs.", originOf(f));
    return new Callee(ref, f.wrt(), null, false);
  }

  @Override
  public Callee vjp(MethodRef m) {
    if (m.target() instanceof Target.JarGrad) return jarGradDerivative(m, true);
    if (m.target() instanceof Target.Jar) {
      Target.Jar j = (Target.Jar) m.target();
      if (j.gradType() == null) {
        throw new DiffException(null, Message.REVERSE_THROUGH_TAPE, m.display(),
            Message.reverseAdvice(m.display()));
      }
      List<IrType> params = new ArrayList<>(m.argumentTypes());
      params.add(m.returnType());
      String name = m.name() + "Vjp";
      requireInJar(j.derivatives(), name, params.size(), m);
      // Its own forward derivative (fVjpJvp, behind fHvp) is in the jar too.
      List<Integer> wrtOfVjp = new ArrayList<>(j.wrt());
      wrtOfVjp.add(params.size() - 1);
      MethodRef ref = new MethodRef(j.derivatives(), name, params, names(params), j.gradType(),
          true, new Target.Jar(j.derivatives(), wrtOfVjp, null));
      List<String> comps = j.wrt().size() == 1 ? null
          : j.gradType().components().stream().map(IrType.Component::name).toList();
      return new Callee(ref, j.wrt(), comps, false);
    }
    Function f = sourceOf(m);
    MethodRef hvp = hvpKeyOfGrad.get(key(m));
    if (f.symmetric() && hvp != null) {
      List<String> comps = hvp.returnType().isRecord() && f.wrt().size() > 1
          ? hvp.returnType().components().stream().map(IrType.Component::name).toList() : null;
      // several wrt parameters: the cotangent record's components are fHvp's vectors
      return new Callee(hvp, f.wrt(), comps, f.wrt().size() > 1);
    }
    if (reverseDerived.contains(key(m)) || f.usesTape()) {
      throw new DiffException(null, Message.REVERSE_THROUGH_TAPE, m.display(),
            Message.reverseAdvice(m.display()));
    }
    IrType gradType = gradTypeOf(f);
    List<IrType> params = new ArrayList<>();
    for (Var v : f.params()) params.add(v.type());
    params.add(f.returnType());
    MethodRef ref = define(f.owner(), f.name() + "Vjp", params, gradType,
        () -> Reverse.vjp(f, f.name() + "Vjp", f.owner(), Reverse.Output.VJP, gradType, this),
        "Reverse-mode derivative of {@code " + f.name() + "}, used by higher derivatives.",
        originOf(f));
    reverseDerived.add(key(ref));
    List<String> comps = f.wrt().size() == 1 ? null
        : f.wrtParams().stream().map(Var::name).toList();
    return new Callee(ref, f.wrt(), comps, false);
  }

  private IrType gradTypeOf(Function f) {
    if (f.wrt().size() == 1) return f.wrtParams().get(0).type();
    List<IrType> params = new ArrayList<>();
    for (Var v : f.params()) params.add(v.type());
    for (Plan p : plans.values()) {
      if (p != null && p.derivatives().equals(f.owner()) && p.name().equals(f.name())
          && p.params().equals(params)) {
        return p.gradType(); // the overload with these parameters
      }
    }
    List<IrType.Component> comps = new ArrayList<>();
    for (Var v : f.wrtParams()) comps.add(new IrType.Component(v.name(), v.type()));
    IrType t = IrType.record(f.owner().nestedClass(capitalize(f.name()) + "Grad"), comps);
    generatedRecords.add(t.typeName().toString());
    return t;
  }

  /**
   * The user's method a function was read from, or the signature of a generated function (its
   * bodies, emitted and differentiated, are one function).
   */
  private Object originOf(Function f) {
    for (Map.Entry<ExecutableElement, Function> e : userFunctions.entrySet()) {
      if (e.getValue() == f) return e.getKey();
    }
    List<IrType> params = new ArrayList<>();
    for (Var v : f.params()) params.add(v.type());
    return key(f.owner(), f.name(), params);
  }

  private static String describe(Object of) {
    if (of instanceof ExecutableElement) {
      ExecutableElement m = (ExecutableElement) of;
      return m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName()
          + m.getParameters().stream().map(v -> v.asType().toString())
              .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }
    return of instanceof Function ? ((Function) of).name() : of.toString().split("#")[1];
  }

  // ---------------------------------------------------------------- residuals

  private final Map<String, Residuals> residualsByKey = new HashMap<>();
  /** The splits being built, innermost first, each known by its signature meanwhile. */
  private final Map<String, Residuals> splitting = new HashMap<>();
  private final java.util.Deque<String> splitOrder = new java.util.ArrayDeque<>();
  private static final String CHECKPOINT = "dev.adjoint.Checkpoint";

  @Override
  public Residuals residuals(MethodRef m) {
    String k = key(m);
    if (residualsByKey.containsKey(k)) return residualsByKey.get(k);
    if (splitting.containsKey(k)) {
      // a method calling itself splits the call; one reached again through another method
      // being split is recomputed there, so that nothing else refers to a split that may fail
      return k.equals(splitOrder.peek()) ? splitting.get(k) : null;
    }
    Residuals r = null;
    if (m.target() instanceof Target.Jar) {
      r = jarResiduals(m);
    } else if (m.target() instanceof Target.Source && !reverseDerived.contains(k)) {
      Function f = sourceOf(m);
      Object origin = originOf(f);
      boolean checkpoint = origin instanceof ExecutableElement
          && hasAnnotation((Element) origin, CHECKPOINT);
      if (!checkpoint && !f.usesTape() && !f.symmetric() && origin instanceof ExecutableElement) {
        r = splitUserFunction(k, f);
      }
    }
    residualsByKey.put(k, r);
    return r;
  }

  /**
   * fVjpForward and fVjpBackward of a user's method (see {@link Residuals}). Their signatures
   * follow from the method's, so they are known before they are built: a recursive method
   * ({@code det} by minors) splits its calls to itself too, each level's residuals on the one
   * tape.
   */
  private Residuals splitUserFunction(String k, Function f) {
    IrType gradType = gradTypeOf(f);
    // overloads' backward methods may take the same parameter types: numbered, and the forward
    // with them, so that a caller in another compilation finds the pair by the forward's name
    String suffix = overloadSuffixOf(f);
    String forwardName = f.name() + "VjpForward" + suffix;
    String backwardName = f.name() + "VjpBackward" + suffix;
    List<IrType> forwardParams = new ArrayList<>();
    for (Var v : f.params()) forwardParams.add(v.type());
    forwardParams.add(IrType.TAPE);
    List<IrType> paramTypes = f.params().stream().map(Var::type).toList();
    List<IrType> backwardParams = new ArrayList<>();
    backwardParams.add(IrType.TAPE);
    for (int j : Residuals.inPlace(paramTypes, f.wrt())) backwardParams.add(paramTypes.get(f.wrt().get(j)));
    backwardParams.add(f.returnType());
    Reverse.Split[] built = {null};
    MethodRef forward = define(f.owner(), forwardName, forwardParams, f.returnType(),
        () -> built[0].forward(), "Forward sweep of {@code " + f.name() + "}'s reverse mode: "
            + "returns its value and leaves on {@code tape} what the reverse sweep ({@code "
            + backwardName + "}) pops.", originOf(f));
    MethodRef backward = define(f.owner(), backwardName, backwardParams, gradType,
        () -> built[0].backward(), "Reverse sweep of {@code " + f.name() + "}'s reverse mode: "
            + "pops what {@code " + forwardName + "} left on {@code tape} and, from the "
            + "cotangent, returns the gradient (adding that of array parameters into their "
            + "adjoint arrays).", originOf(f));
    reverseDerived.add(key(forward));
    reverseDerived.add(key(backward));
    List<String> comps = f.wrt().size() == 1 ? null
        : f.wrtParams().stream().map(Var::name).toList();
    splitting.put(k, new Residuals(forward, backward, List.of(), f.wrt(), comps, List.of()));
    splitOrder.push(k);
    try {
      built[0] = Reverse.split(f, forwardName, backwardName, f.owner(), gradType, this);
    } catch (RuntimeException e) {
      // not split after all: its callers recompute it, and the methods are not generated
      slots.remove(key(forward));
      slots.remove(key(backward));
      throw e;
    } finally {
      splitting.remove(k);
      splitOrder.pop();
    }
    return new Residuals(forward, backward, built[0].kept(), f.wrt(), comps,
        built[0].descriptions());
  }

  /** The overload number of a user's method, as its gradient record has it. */
  private String overloadSuffixOf(Function f) {
    Object origin = originOf(f);
    return origin instanceof ExecutableElement ? overloadSuffix((ExecutableElement) origin) : "";
  }

  /** The split methods generated into a jar with the method, or null (a jar built before). */
  private Residuals jarResiduals(MethodRef m) {
    Target.Jar j = (Target.Jar) m.target();
    if (j.gradType() == null) return null;
    TypeElement d = elements.getTypeElement(j.derivatives().toString());
    if (d == null) return null;
    String prefix = m.name() + "VjpForward";
    String suffix = null;
    for (ExecutableElement e : ElementFilter.methodsIn(d.getEnclosedElements())) {
      String name = e.getSimpleName().toString();
      int n = m.argumentTypes().size();
      if (name.startsWith(prefix) && name.substring(prefix.length()).matches("[0-9]*")
          && e.getParameters().size() == n + 1 && sameTypes(e, m.argumentTypes())
          && types.of(e.getParameters().get(n).asType()).equals(IrType.TAPE)) {
        suffix = name.substring(prefix.length());
      }
    }
    if (suffix == null) return null;
    // the tape, the adjoint arrays of array parameters, then the cotangent
    int arity = 2 + Residuals.inPlace(m.argumentTypes(), j.wrt()).size();
    ExecutableElement backward = null;
    for (ExecutableElement e : ElementFilter.methodsIn(d.getEnclosedElements())) {
      if (e.getSimpleName().contentEquals(m.name() + "VjpBackward" + suffix)
          && e.getParameters().size() == arity) {
        backward = e;
      }
    }
    if (backward == null) return null;
    List<IrType> fwdParams = new ArrayList<>(m.argumentTypes());
    fwdParams.add(IrType.TAPE);
    MethodRef fwd = new MethodRef(j.derivatives(), prefix + suffix, fwdParams, names(fwdParams),
        m.returnType(), true, new Target.Opaque());
    List<IrType> bwdParams = new ArrayList<>();
    for (VariableElement v : backward.getParameters()) bwdParams.add(types.of(v.asType()));
    MethodRef bwd = new MethodRef(j.derivatives(), m.name() + "VjpBackward" + suffix, bwdParams,
        names(bwdParams), j.gradType(), true, new Target.Opaque());
    List<String> comps = j.wrt().size() == 1 ? null
        : j.gradType().components().stream().map(IrType.Component::name).toList();
    return new Residuals(fwd, bwd, List.of(), j.wrt(), comps, List.of());
  }

  private boolean sameTypes(ExecutableElement e, List<IrType> types) {
    for (int i = 0; i < types.size(); i++) {
      if (!this.types.of(e.getParameters().get(i).asType()).equals(types.get(i))) return false;
    }
    return true;
  }

  private Function sourceOf(MethodRef m) {
    if (!(m.target() instanceof Target.Source)) {
      throw new IllegalStateException("no source for " + m.display());
    }
    return ((Target.Source) m.target()).function().get();
  }

  private void requireInJar(TypeName derivatives, String name, int arity, MethodRef of) {
    TypeElement t = elements.getTypeElement(derivatives.toString());
    if (t != null) {
      for (ExecutableElement e : ElementFilter.methodsIn(t.getEnclosedElements())) {
        if (e.getSimpleName().contentEquals(name) && e.getParameters().size() == arity) return;
      }
    }
    throw new DiffException(null, Message.NOT_IN_JAR, of.display(), derivatives + "." + name,
        derivatives, DifferentiableProcessor.JAR_FORWARD_ORDER, orderOf(name));
  }

  /** The jarForwardOrder that generates {@code name}: fJvp^k needs k, fVjpJvp^k needs k + 1. */
  private static int orderOf(String name) {
    int jvps = name.split("Jvp", -1).length - 1;
    return name.contains("Vjp") ? jvps + 1 : jvps;
  }

  private final Map<String, MethodRef> library = new HashMap<>();

  @Override
  public MethodRef library(String className, String method, int parameters) {
    return library.computeIfAbsent(className + "#" + method + "#" + parameters,
        k -> findLibrary(className, method, parameters, null));
  }

  @Override
  public MethodRef library(String className, String method, List<IrType> parameters) {
    return library.computeIfAbsent(className + "#" + method + "#" + parameters,
        k -> findLibrary(className, method, parameters.size(), parameters));
  }

  /** The runtime method by name and arity, and by parameter types unless null. */
  private MethodRef findLibrary(String className, String method, int arity, List<IrType> types) {
    TypeElement t = elements.getTypeElement(className);
    if (t == null) {
      throw new IllegalStateException(className + " is not on the class path; add "
          + "adjoint-runtime");
    }
    for (ExecutableElement e : ElementFilter.methodsIn(t.getEnclosedElements())) {
      if (!e.getSimpleName().contentEquals(method) || e.getParameters().size() != arity) {
        continue;
      }
      MethodRef ref = method(e);
      if (types == null || ref.paramTypes().equals(types)) return ref;
    }
    throw new IllegalStateException("no " + className + "." + method
        + (types == null ? "" : types.toString()));
  }

  private static List<String> names(List<IrType> params) {
    List<String> n = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) n.add("p" + i);
    return n;
  }

  // ---------------------------------------------------------------- Checker.Callees

  @Override
  public List<Integer> wrtOf(MethodRef m) {
    if (m.target() instanceof Target.Jar) return ((Target.Jar) m.target()).wrt();
    if (m.target() instanceof Target.JarGrad) {
      return ((Target.Jar) ((Target.JarGrad) m.target()).primal().target()).wrt();
    }
    try {
      return sourceOf(m).wrt();
    } catch (RuntimeException e) {
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < m.argumentTypes().size(); i++) all.add(i);
      return all;
    }
  }

  @Override
  public boolean isReverseDerived(MethodRef m) {
    return reverseDerived.contains(key(m));
  }
}
