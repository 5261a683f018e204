package dev.adjoint.tests.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.DifferentiableProcessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Programs with a shape bug, each compiled twice: as written, where exactly one line (marked
 * {@code // error}) must get an {@code [AdjointShape]} error, and fixed (one token replaced),
 * which must compile cleanly. All the buggy versions go through one compilation and all the
 * fixed ones through another (a bug in one class does not change another's diagnostics), so
 * that many programs cost two compilations.
 */
final class ShapePrograms {
  /** One program: {@code text} with {@code token} replaced by {@code bug} or {@code fix}. */
  record Program(String name, String text, String token, String bug, String fix) {
    String buggy() {
      return text.replace(token, bug);
    }

    String fixed() {
      return text.replace(token, fix);
    }

    int markedLine() {
      String[] lines = buggy().split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].trim().endsWith("// error")) return i + 1;
      }
      throw new IllegalArgumentException(name + ": no line marked // error");
    }
  }

  /** What one program's buggy version got: its shape errors (line and message), and any other. */
  record Outcome(List<Long> lines, List<String> messages, List<String> others) {}

  static final String HEADER = "package shapes;\n"
      + "import dev.adjoint.*;\n"
      + "import dev.adjoint.tensor.Tensor;\n";

  private final Map<String, Program> programs = new LinkedHashMap<>();
  private Map<String, Outcome> buggy;
  private List<String> fixedProblems;

  ShapePrograms add(String name, String token, String bug, String fix, String text) {
    programs.put(name, new Program(name, HEADER + text, token, bug, fix));
    return this;
  }

  Program program(String name) {
    return programs.get(name);
  }

  Iterable<Program> all() {
    return programs.values();
  }

  /** The buggy versions' diagnostics, per program (compiled once). */
  synchronized Map<String, Outcome> buggy() {
    if (buggy != null) return buggy;
    Map<JavaFileObject, String> files = new LinkedHashMap<>();
    for (Program p : programs.values()) {
      files.put(JavaFileObjects.forSourceString("shapes." + p.name(), p.buggy()), p.name());
    }
    Compilation c = compile(files.keySet());
    Map<String, Outcome> out = new LinkedHashMap<>();
    for (String name : files.values()) {
      out.put(name, new Outcome(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
    }
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE) continue;
      String name = d.getSource() == null ? null : files.get(d.getSource());
      String msg = d.getMessage(Locale.ROOT);
      if (name == null) {
        throw new AssertionError("a diagnostic outside the programs: " + msg);
      }
      Outcome o = out.get(name);
      if (d.getKind() == Diagnostic.Kind.ERROR && msg.startsWith("[AdjointShape]")) {
        o.lines().add(d.getLineNumber());
        o.messages().add(msg);
      } else {
        o.others().add(d.getKind() + " line " + d.getLineNumber() + ": " + msg);
      }
    }
    buggy = out;
    return out;
  }

  /** Every diagnostic of the fixed versions, compiled together (none is expected). */
  synchronized List<String> fixedProblems() {
    if (fixedProblems != null) return fixedProblems;
    List<JavaFileObject> files = new ArrayList<>();
    for (Program p : programs.values()) {
      files.add(JavaFileObjects.forSourceString("shapes." + p.name(), p.fixed()));
    }
    Compilation c = compile(files);
    List<String> out = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE) continue;
      out.add((d.getSource() == null ? "?" : d.getSource().getName()) + ":" + d.getLineNumber()
          + ": " + d.getKind() + ": " + d.getMessage(Locale.ROOT));
    }
    fixedProblems = out;
    return out;
  }

  private static Compilation compile(Iterable<JavaFileObject> files) {
    return javac().withProcessors(new DifferentiableProcessor()).withOptions("-Xlint:all")
        .compile(files);
  }
}
