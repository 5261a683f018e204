package dev.adjoint.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import com.sun.source.util.Trees;
import dev.adjoint.processor.check.Message;
import dev.adjoint.processor.check.Reporter;
import dev.adjoint.processor.emit.ClassEmitter;
import dev.adjoint.processor.rules.RuleIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.annotation.processing.SupportedOptions;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Adjoint's annotation processor. It only drives rounds: each {@code @Differentiable} method is
 * read (package {@code read}), checked ({@code check}), differentiated ({@code diff}) and written
 * ({@code emit}). Errors stop work on one method, never the compiler; nothing is written when
 * any error was reported.
 *
 * <p>Option {@code -Aadjoint.jarForwardOrder=N} also generates iterated forward derivatives
 * ({@code fJvpJvp}, ...) up to order N, so that a jar's methods serve derivatives of that order
 * to the code that calls them. The default is 3.
 */
@AutoService(Processor.class)
// Generated: the generated classes carry it, and the next round would warn that no processor
// claimed it (-Xlint:processing, so -Werror builds would fail). The nn annotations (@Buffer,
// @Named) are read at run time by ModelTree; claiming them keeps models that use them quiet too.
@SupportedAnnotationTypes({"dev.adjoint.Differentiable", "dev.adjoint.Jvp", "dev.adjoint.Vjp",
    "dev.adjoint.NoDerivative", "dev.adjoint.Checkpoint", "dev.adjoint.Shape",
    "javax.annotation.processing.Generated", "dev.adjoint.nn.Buffer", "dev.adjoint.nn.Named"})
@SupportedOptions({DifferentiableProcessor.JAR_FORWARD_ORDER, DifferentiableProcessor.REPORT,
    dev.adjoint.processor.shape.ShapeStage.OPTION})
public final class DifferentiableProcessor extends AbstractProcessor {
  static final String JAR_FORWARD_ORDER = "adjoint.jarForwardOrder";
  /** {@code -Aadjoint.report=saved}: what each reverse-mode method keeps, in a text file. */
  static final String REPORT = "adjoint.report";
  /**
   * Third order by default: a gradient penalty (the gradient of a function that takes a gradient)
   * over a method from a jar calls {@code fVjpJvpJvp}, which only order 3 generates.
   */
  static final int DEFAULT_JAR_FORWARD_ORDER = 3;

