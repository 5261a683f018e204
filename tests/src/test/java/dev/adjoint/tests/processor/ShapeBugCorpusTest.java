package dev.adjoint.tests.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.DifferentiableProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The shape-bug corpus ({@code src/test/resources/shape-bugs}): shape bugs written the way
 * people make them, after the published corpora of TensorFlow and PyTorch shape faults (Zhang
 * et al. 2018, SFData). Each file is a buggy program whose buggy line ends with
 * {@code // error}, with its fix as a replacement ({@code // fix: "old" -> "new"}). Recall:
 * every bug in annotated code is reported, at its line, with no other error; precision: the
 * fixed programs compile without a diagnostic. Programs marked {@code // annotated: no} show
 * what is not reported by design (unknown shapes, code a shape decides whether to run).
 */
class ShapeBugCorpusTest {
  private static final Pattern FIX = Pattern.compile("^// fix: \"(.*)\" -> \"(.*)\"$",
      Pattern.MULTILINE);

  private record Bug(String name, String buggy, String fixed, int line, boolean annotated) {}

  @Test
  void everyAnnotatedBugIsCaughtAtItsLineAndNoFixIsFlagged() throws IOException {
    List<Bug> bugs = read(Path.of("src/test/resources/shape-bugs"));
    Map<JavaFileObject, Bug> buggy = new LinkedHashMap<>();
    List<JavaFileObject> fixed = new ArrayList<>();
    for (Bug b : bugs) {
      buggy.put(JavaFileObjects.forSourceString("shapebugs." + b.name(), b.buggy()), b);
      fixed.add(JavaFileObjects.forSourceString("shapebugs." + b.name(), b.fixed()));
    }
    Map<Bug, List<Diagnostic<? extends JavaFileObject>>> found = new LinkedHashMap<>();
    for (Bug b : bugs) found.put(b, new ArrayList<>());
    for (Diagnostic<? extends JavaFileObject> d : compile(buggy.keySet()).diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE) continue;
      Bug b = buggy.get(d.getSource());
      if (b == null) throw new AssertionError("outside the corpus: " + d.getMessage(Locale.ROOT));
      found.get(b).add(d);
    }
    List<String> falsePositives = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : compile(fixed).diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE) continue;
      falsePositives.add(d.getSource().getName() + ":" + d.getLineNumber() + ": "
          + d.getMessage(Locale.ROOT));
    }

    int annotated = 0;
    int caught = 0;
    int unannotatedReported = 0;
    List<String> missed = new ArrayList<>();
    StringBuilder table = new StringBuilder("\nshape-bug corpus:\n");
    for (Bug b : bugs) {
      List<Diagnostic<? extends JavaFileObject>> ds = found.get(b);
      boolean atLine = ds.size() == 1 && ds.get(0).getLineNumber() == b.line()
          && ds.get(0).getMessage(Locale.ROOT).startsWith("[AdjointShape]");
      if (b.annotated()) {
        annotated++;
        if (atLine) {
          caught++;
        } else {
          missed.add(b.name() + " " + describe(ds));
        }
      } else if (!ds.isEmpty()) {
        unannotatedReported++;
        missed.add(b.name() + " (not annotated, yet reported) " + describe(ds));
      }
      table.append(String.format("  %-40s %s%n", b.name(), !b.annotated()
          ? (ds.isEmpty() ? "not annotated: not reported, as expected" : "REPORTED")
          : atLine ? "caught at line " + b.line() + ": "
              + ds.get(0).getMessage(Locale.ROOT).substring(0, Math.min(90,
                  ds.get(0).getMessage(Locale.ROOT).length())) : "MISSED " + describe(ds)));
    }
    table.append(String.format("annotated bugs: %d, caught at their line: %d (%.0f%%); "
        + "unannotated: %d, reported: %d; false positives on the %d fixed programs: %d%n",
        annotated, caught, 100.0 * caught / annotated, bugs.size() - annotated,
        unannotatedReported, bugs.size(), falsePositives.size()));
    System.out.print(table);

    assertEquals(List.of(), missed, "bugs not caught at their line");
    assertEquals(List.of(), falsePositives, "diagnostics on the fixed programs");
    assertEquals(true, annotated >= 30, "at least 30 annotated bugs");
  }

  private static String describe(List<Diagnostic<? extends JavaFileObject>> ds) {
    List<String> out = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : ds) {
      out.add("line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
    }
    return out.toString();
  }

  private static Compilation compile(Iterable<JavaFileObject> files) {
    return javac().withProcessors(new DifferentiableProcessor()).withOptions("-Xlint:all")
        .compile(files);
  }

  private static List<Bug> read(Path dir) throws IOException {
    List<Bug> bugs = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String text = Files.readString(f);
        String name = f.getFileName().toString().replace(".java", "");
        Matcher fix = FIX.matcher(text);
        if (!fix.find()) throw new AssertionError(name + ": no // fix: line");
        String body = text.substring(fix.end());
        int at = body.indexOf(fix.group(1));
        if (at < 0 || body.indexOf(fix.group(1), at + 1) >= 0) {
          throw new AssertionError(name + ": the fix must replace exactly one occurrence of "
              + fix.group(1));
        }
        String fixed = text.substring(0, fix.end()) + body.substring(0, at) + fix.group(2)
            + body.substring(at + fix.group(1).length());
        int line = -1;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          if (lines[i].trim().endsWith("// error")) line = i + 1;
        }
        if (line < 0) throw new AssertionError(name + ": no line marked // error");
        bugs.add(new Bug(name, text, fixed, line, !text.contains("\n// annotated: no\n")));
      }
    }
    return bugs;
  }
}
