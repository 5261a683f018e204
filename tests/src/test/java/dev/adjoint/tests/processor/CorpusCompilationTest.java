package dev.adjoint.tests.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The whole corpus (every supported construct) through compile-testing: it compiles without a
 * diagnostic, and each class with a {@code @Differentiable} method gets its derivatives class.
 * The numerical checks of the same code are the other tests of this module.
 */
class CorpusCompilationTest {
  @Test
  void everyConstructCompilesCleanly() throws IOException {
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
    Compilation c = Snippets.compile(sources.toArray(new JavaFileObject[0]));
    assertThat(c).succeededWithoutWarnings();
    for (String generated : expected) assertThat(c).generatedSourceFile(generated);
  }
}