  private Trees trees;
  private String notJavac;

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    trees = JavacEnvironment.trees(env);
    if (trees == null) notJavac = env.getClass().getName();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    TypeElement differentiable =
        processingEnv.getElementUtils().getTypeElement("dev.adjoint.Differentiable");
    if (differentiable == null) return false;
    Set<ExecutableElement> methods = new LinkedHashSet<>(
        ElementFilter.methodsIn(round.getElementsAnnotatedWith(differentiable)));
    List<TypeElement> ruleHolders = new ArrayList<>();
    for (String rule : List.of("dev.adjoint.Jvp", "dev.adjoint.Vjp")) {
      TypeElement a = processingEnv.getElementUtils().getTypeElement(rule);
      if (a == null) continue;
      for (Element e : round.getElementsAnnotatedWith(a)) {
        ruleHolders.add((TypeElement) e.getEnclosingElement());
      }
    }
    TypeElement checkpoint =
        processingEnv.getElementUtils().getTypeElement("dev.adjoint.Checkpoint");
    int misplaced = 0;
    if (checkpoint != null) {
      for (Element e : round.getElementsAnnotatedWith(checkpoint)) {
        if (!methods.contains(e)) {
          processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
              Message.CHECKPOINT_ALONE.format(e.getEnclosingElement().getSimpleName() + "."
                  + e.getSimpleName()), e);
          misplaced++;
        }
      }
    }
    if (misplaced > 0) return true;
    Set<ExecutableElement> shaped = dev.adjoint.processor.shape.ShapeStage.undifferentiated(round,
        processingEnv.getElementUtils(), methods);
    if (methods.isEmpty() && ruleHolders.isEmpty() && (shaped.isEmpty() || trees == null)) {
      return !annotations.isEmpty();
    }
    if (trees == null) {
      Element first = methods.isEmpty() ? ruleHolders.get(0) : methods.iterator().next();
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          Message.NOT_JAVAC.format(notJavac), first);
      return false;
    }
    Reporter reporter = new Reporter(processingEnv.getMessager(), trees);
    RuleIndex rules = new RuleIndex(processingEnv.getElementUtils(),
        processingEnv.getTypeUtils(), reporter);
    for (TypeElement holder : ruleHolders) rules.scan(holder);
    Registry registry = new Registry(processingEnv.getElementUtils(), trees, reporter, rules,
        methods, jarForwardOrder());
    registry.shapes().configure(processingEnv.getOptions(), processingEnv.getMessager());
    for (ExecutableElement m : methods) {
      try {
        registry.plan(m);
      } catch (Reporter.Abort abort) {
        // reported; go on with the other methods
      } catch (RuntimeException e) {
        reporter.error(m, Message.INTERNAL, m.getSimpleName(), e);
      }
    }
    for (ExecutableElement m : shaped) registry.checkShapes(m);
    registry.drain();
    registry.shapes().reportTime();
    // The annotations are Adjoint's own: claiming them keeps -Xlint:processing quiet.
    if (reporter.errorCount() > 0) return true;
    for (GeneratedClass c : registry.classes().values()) {
      try {
        write(c);
        if ("saved".equals(processingEnv.getOptions().get(REPORT))) writeReport(c);
      } catch (RuntimeException e) {
        Element at = c.origins().isEmpty() ? null : c.origins().iterator().next();
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Message.INTERNAL.format(c.name(), e), at);
      }
    }
    return true;
  }

  private int jarForwardOrder() {
    String v = processingEnv.getOptions().get(JAR_FORWARD_ORDER);
    try {
      return v == null ? DEFAULT_JAR_FORWARD_ORDER : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return DEFAULT_JAR_FORWARD_ORDER;
    }
  }

  private void write(GeneratedClass c) {
    String sources = c.origins().stream()
        .map(e -> e.getEnclosingElement().getSimpleName().toString())
        .distinct().collect(Collectors.joining(", "));
    JavaFile file = ClassEmitter.emit(c.name(), sources, c.records(), c.methods(),
        c.origins());
    try {
      file.writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          "[AdjointWrite] cannot write " + c.name() + ": " + e.getMessage());
    }
  }

  /**
   * The head comment of every reverse-mode method of {@code c} (what it keeps for its reverse
   * sweep) into {@code <package>/<Class>.saved.txt} beside the generated sources.
   */
  private void writeReport(GeneratedClass c) {
    StringBuilder b = new StringBuilder();
    for (dev.adjoint.processor.emit.GeneratedMethod m : c.methods()) {
      List<String> lines = new ArrayList<>();
      for (dev.adjoint.processor.ir.Stmt s : m.function().body()) {
        if (!(s instanceof dev.adjoint.processor.ir.Stmt.Comment)) break;
        lines.add(((dev.adjoint.processor.ir.Stmt.Comment) s).text());
      }
      if (lines.isEmpty() || !lines.get(0).startsWith("Kept for the reverse sweep")) continue;
      b.append(c.name().simpleName()).append('.').append(m.function().name()).append('\n');
      for (String l : lines) b.append("  ").append(l).append('\n');
    }
    if (b.length() == 0) return;
    try (java.io.Writer w = processingEnv.getFiler().createResource(
        javax.tools.StandardLocation.SOURCE_OUTPUT, c.name().packageName(),
        c.name().simpleName() + ".saved.txt", c.origins().toArray(new Element[0]))
        .openWriter()) {
      w.write(b.toString());
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING,
          "[AdjointReport] cannot write the report of " + c.name() + ": " + e.getMessage());
    }
  }
}
