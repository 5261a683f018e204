package dev.adjoint.tests.fuzz;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.type.TypeKind;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Rewrites a corpus file into a variant of one precision: every {@code float} becomes
 * {@code double} (the double variant) or every {@code double} becomes {@code float} (the float
 * variant: literals get an {@code f}, results of {@code Math} functions and of {@code item()} are
 * cast back to float, {@code toDoubleArray} becomes {@code toFloatArray}), and every corpus class
 * gets a suffix so that both variants and the original live side by side. Methods can be left
 * out, and text appended to the top-level class. It also reads what the checks need to know of
 * each {@code @Differentiable} method: its owner, parameters, {@code @NoDerivative} and
 * {@code wrt}.
 */
final class CorpusRewriter {
  /** One {@code @Differentiable} method of a corpus file. */
  record MethodInfo(String id, String owner, boolean isStatic, String name, String result,
      List<String> paramTypes, List<String> paramNames, List<Boolean> noDerivative,
      List<String> wrt) {}

  /** A record declared in the file: component types and names. */
  record RecordInfo(String name, List<String> types, List<String> names) {}

  /** A parsed corpus file. */
  record Parsed(String className, String text, List<MethodInfo> methods,
      List<RecordInfo> records) {}

  private record Edit(long pos, long end, String text, int order) {}

  private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

  /** Methods of the JDK and of Tensor that return double where the float variant wants float. */
  private static final Set<String> DOUBLE_RESULTS = Set.of("item", "nextGaussian", "nextDouble",
      "doubleValue");

  private static final Set<String> MATH_FUNCTIONS = Set.of("sin", "cos", "tan", "asin", "acos",
      "atan", "atan2", "sinh", "cosh", "tanh", "exp", "expm1", "log", "log1p", "log10", "sqrt",
      "cbrt", "pow", "hypot", "abs", "max", "min", "floor", "ceil", "rint", "signum", "toRadians",
      "toDegrees", "fma");

  private CorpusRewriter() {}

  static Parsed parse(String className, String text) {
    Unit unit = parseUnit(className, text);
    List<MethodInfo> methods = new ArrayList<>();
    List<RecordInfo> records = new ArrayList<>();
    new TreeScanner<Void, String>() {
      @Override
      public Void visitClass(ClassTree c, String owner) {
        String name = owner == null ? c.getSimpleName().toString()
            : owner + "." + c.getSimpleName();
        if (c.getKind() == Tree.Kind.RECORD) {
          List<String> types = new ArrayList<>();
          List<String> names = new ArrayList<>();
          for (Tree m : c.getMembers()) {
            // record components appear as private final fields
            if (m instanceof VariableTree v
                && v.getModifiers().getFlags().contains(javax.lang.model.element.Modifier.PRIVATE)
                && !v.getModifiers().getFlags().contains(javax.lang.model.element.Modifier.STATIC)) {
              types.add(v.getType().toString());
              names.add(v.getName().toString());
            }
          }
          records.add(new RecordInfo(c.getSimpleName().toString(), types, names));
        }
        return super.visitClass(c, name);
      }

      @Override
      public Void visitMethod(MethodTree m, String owner) {
        List<String> wrt = null;
        boolean diff = false;
        for (AnnotationTree a : m.getModifiers().getAnnotations()) {
          if (a.getAnnotationType().toString().endsWith("Differentiable")) {
            diff = true;
            for (ExpressionTree arg : a.getArguments()) {
              String s = arg.toString();
              if (s.startsWith("wrt")) {
                wrt = new ArrayList<>();
                Matcher mm = Pattern.compile("\"([^\"]*)\"").matcher(s);
                while (mm.find()) wrt.add(mm.group(1));
              }
            }
          }
        }
        if (diff) {
          List<String> types = new ArrayList<>();
          List<String> names = new ArrayList<>();
          List<Boolean> nd = new ArrayList<>();
          for (VariableTree p : m.getParameters()) {
            types.add(p.getType().toString());
            names.add(p.getName().toString());
            boolean no = false;
            for (AnnotationTree a : p.getModifiers().getAnnotations()) {
              if (a.getAnnotationType().toString().endsWith("NoDerivative")) no = true;
            }
            nd.add(no);
          }
          boolean isStatic = m.getModifiers().getFlags()
              .contains(javax.lang.model.element.Modifier.STATIC);
          String id = owner + "." + m.getName() + "/" + types.size();
          methods.add(new MethodInfo(id, owner, isStatic, m.getName().toString(),
              m.getReturnType().toString(), types, names, nd, wrt));
        }
        return super.visitMethod(m, owner);
      }
    }.scan(unit.tree, null);
    return new Parsed(className, text, methods, records);
  }

