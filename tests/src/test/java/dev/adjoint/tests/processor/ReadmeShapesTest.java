package dev.adjoint.tests.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.DifferentiableProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * README's "Compile-time shapes" shows a program and the error javac gives for it: the program
 * is compiled here, and the error must be the one shown, at the line shown, and the only one.
 */
class ReadmeShapesTest {
  private static final Path README = Path.of("..", "README.md");

  @Test
  void theErrorInTheReadmeIsTheOneJavacGives() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int section = lines.indexOf("## Compile-time shapes");
    assertTrue(section >= 0, "README has a section \"Compile-time shapes\"");
    String program = String.join("\n", block(lines, section, "```java")) + "\n";
    List<String> shown = block(lines, section, "```text");
    Matcher m = Pattern.compile("(\\w+)\\.java:(\\d+): error: (.*)").matcher(shown.get(0));
    assertTrue(m.matches(), "README shows javac's error: " + shown.get(0));

    JavaFileObject source = JavaFileObjects.forSourceString(m.group(1), program);
    Compilation c = javac().withProcessors(new DifferentiableProcessor())
        .withOptions("-Xlint:all").compile(source);
    List<Diagnostic<? extends JavaFileObject>> errors = c.errors();
    assertEquals(1, errors.size(), "one error: " + errors);
    Diagnostic<? extends JavaFileObject> e = errors.get(0);
    assertEquals(m.group(3), e.getMessage(Locale.ROOT));
    assertEquals(Long.parseLong(m.group(2)), e.getLineNumber());

    // and the program with the weight used as declared compiles cleanly
    String fixed = program.replace("w2.transpose(0, 1)", "w2");
    Compilation ok = javac().withProcessors(new DifferentiableProcessor())
        .withOptions("-Xlint:all").compile(JavaFileObjects.forSourceString(m.group(1), fixed));
    assertEquals(List.of(), ok.diagnostics().stream()
        .filter(d -> d.getKind() != Diagnostic.Kind.NOTE).toList());
  }

  /** The lines of the first code block opened by {@code fence} after line {@code from}. */
  private static List<String> block(List<String> lines, int from, String fence) {
    int start = lines.subList(from, lines.size()).indexOf(fence) + from;
    assertTrue(start >= from, "README's section has a " + fence + " block");
    int end = lines.subList(start + 1, lines.size()).indexOf("```") + start + 1;
    return lines.subList(start + 1, end);
  }
}
