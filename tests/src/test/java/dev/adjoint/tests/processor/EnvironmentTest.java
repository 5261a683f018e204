package dev.adjoint.tests.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.DifferentiableProcessor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The processor outside plain javac: unwrapped where possible, one clear error where not. */
class EnvironmentTest {
  private static final String SOURCE = """
      final class Wrapped {
        @Differentiable
        static double f(double x) { // error
          return x * x;
        }
      }
      """;

  /** Hands the processor a proxy of javac's environment, as IntelliJ does. */
  static final class ProxyingProcessor extends AbstractProcessor {
    private final DifferentiableProcessor inner = new DifferentiableProcessor();
    private final boolean hideDelegate;

    ProxyingProcessor(boolean hideDelegate) {
      this.hideDelegate = hideDelegate;
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      InvocationHandler handler = hideDelegate ? new Hidden(env) : new Visible(env);
      inner.init((ProcessingEnvironment) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {ProcessingEnvironment.class}, handler));
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return inner.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return inner.process(annotations, round);
    }
  }

  /** Keeps the environment in a field of its own type: the processor can unwrap it. */
  static final class Visible implements InvocationHandler {
    private final ProcessingEnvironment env;

    Visible(ProcessingEnvironment env) {
      this.env = env;
    }

    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method m, Object[] args)
        throws Throwable {
      try {
        return m.invoke(env, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /** Keeps it out of reach: the processor must say it needs javac. */
  static final class Hidden implements InvocationHandler {
    private final Object[] box;

    Hidden(ProcessingEnvironment env) {
      this.box = new Object[] {env};
    }

    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method m, Object[] args)
        throws Throwable {
      try {
        return m.invoke(box[0], args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  @Test
  void unwrapsAProxiedEnvironment() {
    Compilation c = javac().withProcessors(new ProxyingProcessor(false))
        .compile(Snippets.source("Wrapped", SOURCE));
    assertThat(c).succeeded();
    assertThat(c).generatedSourceFile("demo.WrappedDerivatives");
  }

  @Test
  void reportsOneClearErrorWithoutJavac() {
    JavaFileObject file = Snippets.source("Wrapped", SOURCE);
    Compilation c = javac().withProcessors(new ProxyingProcessor(true)).compile(file);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[AdjointNeedsJavac] Adjoint's processor reads method "
        + "bodies through javac's Trees API").inFile(file).onLine(Snippets.markedLine(SOURCE));
  }
}