  /**
   * The text of a variant: classes of {@code corpusClasses} renamed with {@code suffix}, the
   * precision changed, methods with an id in {@code drop} left out, {@code appended} added at
   * the end of the top-level class.
   */
  static String rewrite(Parsed parsed, Variant variant, String suffix, Set<String> corpusClasses,
      Set<String> drop, String appended) {
    Unit unit = parseUnit(parsed.className(), parsed.text() + "");
    SourcePositions pos = unit.positions;
    CompilationUnitTree cu = unit.tree;
    List<Edit> edits = new ArrayList<>();
    List<long[]> dropped = new ArrayList<>();
    int[] order = {0};
    // functions of Math imported statically: their results are cast back too
    Set<String> staticMath = new java.util.HashSet<>();
    for (var imp : cu.getImports()) {
      String q = imp.getQualifiedIdentifier().toString();
      if (imp.isStatic() && (q.startsWith("java.lang.Math.") || q.startsWith("java.lang.StrictMath."))) {
        String n = q.substring(q.lastIndexOf('.') + 1);
        if (n.equals("*")) staticMath.addAll(MATH_FUNCTIONS);
        else staticMath.add(n);
      }
    }
    new TreeScanner<Void, String>() {
      @Override
      public Void visitClass(ClassTree c, String owner) {
        String name = owner == null ? c.getSimpleName().toString()
            : owner + "." + c.getSimpleName();
        if (owner == null && appended != null) {
          long end = pos.getEndPosition(cu, c);
          edits.add(new Edit(end - 1, end - 1, appended, order[0]++));
        }
        return super.visitClass(c, name);
      }

      @Override
      public Void visitMethod(MethodTree m, String owner) {
        List<String> types = new ArrayList<>();
        for (VariableTree p : m.getParameters()) types.add(p.getType().toString());
        String id = owner + "." + m.getName() + "/" + types.size();
        long start = pos.getStartPosition(cu, m);
        if (drop.contains(id)) {
          dropped.add(new long[] {start, pos.getEndPosition(cu, m)});
          edits.add(new Edit(start, pos.getEndPosition(cu, m), "/* left out: " + id + " */",
              order[0]++));
          return null;
        }
        edits.add(new Edit(start, start, "/*@M " + id + "*/ ", order[0]++));
        return super.visitMethod(m, owner);
      }

      @Override
      public Void visitPrimitiveType(PrimitiveTypeTree t, String owner) {
        TypeKind from = variant == Variant.FLOAT ? TypeKind.DOUBLE : TypeKind.FLOAT;
        if (t.getPrimitiveTypeKind() == from) {
          replace(t, variant == Variant.FLOAT ? "float" : "double");
        }
        return null;
      }

      @Override
      public Void visitLiteral(LiteralTree l, String owner) {
        long s = pos.getStartPosition(cu, l);
        long e = pos.getEndPosition(cu, l);
        String text = parsed.text().substring((int) s, (int) e);
        if (variant == Variant.FLOAT && l.getKind() == Tree.Kind.DOUBLE_LITERAL) {
          String core = text.endsWith("d") || text.endsWith("D")
              ? text.substring(0, text.length() - 1) : text;
          edits.add(new Edit(s, e, core + "f", order[0]++));
        }
        if (variant == Variant.DOUBLE && l.getKind() == Tree.Kind.FLOAT_LITERAL) {
          edits.add(new Edit(s, e, text.substring(0, text.length() - 1) + "d", order[0]++));
        }
        return null;
      }

      @Override
      public Void visitIdentifier(IdentifierTree id, String owner) {
        String n = id.getName().toString();
        if (n.equals(variant == Variant.FLOAT ? "Double" : "Float")) {
          replace(id, variant == Variant.FLOAT ? "Float" : "Double");
        }
        return null;
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, String owner) {
        boolean castBack = false;
        if (variant == Variant.FLOAT && call.getMethodSelect() instanceof IdentifierTree id
            && staticMath.contains(id.getName().toString())) {
          castBack = true;
        }
        if (variant == Variant.FLOAT && call.getMethodSelect() instanceof MemberSelectTree ms) {
          String target = ms.getExpression().toString();
          String name = ms.getIdentifier().toString();
          castBack = target.equals("Math") || target.equals("StrictMath")
              || DOUBLE_RESULTS.contains(name);
          if (name.equals("toDoubleArray")) {
            long end = pos.getEndPosition(cu, ms);
            edits.add(new Edit(end - "toDoubleArray".length(), end, "toFloatArray", order[0]++));
          }
        }
        if (variant == Variant.DOUBLE && call.getMethodSelect() instanceof MemberSelectTree ms
            && ms.getIdentifier().contentEquals("toFloatArray")) {
          long end = pos.getEndPosition(cu, ms);
          edits.add(new Edit(end - "toFloatArray".length(), end, "toDoubleArray", order[0]++));
        }
        if (castBack) wrap(call);
        return super.visitMethodInvocation(call, owner);
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree ms, String owner) {
        if (variant == Variant.FLOAT && (ms.getExpression().toString().equals("Math")
            || ms.getExpression().toString().equals("StrictMath"))
            && (ms.getIdentifier().contentEquals("PI") || ms.getIdentifier().contentEquals("E"))) {
          wrap(ms);
        }
        return super.visitMemberSelect(ms, owner);
      }

      @Override
      public Void visitNewArray(NewArrayTree n, String owner) {
        return super.visitNewArray(n, owner);
      }

      private void replace(Tree t, String text) {
        edits.add(new Edit(pos.getStartPosition(cu, t), pos.getEndPosition(cu, t), text,
            order[0]++));
      }

      private void wrap(Tree t) {
        long s = pos.getStartPosition(cu, t);
        long e = pos.getEndPosition(cu, t);
        edits.add(new Edit(s, s, "((float) ", order[0]++));
        // closing parentheses: inner ones first, so later-visited (inner) sort first
        edits.add(new Edit(e, e, ")", -order[0]++));
      }
    }.scan(cu, null);
    // apply from the end; an edit inside a left-out method is dropped with it
    List<Edit> kept = new ArrayList<>();
    for (Edit e : edits) {
      boolean inside = false;
      for (long[] d : dropped) {
        if (e.pos() >= d[0] && e.end() <= d[1] && !(e.pos() == d[0] && e.end() == d[1])) {
          inside = true;
        }
      }
      if (!inside) kept.add(e);
    }
    kept.sort(Comparator.comparingLong(Edit::pos).thenComparing(e -> e.end() > e.pos() ? 1 : 0)
        .thenComparingInt(e -> e.order() >= 0 ? e.order() : Integer.MAX_VALUE + e.order()));
    StringBuilder out = new StringBuilder(parsed.text());
    for (int i = kept.size() - 1; i >= 0; i--) {
      Edit e = kept.get(i);
      out.replace((int) e.pos(), (int) e.end(), e.text());
    }
    return rename(out.toString(), suffix, corpusClasses);
  }

