package dev.adjoint.tests.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.DifferentiableProcessor;
import javax.tools.JavaFileObject;

/**
 * Compiles a snippet with Adjoint's processor. A line of the snippet that ends with
 * {@code // error} is where the expected diagnostic must point.
 */
final class Snippets {
  private Snippets() {}

  static final String HEADER = "package demo;\n"
      + "import dev.adjoint.*;\n";

  static JavaFileObject source(String className, String body) {
    return JavaFileObjects.forSourceString("demo." + className, HEADER + body);
  }

  static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new DifferentiableProcessor()).compile(sources);
  }

  /** Without the iterated derivatives generated for jars: only what this compilation uses. */
  static Compilation compileFirstOrderJar(JavaFileObject... sources) {
    return javac().withProcessors(new DifferentiableProcessor())
        .withOptions("-Aadjoint.jarForwardOrder=1").compile(sources);
  }

  /** The derivatives class generated for {@code source}, as {@link #compileFirstOrderJar}. */
  static String generated(String name, String source) throws java.io.IOException {
    Compilation c = compileFirstOrderJar(source(name, source));
    assertThat(c).succeeded();
    return c.generatedSourceFile("demo." + name + "Derivatives").orElseThrow()
        .getCharContent(true).toString();
  }

  /** The text of the first method whose declaration contains {@code signature}. */
  static String method(String source, String signature) {
    int start = source.indexOf(signature);
    if (start < 0) throw new AssertionError("no method " + signature + " in\n" + source);
    int end = source.indexOf("\n    }\n", start);
    return source.substring(start, end);
  }

  /** Asserts exactly one error, with {@code tag}, on the line marked {@code // error}. */
  static Compilation expectError(String tag, String className, String body) {
    JavaFileObject file = source(className, body);
    Compilation c = compile(file);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[" + tag + "]").inFile(file).onLine(markedLine(body));
    return c;
  }

  static int markedLine(String body) {
    String[] lines = (HEADER + body).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].trim().endsWith("// error")) return i + 1;
    }
    throw new IllegalArgumentException("no line marked // error");
  }

  static String message(Compilation c) {
    return c.errors().get(0).getMessage(null);
  }
}
