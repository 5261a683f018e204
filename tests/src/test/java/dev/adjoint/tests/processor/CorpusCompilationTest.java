package dev.adjoint.tests.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.DifferentiableProcessor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The whole corpus (every supported construct) through compile-testing: it compiles without a
 * diagnostic under {@code -Xlint:all -Werror}, as users' builds may, with the javac of the JDK
 * that runs the tests (CI runs them on 17 and on 25, whose javac has more lint categories, such
 * as {@code lossy-conversions}), and each class with a {@code @Differentiable} method gets its
 * derivatives class. {@code all} includes {@code processing}: the processor claims its own
 * annotations, or javac would warn that no processor claimed them. The numerical checks of the
 * same code are the other tests of this module.
 */
class CorpusCompilationTest {
  @Test
  void everyConstructCompilesCleanlyUnderXlintAllWerror() throws IOException {
    Path dir = Path.of("src/test/java/dev/adjoint/tests/corpus");
    List<JavaFileObject> sources = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String text = Files.readString(f);
        String name = f.getFileName().toString().replace(".java", "");
        sources.add(JavaFileObjects.forSourceString("dev.adjoint.tests.corpus." + name, text));
        if (text.contains("@Differentiable\n  public static")) {
          expected.add("dev.adjoint.tests.corpus." + name + "Derivatives");
        }
      }
    }
    Compilation c = javac().withProcessors(new DifferentiableProcessor())
        .withOptions("--release", "17", "-Xlint:all", "-Werror")
        .withClasspath(librariesOnly())
        .compile(sources);
    assertEquals(List.of(), c.diagnostics().stream().map(d -> d.getKind() + " "
        + (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + " ")
        + d.getMessage(null)).collect(Collectors.toList()));
    assertThat(c).succeededWithoutWarnings();
    for (String generated : expected) assertThat(c).generatedSourceFile(generated);
  }

  /**
   * The test class path without this module's own classes, which hold the derivatives compiled
   * from the same corpus (javac would warn that they are generated again).
   */
  private static List<File> librariesOnly() {
    List<File> files = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.endsWith("test-classes")) files.add(new File(entry));
    }
    return files;
  }
}