  /** Renames every corpus class (and its derivatives classes) with a suffix. */
  static String rename(String text, String suffix, Set<String> corpusClasses) {
    String names = String.join("|", corpusClasses);
    Pattern p = Pattern.compile("\\b(" + names + ")((?:_\\w+)?Derivatives)?\\b");
    Matcher m = p.matcher(text);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String rest = m.group(2) == null ? "" : m.group(2);
      m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + suffix + rest));
    }
    m.appendTail(b);
    return b.toString();
  }

  /**
   * The id of the method around a line of rewritten text (from the markers, with the variant's
   * class suffix taken off again), or null.
   */
  static String methodAt(String text, long line, String suffix) {
    String[] lines = text.split("\n", -1);
    for (int i = (int) Math.min(line, lines.length) - 1; i >= 0; i--) {
      int at = lines[i].indexOf("/*@M ");
      if (at >= 0) {
        String id = lines[i].substring(at + 5, lines[i].indexOf("*/", at));
        int dot = id.indexOf('.');
        String cls = id.substring(0, dot);
        return cls.substring(0, cls.length() - suffix.length()) + id.substring(dot);
      }
      if (lines[i].startsWith("  }") && i < line - 1) {
        // left the method the line is in: the line is between methods
        return null;
      }
    }
    return null;
  }

  private record Unit(CompilationUnitTree tree, SourcePositions positions) {}

  private static Unit parseUnit(String className, String text) {
    JavaFileObject file = new SimpleJavaFileObject(URI.create("mem:///" + className + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return text;
      }
    };
    JavacTask task = (JavacTask) JAVAC.getTask(null, null, d -> { }, List.of("-proc:none"),
        null, List.of(file));
    try {
      CompilationUnitTree cu = task.parse().iterator().next();
      return new Unit(cu, Trees.instance(task).getSourcePositions());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
