package dev.adjoint.tests.fuzz;

import dev.adjoint.tensor.Tensor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every {@code @Differentiable} method of the corpus in a double and a float variant
 * ({@link CorpusRewriter}), at orders 1 to 3: its own {@code fGrad}, {@code fJvp}, {@code fVjp}
 * (order 1) and {@code fHvp} (order 2) are checked like a generated program's, and a wrapper
 * added to the file takes its gradient ({@code mGrad} inside a {@code @Differentiable} method)
 * so that the wrapper's HVP is a third derivative. A method whose result is not a number (a
 * record, an array, a tensor of any shape) is checked through a wrapper that reduces its result
 * to one. The double variant is checked against central differences; the float variant against
 * the double one.
 */
final class CorpusMatrix {
  static final String PACKAGE = "dev.adjoint.tests.corpus";
  private static final int MAX_ROUNDS = 16;

  /** One outcome: a method (or its wrapper) in a variant; failure null when it passed. */
  record Entry(String method, Variant variant, String check, Failure failure, String note) {
    /** {@code Class.method/arity/variant/kind}: the key of the known-failures list. */
    String key() {
      return method + "/" + variant.name().toLowerCase() + "/"
          + (failure == null ? "ok" : failure.kind().name().toLowerCase());
    }
  }

  /** A check to run: a subject (method or wrapper) and its order. */
  private record Target(String baseId, String cls, String derivatives, String name,
      boolean instance, List<Program.Param> params, String result, String order) {}

  private final List<CorpusRewriter.Parsed> files = new ArrayList<>();
  private final Set<String> classes = new LinkedHashSet<>();
  final List<Entry> entries = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final InMemoryCompiler compiler = new InMemoryCompiler(
      List.of("-Aadjoint.jarForwardOrder=1"));

  private final int threads;

  CorpusMatrix(Path corpusDir, int threads) throws IOException {
    this.threads = threads;
    try (Stream<Path> list = Files.list(corpusDir)) {
      for (Path f : list.sorted().toList()) {
        String name = f.getFileName().toString().replace(".java", "");
        classes.add(name);
        files.add(CorpusRewriter.parse(name, Files.readString(f)));
      }
    }
  }

