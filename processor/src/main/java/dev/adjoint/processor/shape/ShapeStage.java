package dev.adjoint.processor.shape;

import com.palantir.javapoet.CodeBlock;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import dev.adjoint.processor.check.Message;
import dev.adjoint.processor.check.Reporter;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.read.Site;
import dev.adjoint.processor.read.TypeResolver;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;

/**
 * The shape stage, between reading a method and checking it: symbolic shapes for every tensor
 * of a {@code @Differentiable} method, from the {@code @Shape} declarations, through every
 * operation and call; a mismatch it proves is an {@code [AdjointShape]} error at the operation.
 * It also writes the argument checks that the generated derivatives start with.
 *
 * <p>Option {@code -Aadjoint.shapes=off} turns the analysis off (the entry checks stay);
 * {@code -Aadjoint.shapes=time} reports the time it took, as a note.
 */
public final class ShapeStage {
  /** The processor option. */
  public static final String OPTION = "adjoint.shapes";

  private final Trees trees;
  private final Reporter reporter;
  private final Declarations declarations;
  private final Analysis analysis;
  private final Map<ExecutableElement, Function> users = new HashMap<>();
  private boolean enabled = true;
  private boolean timed;
  private long nanos;
  private int methods;
  private javax.annotation.processing.Messager notes;

  public ShapeStage(Elements elements, Trees trees, Reporter reporter, TypeResolver types) {
    this.trees = trees;
    this.reporter = reporter;
    this.declarations = new Declarations(elements, trees, types, new Declarations.Errors() {
      @Override
      public void at(Tree tree, CompilationUnitTree unit, String message) {
        reporter.error(tree, unit, Message.SHAPE, message);
      }

      @Override
      public void at(Element element, String message) {
        reporter.error(element, Message.SHAPE, message);
      }
    });
    this.analysis = new Analysis(elements, trees, types, declarations);
  }

  /**
   * The methods of a round that declare shapes (on themselves or a parameter) but are not
   * {@code @Differentiable}: their bodies are analyzed too.
   */
  public static Set<ExecutableElement> undifferentiated(RoundEnvironment round,
      Elements elements, Set<ExecutableElement> differentiable) {
    Set<ExecutableElement> out = new LinkedHashSet<>();
    TypeElement shape = elements.getTypeElement(Declarations.SHAPE);
    if (shape == null) return out;
    for (Element e : round.getElementsAnnotatedWith(shape)) {
      Element m = e.getKind() == ElementKind.PARAMETER ? e.getEnclosingElement() : e;
      if (m.getKind() == ElementKind.METHOD && !differentiable.contains(m)) {
        out.add((ExecutableElement) m);
      }
    }
    return out;
  }

  /**
   * The operations with a shape rule, as {@code owner.name(kinds)} where a kind is {@code T}
   * (Tensor), {@code I} (an integer type), {@code D} (double or float), {@code Z} (boolean),
   * {@code [}x (an array of x) or {@code O} (any other class): so that a test can tell that
   * every operation of the runtime has one.
   */
  public static Set<String> knownOperations() {
    return OpTable.standard().signatures();
  }

  /** Reads {@code -Aadjoint.shapes}: {@code off}, {@code time}, or anything else for on. */
  public void configure(Map<String, String> options, javax.annotation.processing.Messager messager) {
    String v = options.get(OPTION);
    enabled = !"off".equals(v);
    timed = "time".equals(v);
    notes = messager;
  }

  /** A method's body as read (before lowering), with the trees of its locals. */
  public void read(ExecutableElement m, Function raw, Map<Var, Site> locals) {
    users.put(m, raw);
    long start = System.nanoTime();
    analysis.read(m, raw, locals);
    nanos += System.nanoTime() - start;
  }

  /** Analyzes a method of the round and reports what it proves wrong. */
  public void check(ExecutableElement m) {
    if (!enabled || !analysis.hasBody(m)) return;
    long start = System.nanoTime();
    methods++;
    Analysis.Alone a = analysis.alone(m);
    for (Interpreter.Problem p : a.problems()) {
      Site at = p.site() != null ? p.site() : Locator.find(trees, m, p.line(), p.where());
      if (at != null) {
        reporter.error(at.tree(), at.unit(), Message.SHAPE, p.message());
      } else {
        reporter.error(m, Message.SHAPE, p.message());
      }
    }
    nanos += System.nanoTime() - start;
  }

  /**
   * The argument checks a generated function starts with, when it is a derivative of a user's
   * method ({@code of}) that declares shapes; null otherwise.
   */
  public CodeBlock entryChecks(Object of, Function emitted) {
    if (!(of instanceof ExecutableElement) || !users.containsKey(of)) return null;
    ExecutableElement m = (ExecutableElement) of;
    Function user = users.get(m);
    String base = user.name();
    String kind = emitted.name().startsWith(base) ? emitted.name().substring(base.length()) : "";
    return EntryChecks.of(declarations, declarations.of(m), user, emitted, kind);
  }

  /** With {@code -Aadjoint.shapes=time}: how long the stage took this round, as a note. */
  public void reportTime() {
    if (timed && notes != null && methods > 0) {
      notes.printMessage(Diagnostic.Kind.NOTE, String.format(
          "[AdjointShape] shape analysis: %.1f ms for %d methods", nanos / 1e6, methods));
    }
  }
}
