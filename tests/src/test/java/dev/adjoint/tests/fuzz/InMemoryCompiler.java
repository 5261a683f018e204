package dev.adjoint.tests.fuzz;

import dev.adjoint.processor.DifferentiableProcessor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles sources with Adjoint's processor in one javac invocation, entirely in memory, and
 * loads the classes in a fresh class loader whose parent sees the runtime.
 */
final class InMemoryCompiler {
  /** One error or warning, with the file it is in (a class name) and its line. */
  record Problem(String file, long line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }

  /** What a compilation gave: classes when it succeeded, problems, or the exception javac threw. */
  record Result(boolean success, List<Problem> errors, Map<String, byte[]> classes,
      Map<String, String> generated, Throwable crash) {
    ClassLoader loader() {
      return new MemoryLoader(classes, InMemoryCompiler.class.getClassLoader());
    }
  }

  private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

  private final List<String> options;

  /** {@code processorOptions}: e.g. {@code -Aadjoint.jarForwardOrder=1}. */
  InMemoryCompiler(List<String> processorOptions) {
    List<String> o = new ArrayList<>(List.of("--release", "17", "-proc:full", "-classpath",
        System.getProperty("java.class.path"), "-implicit:none"));
    o.addAll(processorOptions);
    this.options = List.copyOf(o);
  }

  /** {@code sources}: qualified class name to source text. */
  Result compile(Map<String, String> sources) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager std = JAVAC.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8);
    MemoryManager files = new MemoryManager(std);
    List<JavaFileObject> units = new ArrayList<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      units.add(new Source(e.getKey(), e.getValue(), null));
    }
    StringWriter out = new StringWriter();
    Throwable crash = null;
    boolean ok;
    try {
      JavaCompiler.CompilationTask task = JAVAC.getTask(new PrintWriter(out), files, diagnostics,
          options(), null, units);
      if (!options.contains("-proc:none")) {
        task.setProcessors(List.of(new Timed(new DifferentiableProcessor())));
      }
      ok = task.call();
    } catch (RuntimeException | Error e) {
      crash = e.getCause() != null ? e.getCause() : e;
      ok = false;
    }
    List<Problem> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) continue;
      String file = d.getSource() == null ? "?" : className(d.getSource());
      errors.add(new Problem(file, d.getLineNumber(), d.getMessage(Locale.ROOT)));
    }
    if (!ok && errors.isEmpty() && crash == null && !out.toString().isBlank()) {
      errors.add(new Problem("?", 0, out.toString()));
    }
    return new Result(ok, errors, files.classes, files.generated, crash);
  }

  private List<String> options() {
    // -proc:full is JDK 21+; on 17 processing is on by default
    if (Runtime.version().feature() < 21 || options.contains("-proc:none")) {
      List<String> o = new ArrayList<>(options);
      o.remove("-proc:full");
      return o;
    }
    return options;
  }

  private static String className(JavaFileObject f) {
    if (f instanceof Source s) return s.className;
    String n = f.getName();
    return n.substring(n.lastIndexOf('/') + 1).replace(".java", "");
  }

  /** A source held in a string; generated sources are written into one too. */
  private static final class Source extends SimpleJavaFileObject {
    final String className;
    private String text;
    private final Map<String, String> sink;

    Source(String className, String text, Map<String, String> sink) {
      super(URI.create("mem:///" + className.replace('.', '/') + ".java"), Kind.SOURCE);
      this.className = className;
      this.text = text;
      this.sink = sink;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }

    @Override
    public OutputStream openOutputStream() {
      return new ByteArrayOutputStream() {
        @Override
        public void close() throws IOException {
          super.close();
          text = toString(StandardCharsets.UTF_8);
          if (sink != null) sink.put(className, text);
        }
      };
    }

    @Override
    public InputStream openInputStream() {
      return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static final class ClassFile extends SimpleJavaFileObject {
    private final String name;
    private final Map<String, byte[]> sink;

    ClassFile(String name, Map<String, byte[]> sink) {
      super(URI.create("mem:///" + name.replace('.', '/') + ".class"), Kind.CLASS);
      this.name = name;
      this.sink = sink;
    }

    @Override
    public OutputStream openOutputStream() {
      return new ByteArrayOutputStream() {
        @Override
        public void close() throws IOException {
          super.close();
          sink.put(name, toByteArray());
        }
      };
    }
  }

  private static final class MemoryManager extends ForwardingJavaFileManager<JavaFileManager> {
    final Map<String, byte[]> classes = new LinkedHashMap<>();
    final Map<String, String> generated = new LinkedHashMap<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();

    MemoryManager(JavaFileManager delegate) {
      super(delegate);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className,
        JavaFileObject.Kind kind, FileObject sibling) throws IOException {
      if (kind == JavaFileObject.Kind.CLASS) return new ClassFile(className, classes);
      if (kind == JavaFileObject.Kind.SOURCE) {
        Source s = new Source(className, "", generated);
        sources.put(className, s);
        return s;
      }
      return super.getJavaFileForOutput(location, className, kind, sibling);
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
      return a == b || a.toUri().equals(b.toUri());
    }

    @Override
    public boolean hasLocation(Location location) {
      return location == StandardLocation.SOURCE_OUTPUT || super.hasLocation(location);
    }
  }

  /** Loads the compiled classes; everything else from its parent. */
  private static final class MemoryLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    MemoryLoader(Map<String, byte[]> classes, ClassLoader parent) {
      super(parent);
      this.classes = classes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = classes.get(name);
      if (b == null) throw new ClassNotFoundException(name);
      return defineClass(name, b, 0, b.length);
    }
  }

  /** Nanoseconds spent inside the processor, over all compilations. */
  static final java.util.concurrent.atomic.LongAdder PROCESSOR_NANOS =
      new java.util.concurrent.atomic.LongAdder();

  /** Measures the time the processor takes. */
  private static final class Timed implements javax.annotation.processing.Processor {
    private final javax.annotation.processing.Processor p;

    Timed(javax.annotation.processing.Processor p) {
      this.p = p;
    }

    @Override
    public java.util.Set<String> getSupportedOptions() {
      return p.getSupportedOptions();
    }

    @Override
    public java.util.Set<String> getSupportedAnnotationTypes() {
      return p.getSupportedAnnotationTypes();
    }

    @Override
    public javax.lang.model.SourceVersion getSupportedSourceVersion() {
      return p.getSupportedSourceVersion();
    }

    @Override
    public void init(javax.annotation.processing.ProcessingEnvironment env) {
      p.init(env);
    }

    @Override
    public boolean process(java.util.Set<? extends javax.lang.model.element.TypeElement> annotations,
        javax.annotation.processing.RoundEnvironment round) {
      long t0 = System.nanoTime();
      try {
        return p.process(annotations, round);
      } finally {
        PROCESSOR_NANOS.add(System.nanoTime() - t0);
      }
    }

    @Override
    public Iterable<? extends javax.annotation.processing.Completion> getCompletions(
        javax.lang.model.element.Element element, javax.lang.model.element.AnnotationMirror annotation,
        javax.lang.model.element.ExecutableElement member, String userText) {
      return p.getCompletions(element, annotation, member, userText);
    }
  }

  /** The stack trace of a throwable, as text. */
  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