  /** Compiles and checks both variants: groups of files that refer to each other in parallel. */
  void run() {
    Map<String, Subject> doubles = new java.util.concurrent.ConcurrentHashMap<>();
    for (Variant v : Variant.values()) {
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (List<CorpusRewriter.Parsed> group : groups()) {
          done.add(pool.submit(() -> runGroup(v, group, doubles)));
        }
        for (var f : done) f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Files that name each other's classes, together (connected components). */
  private List<List<CorpusRewriter.Parsed>> groups() {
    int n = files.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) parent[i] = i;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j && java.util.regex.Pattern.compile("\\b" + files.get(j).className()
            + "(Derivatives|_\\w+Derivatives)?\\b").matcher(files.get(i).text()).find()) {
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    Map<Integer, List<CorpusRewriter.Parsed>> byRoot = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      byRoot.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(files.get(i));
    }
    return new ArrayList<>(byRoot.values());
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) i = parent[i];
    return i;
  }

  private static String suffix(Variant v) {
    return v == Variant.FLOAT ? "F" : "D";
  }

  private void runGroup(Variant v, List<CorpusRewriter.Parsed> group,
      Map<String, Subject> doubles) {
    Set<String> drop = new TreeSet<>();
    Map<String, Failure> why = new LinkedHashMap<>();
    Map<String, String> baseOf = new LinkedHashMap<>();
    List<Target> targets = new ArrayList<>();
    Map<String, String> texts = new LinkedHashMap<>();
    InMemoryCompiler.Result r = null;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      targets.clear();
      texts.clear();
      for (CorpusRewriter.Parsed p : group) {
        String top = p.className() + suffix(v);
        String wrappers = wrappers(p, v, drop, targets, baseOf);
        texts.put(PACKAGE + "." + top,
            CorpusRewriter.rewrite(p, v, suffix(v), classes, drop, wrappers));
      }
      r = compiler.compile(texts);
      if (r.success()) break;
      Set<String> blamed = blame(r, texts, v, why);
      if (blamed.isEmpty() || !drop.addAll(blamed)) {
        add(new Entry("(" + group.get(0).className() + ")", v, "javac",
            new Failure(Failure.Kind.INVALID_PROGRAM, v, "javac", r.errors().toString()),
            "could not attribute the errors"));
        return;
      }
    }
    for (Map.Entry<String, Failure> e : why.entrySet()) {
      String base = baseOf.getOrDefault(e.getKey(), e.getKey());
      add(new Entry(base, v, e.getKey().equals(base) ? "compile" : "wrapper " + e.getKey(),
          e.getValue(), null));
    }
    if (r == null || !r.success()) return;
    ClassLoader loader = r.loader();
    for (Target t : targets) check(t, v, loader, doubles);
  }

  private synchronized void add(Entry e) {
    entries.add(e);
  }

  /** The methods that an unsuccessful compilation's errors point at. */
  private Set<String> blame(InMemoryCompiler.Result r, Map<String, String> texts, Variant v,
      Map<String, Failure> why) {
    Set<String> blamed = new LinkedHashSet<>();
    for (InMemoryCompiler.Problem e : r.errors()) {
      String id = null;
      Failure.Kind kind;
      String text = texts.get(e.file());
      if (text != null) {
        id = CorpusRewriter.methodAt(text, e.line(), suffix(v));
        kind = e.message().contains("[AdjointInternal]") ? Failure.Kind.CRASH
            : e.message().contains("[Adjoint") ? Failure.Kind.REFUSED
            : Failure.Kind.INVALID_PROGRAM;
      } else {
        kind = Failure.Kind.UNCOMPILABLE;
        String gen = r.generated().get(e.file());
        if (gen != null) id = fromGenerated(gen, e.line(), texts, suffix(v));
      }
      if (id == null) continue;
      blamed.add(id);
      String detail = e.toString();
      if (kind == Failure.Kind.UNCOMPILABLE) {
        String[] lines = r.generated().get(e.file()).split("\n", -1);
        if (e.line() > 0 && e.line() <= lines.length) {
          detail += "\n    > " + lines[(int) e.line() - 1].trim();
        }
      }
      why.putIfAbsent(id, new Failure(kind, v, kind == Failure.Kind.INVALID_PROGRAM
          ? "variant" : "javac", detail));
    }
    if (r.crash() != null && blamed.isEmpty()) {
      add(new Entry("(all)", v, "javac", new Failure(Failure.Kind.CRASH, v, "javac",
          InMemoryCompiler.stackTrace(r.crash())), null));
    }
    return blamed;
  }

  /** A generated line's method: the nearest {@code // File.java:line} comment above it. */
  private static String fromGenerated(String gen, long line, Map<String, String> texts,
      String suffix) {
    String[] lines = gen.split("\n", -1);
    java.util.regex.Pattern p = java.util.regex.Pattern.compile("// (\\w+)\\.java:(\\d+)");
    for (int i = (int) Math.min(line, lines.length) - 1; i >= 0; i--) {
      java.util.regex.Matcher m = p.matcher(lines[i]);
      if (m.find()) {
        String text = texts.get(PACKAGE + "." + m.group(1));
        if (text == null) return null;
        return CorpusRewriter.methodAt(text, Long.parseLong(m.group(2)), suffix);
      }
    }
    return null;
  }

  // ---- wrappers ----------------------------------------------------------------------------

  /**
   * Text appended to a file: for each method, a wrapper reducing a non-scalar result to a
   * number, and a wrapper over the gradient for order 3; the targets to check.
   */
  private String wrappers(CorpusRewriter.Parsed p, Variant v, Set<String> drop,
      List<Target> targets, Map<String, String> baseOf) {
    String top = p.className();
    String real = v == Variant.FLOAT ? "float" : "double";
    String cast = v == Variant.FLOAT ? "(float) " : "";
    StringBuilder out = new StringBuilder("\n");
    for (CorpusRewriter.MethodInfo m : p.methods()) {
      if (drop.contains(m.id())) continue;
      String owner = m.owner();
      String topV = top + suffix(v);
      String cls = PACKAGE + "." + owner.replace(top, topV).replace('.', '$');
      String derivatives = PACKAGE + "." + owner.replace(top, topV).replace('.', '_')
          + "Derivatives";
      List<String> types = new ArrayList<>();
      List<String> names = new ArrayList<>();
      List<Boolean> nd = new ArrayList<>();
      if (!m.isStatic()) {
        types.add(owner.substring(owner.lastIndexOf('.') + 1));
        names.add("self");
        nd.add(m.wrt() != null && !m.wrt().contains("this"));
      }
      for (int i = 0; i < m.paramTypes().size(); i++) {
        types.add(precision(m.paramTypes().get(i), v));
        names.add(m.paramNames().get(i));
        nd.add(m.noDerivative().get(i) || (m.wrt() != null && !m.wrt().contains(m.paramNames()
            .get(i))));
      }
      List<Program.Param> params = params(p, types, names, nd);
      String result = precision(m.result(), v);
      boolean scalar = result.equals(real) || result.equals("Tensor");
      if (scalar) {
        targets.add(new Target(m.id(), cls, derivatives, m.name(), !m.isStatic(), params, result,
            "orders 1-2"));
      }
      if (types.stream().anyMatch(t -> t.length() == 1)) continue; // type parameters
      String base = m.name();
      String baseDerivatives = owner.replace('.', '_') + "Derivatives";
      boolean instance = !m.isStatic();
      String signature = signature(types, names, nd);
      String args = String.join(", ", names);
      String tag = owner.replace('.', '_') + "_" + m.name() + "_" + m.paramTypes().size();
      if (!scalar || result.equals("Tensor")) {
        // reduce the result to a number
        String sName = "s_" + tag;
        String sId = top + "." + sName + "/" + types.size();
        baseOf.put(sId, m.id());
        if (!drop.contains(sId)) {
          String call = instance ? "self." + m.name() + "(" + String.join(", ",
              names.subList(1, names.size())) + ")" : owner + "." + m.name() + "(" + args + ")";
          List<String> leaves = new ArrayList<>();
          leaves(p, result, "r__", v, leaves, 0);
          StringBuilder b = new StringBuilder();
          b.append("  /*@M ").append(sId).append("*/ @dev.adjoint.Differentiable")
              .append("\n  public static ").append(real).append(' ')
              .append(sName).append('(').append(signature).append(") {\n    ").append(result)
              .append(" r__ = ").append(call).append(";\n    ").append(real).append(" s__ = 0;\n");
          int k = 0;
          for (String leaf : leaves) {
            b.append("    s__ += ").append(cast).append("(Math.sin(").append(leaf).append(") * ")
                .append(0.3 + 0.2 * k++).append(");\n");
          }
          b.append("    return s__;\n  }\n");
          out.append(b);
          targets.add(new Target(m.id(), PACKAGE + "." + topV, PACKAGE + "." + topV
              + "Derivatives", sName, false, params, real, "orders 1-2 through a reduction"));
          base = sName;
          baseDerivatives = top + "Derivatives";
          instance = false;
          result = real;
        }
      }
      // order 3: a method over the gradient of base
      String oName = "o3_" + tag;
      String oId = top + "." + oName + "/" + types.size();
      baseOf.put(oId, m.id());
      if (drop.contains(oId) || !params.stream().anyMatch(Wrappers::differentiated)) continue;
      List<String> leaves = new ArrayList<>();
      List<Integer> diff = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        if (Wrappers.differentiated(params.get(i))) diff.add(i);
      }
      if (diff.size() == 1) {
        leaves(p, types.get(diff.get(0)), "g__", v, leaves, 0);
      } else {
        for (int i : diff) leaves(p, types.get(i), "g__." + names.get(i) + "()", v, leaves, 0);
      }
      if (leaves.isEmpty()) continue;
      StringBuilder b = new StringBuilder();
      b.append("  /*@M ").append(oId).append("*/ @dev.adjoint.Differentiable")
          .append("\n  public static ").append(real).append(' ')
          .append(oName).append('(').append(signature).append(") {\n    var g__ = ")
          .append(baseDerivatives).append('.').append(base).append("Grad(").append(args)
          .append(");\n    ").append(real).append(" s__ = 0;\n");
      int k = 0;
      for (String leaf : leaves) {
        b.append("    s__ += ").append(cast).append("(Math.sin(").append(leaf).append(") * ")
            .append(0.4 + 0.2 * k++).append(");\n");
      }
      b.append("    return s__;\n  }\n");
      out.append(b);
      targets.add(new Target(m.id(), PACKAGE + "." + top + suffix(v), PACKAGE + "." + top
          + suffix(v) + "Derivatives", oName, false, params, real, "orders 2-3"));
    }
    return out.toString();
  }

  private static String signature(List<String> types, List<String> names, List<Boolean> nd) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      parts.add((nd.get(i) ? "@dev.adjoint.NoDerivative " : "") + types.get(i).replace("...", "[]")
          + " " + names.get(i));
    }
    return String.join(", ", parts);
  }

  private static String precision(String type, Variant v) {
    return v == Variant.FLOAT
        ? type.replaceAll("\\bdouble\\b", "float").replaceAll("\\bDouble\\b", "Float")
        : type.replaceAll("\\bfloat\\b", "double").replaceAll("\\bFloat\\b", "Double");
  }

  /** Real-valued expressions reading every differentiable part of a value of {@code type}. */
  private static void leaves(CorpusRewriter.Parsed p, String type, String e, Variant v,
      List<String> out, int depth) {
    String t = precision(type, v).replace("...", "[]");
    String cast = v == Variant.FLOAT ? "(float) " : "";
    switch (t) {
      case "double", "float" -> out.add(e);
      case "double[]", "float[]" -> {
        out.add(e + "[0]");
        out.add(e + "[" + e + ".length - 1]");
      }
      case "Tensor" -> out.add("(" + cast + e + ".sin().sum().item())");
      default -> {
        if (depth > 3) return;
        for (CorpusRewriter.RecordInfo r : p.records()) {
          if (r.name().equals(t)) {
            for (int i = 0; i < r.types().size(); i++) {
              leaves(p, r.types().get(i), e + "." + r.names().get(i) + "()", v, out, depth + 1);
            }
          }
        }
      }
    }
  }

  /** Parameters as the checker sees them: which are differentiated. */
  private static List<Program.Param> params(CorpusRewriter.Parsed p, List<String> types,
      List<String> names, List<Boolean> nd) {
    List<Program.Param> out = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      String t = types.get(i).replace("...", "[]");
      Type type = switch (t) {
        case "double", "float" -> Type.REAL;
        case "double[]", "float[]" -> Type.REAL_ARRAY;
        case "Tensor" -> Type.TENSOR;
        default -> differentiableRecord(p, t, 0) ? Type.record(t) : Type.STRING;
      };
      out.add(new Program.Param(type, names.get(i), nd.get(i)));
    }
    return out;
  }

  private static boolean differentiableRecord(CorpusRewriter.Parsed p, String t, int depth) {
    if (depth > 3) return false;
    for (CorpusRewriter.RecordInfo r : p.records()) {
      if (!r.name().equals(t)) continue;
      for (String c : r.types()) {
        String ct = c.replace("...", "[]");
        if (ct.equals("double") || ct.equals("float") || ct.equals("double[]")
            || ct.equals("float[]") || ct.equals("Tensor") || differentiableRecord(p, ct,
            depth + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  // ---- checks ------------------------------------------------------------------------------

  private void check(Target t, Variant v, ClassLoader loader, Map<String, Subject> doubles) {
    String key = t.cls() + "." + t.name();
    try {
      Class<?> cls = loader.loadClass(t.cls());
      Method primal = null;
      int arity = t.instance() ? t.params().size() - 1 : t.params().size();
      for (Method m : cls.getDeclaredMethods()) {
        if (m.getName().equals(t.name()) && m.getParameterCount() == arity) primal = m;
      }
      if (primal == null) throw new NoSuchMethodException(key);
      List<Class<?>> types = new ArrayList<>();
      if (t.instance()) types.add(cls);
      types.addAll(List.of(primal.getParameterTypes()));
      Subject s = null;
      Failure failure = null;
      String note = null;
      for (int attempt = 0; attempt < SHAPES.length && s == null; attempt++) {
        List<ArgSpec> specs = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < types.size(); i++) {
          ArgSpec a = spec(types.get(i), !Wrappers.differentiated(t.params().get(i)), attempt);
          if (a == null) ok = false;
          specs.add(a);
        }
        if (!ok) {
          note = "arguments of these types are not generated";
          break;
        }
        Subject candidate = new Subject(loader, t.cls(), t.derivatives(), t.name(), t.instance(),
            t.params(), specs, v, t.result().equals("Tensor"));
        if (candidate.dim == 0) {
          note = "nothing differentiated";
          break;
        }
        try {
          double fx = candidate.value(DerivativeChecker.point(new java.util.Random(1),
              candidate.dim));
          if (Double.isFinite(fx)) s = candidate;
        } catch (Subject.PrimalFailed e) {
          note = "the primal throws for every argument shape tried: " + e.getCause();
        } catch (IllegalArgumentException e) {
          // a tensor result of more than one element: checked through its reduction
          note = "the result is not one element (" + e.getMessage() + ")";
          break;
        }
      }
      if (s == null) {
        add(new Entry(t.baseId(), v, t.name() + " (" + t.order() + ")", null,
            "skipped: " + note));
        return;
      }
      DerivativeChecker.Tally tally;
      if (v == Variant.DOUBLE) {
        doubles.put(t.baseId() + "#" + t.name(), s);
        tally = DerivativeChecker.check(s, key.hashCode());
      } else {
        Subject d = doubles.get(t.baseId() + "#" + t.name());
        if (d == null || d.dim != s.dim) {
          add(new Entry(t.baseId(), v, t.name() + " (" + t.order() + ")", null,
              "skipped: no double variant to compare with"));
          return;
        }
        tally = DerivativeChecker.compareFloat(s, d, key.hashCode());
      }
      failure = tally.failure;
      add(new Entry(t.baseId(), v, t.name() + " (" + t.order() + ")", failure,
          tally.checks + " checks"));
    } catch (ReflectiveOperationException | RuntimeException e) {
      add(new Entry(t.baseId(), v, t.name() + " (" + t.order() + ")",
          new Failure(Failure.Kind.CRASH, v, t.name(), e.toString()), null));
    }
  }

  /** Argument shapes tried in turn: array length, tensor shape. */
  private static final int[][][] SHAPES = {
      {{3}, {3, 3}}, {{4}, {2, 2}}, {{2}, {4}}, {{8}, {2, 2, 4, 4}}};

  /** An argument of a parameter type; null when none is generated for that type. */
  private static ArgSpec spec(Class<?> c, boolean fixed, int attempt) {
    int length = SHAPES[attempt][0][0];
    int[] shape = SHAPES[attempt][1];
    if (c == double.class || c == float.class) return new ArgSpec.Real(fixed ? 0.7 : null);
    if (c == double[].class || c == float[].class) {
      double[] v = new double[length];
      for (int i = 0; i < length; i++) v[i] = 0.3 + 0.1 * i;
      return new ArgSpec.RealArray(length, fixed ? v : null);
    }
    if (c == int.class) return new ArgSpec.IntVal(2);
    if (c == long.class) return new ArgSpec.LongVal(3);
    if (c == String.class || c == Object.class) return new ArgSpec.Str("sine");
    if (c == int[].class) return new ArgSpec.IntArray(new int[] {0, 1, 0});
    if (c == Tensor.class) {
      int n = 1;
      for (int d : shape) n *= d;
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = Math.sin(i + 1);
      return new ArgSpec.Tens(shape, fixed ? v : null);
    }
    if (c.isEnum()) return new ArgSpec.EnumVal(c.getSimpleName(), ((Enum<?>) c.getEnumConstants()[1 % c.getEnumConstants().length]).name());
    if (c.isRecord()) {
      List<ArgSpec> comps = new ArrayList<>();
      for (RecordComponent rc : c.getRecordComponents()) {
        ArgSpec a = spec(rc.getType(), fixed, attempt);
        if (a == null) return null;
        comps.add(a);
      }
      return new ArgSpec.Rec(c.getSimpleName(), comps);
    }
    for (var k : c.getConstructors()) {
      List<ArgSpec> args = new ArrayList<>();
      for (Class<?> pt : k.getParameterTypes()) {
        ArgSpec a = spec(pt, true, attempt);
        if (a == null) return null;
        args.add(a);
      }
      return new ArgSpec.Obj(c.getSimpleName(), args);
    }
    return null;
  }
}
