package dev.adjoint.tests.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import dev.adjoint.ad.GradCheck;
import dev.adjoint.processor.DifferentiableProcessor;
import dev.adjoint.tests.Check;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library compiled on its own (as if shipped in a jar), then a program that calls its
 * {@code @Differentiable} methods: the program's derivatives go through the derivatives
 * generated into the library. The compiled program is loaded and checked numerically.
 */
class JarLibraryTest {
  @TempDir
  Path dir;

  @Test
  void differentiatesThroughAMethodCompiledElsewhere() throws Exception {
    Compilation lib = javac().withProcessors(new DifferentiableProcessor()).compile(
        Snippets.source("Lib", """
            public final class Lib {
              @Differentiable
              public static double bump(double x, double[] w) {
                double s = 0;
                for (int i = 0; i < w.length; i++) s += Math.tanh(w[i] * x);
                return s * x;
              }
            }
            """));
    assertThat(lib).succeeded();
    Path libClasses = write(lib, dir.resolve("lib"));

    Compilation app = javac().withProcessors(new DifferentiableProcessor())
        .withClasspath(classpathWith(libClasses))
        .compile(Snippets.source("App", """
            public final class App {
              @Differentiable
              public static double loss(double x, double[] w) {
                return Lib.bump(x * x, w) + Math.sin(x);
              }
            }
            """));
    assertThat(app).succeeded();
    Path appClasses = write(app, dir.resolve("app"));

    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {appClasses.toUri().toURL(), libClasses.toUri().toURL()},
        getClass().getClassLoader())) {
      Class<?> appClass = loader.loadClass("demo.App");
      Class<?> derivatives = loader.loadClass("demo.AppDerivatives");
      Method loss = appClass.getMethod("loss", double.class, double[].class);
      Method hvp = derivatives.getMethod("lossHvp", double.class, double[].class, double.class,
          double[].class);
      Method grad = derivatives.getMethod("lossGrad", double.class, double[].class);
      double[] w = {0.5, -1.0, 2.0};
      GradCheck.Scalar f = p -> invoke(loss, p[0], w);
      GradCheck.Vector g = p -> new double[] {component(invokeObject(grad, p[0], w), "x")};
      for (double x : new double[] {0.3, -0.8}) {
        GradCheck.checkGradient(f, g, new double[] {x}, Check.FD);
        // second order through the library: Hessian-vector product against differences of g
        double h = 1e-5;
        double expected = (g.apply(new double[] {x + h})[0] - g.apply(new double[] {x - h})[0])
            / (2 * h);
        Object hv = invokeObject(hvp, x, w, 1.0, new double[3]);
        Check.close(expected, component(hv, "x"), 1e-6, "hvp");
      }
      // the vector JVP through the library (one JVP of the jar's method per direction)
      Method jvp = derivatives.getMethod("lossJvp", double.class, double[].class, double.class,
          double[].class);
      Method jvpN = derivatives.getMethod("lossJvpN", double.class, double[].class,
          double[].class, double[][].class);
      double[] xs = {1, 0, -0.5};
      double[][] ws = {{0, 0, 0}, {1, 0, 0}, {0.2, -0.3, 0.9}};
      dev.adjoint.ad.DualN<?, ?> d = (dev.adjoint.ad.DualN<?, ?>) invokeObject(jvpN, 0.3, w, xs,
          ws);
      for (int j = 0; j < xs.length; j++) {
        dev.adjoint.ad.Dual<?> one = (dev.adjoint.ad.Dual<?>) invokeObject(jvp, 0.3, w, xs[j],
            ws[j]);
        Check.close((double) one.tangent(), ((double[]) d.tangents())[j], 1e-13,
            "lossJvpN, direction " + j);
      }
    }
  }

  /**
   * A gradient penalty over a library method, with the library compiled with default options:
   * its derivatives reach third order (fHvp of the penalty calls the library's fVjpJvpJvp).
   */
  @Test
  void gradientPenaltyOverALibraryBuiltWithDefaults() throws Exception {
    Compilation lib = javac().withProcessors(new DifferentiableProcessor()).compile(
        Snippets.source("Lib2", """
            public final class Lib2 {
              @Differentiable
              public static double energy(double x, double y) {
                return Math.sin(x) * y * y + Math.exp(0.3 * x * y);
              }
            }
            """));
    assertThat(lib).succeeded();
    Path libClasses = write(lib, dir.resolve("lib2"));
    Compilation app = javac().withProcessors(new DifferentiableProcessor())
        .withClasspath(classpathWith(libClasses))
        .compile(Snippets.source("Penalty", """
            public final class Penalty {
              @Differentiable
              public static double penalty(double x, double y) {
                Lib2Derivatives.EnergyGrad g = Lib2Derivatives.energyGrad(x, y);
                return g.x() * g.x() + g.y() * g.y();
              }
            }
            """));
    assertThat(app).succeeded();
    Path appClasses = write(app, dir.resolve("app2"));
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {appClasses.toUri().toURL(), libClasses.toUri().toURL()},
        getClass().getClassLoader())) {
      Class<?> app2 = loader.loadClass("demo.Penalty");
      Class<?> derivatives = loader.loadClass("demo.PenaltyDerivatives");
      Method penalty = app2.getMethod("penalty", double.class, double.class);
      Method grad = derivatives.getMethod("penaltyGrad", double.class, double.class);
      Method hvp = derivatives.getMethod("penaltyHvp", double.class, double.class, double.class,
          double.class);
      GradCheck.Scalar f = p -> invoke(penalty, p[0], p[1]);
      GradCheck.Vector g = p -> {
        Object r = invokeObject(grad, p[0], p[1]);
        return new double[] {component(r, "x"), component(r, "y")};
      };
      double[] at = {0.4, -0.7};
      GradCheck.checkGradient(f, g, at, Check.FD);
      // third order of the library function: the penalty's Hessian against differences of g
      GradCheck.checkJvp(g, (p, v) -> {
        Object r = invokeObject(hvp, p[0], p[1], v[0], v[1]);
        return new double[] {component(r, "x"), component(r, "y")};
      }, at, 1e-5, 3);
      // the vector JVP of a function that takes a library method's gradient
      Method jvp = derivatives.getMethod("penaltyJvp", double.class, double.class, double.class,
          double.class);
      Method jvpN = derivatives.getMethod("penaltyJvpN", double.class, double.class,
          double[].class, double[].class);
      double[] xs = {1, 0, 0.7};
      double[] ys = {0, 1, -1.3};
      dev.adjoint.ad.DualN<?, ?> d = (dev.adjoint.ad.DualN<?, ?>) invokeObject(jvpN, at[0],
          at[1], xs, ys);
      for (int j = 0; j < xs.length; j++) {
        dev.adjoint.ad.Dual<?> one = (dev.adjoint.ad.Dual<?>) invokeObject(jvp, at[0], at[1],
            xs[j], ys[j]);
        Check.close((double) one.tangent(), ((double[]) d.tangents())[j], 1e-13,
            "penaltyJvpN, direction " + j);
      }
    }
  }

  private static double invoke(Method m, Object... args) {
    return (double) invokeObject(m, args);
  }

  private static Object invokeObject(Method m, Object... args) {
    try {
      return m.invoke(null, args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** A component of a generated gradient record, read through its accessor. */
  private static double component(Object record, String name) {
    try {
      return (double) record.getClass().getMethod(name).invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Writes a compilation's class files under {@code out}. */
  private static Path write(Compilation c, Path out) throws IOException {
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) continue;
      String path = f.toUri().getPath();
      String relative = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length());
      Path target = out.resolve(relative);
      Files.createDirectories(target.getParent());
      try (InputStream in = f.openInputStream(); OutputStream os = Files.newOutputStream(target)) {
        in.transferTo(os);
      }
    }
    return out;
  }

  private static List<File> classpathWith(Path extra) {
    List<File> cp = new ArrayList<>();
    cp.add(extra.toFile());
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      cp.add(new File(e));
    }
    return cp;
  }
}
