package dev.adjoint.cuda.check;

import dev.adjoint.ad.ValueAndGrad;
import dev.adjoint.cuda.CudaTestHooks;
import dev.adjoint.data.Batch;
import dev.adjoint.data.DataLoader;
import dev.adjoint.optim.Adam;
import dev.adjoint.optim.ClipGrad;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Sgd;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;
import dev.adjoint.tensor.TensorRules;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The CUDA backend against the CPU backend: every op (the samples and the corner cases), every
 * rule of {@link TensorRules} (found by reflection, so that a new rule without a sample is a
 * failure, not a gap), index errors, and gradients of generated code (an MLP and a CNN).
 * Inputs are fresh random values from {@code seed}; every buffer the CUDA backend hands out is
 * poisoned (0xFF bytes: NaN in floats) so that an element a kernel forgets to write shows.
 */
public final class ParitySuite {
  private final long seed;
  private final int size;
  private final Report report = new Report();
  private final Samples samples = new Samples();
  private long counter;

  /** {@code size} scales the large cases: 1 for the emulator, more on a GPU. */
  public ParitySuite(long seed, int size) {
    this.seed = seed;
    this.size = size;
  }

  public Report run() {
    CudaTestHooks.poison(true);
    try {
      ops();
      for (Case c : Corners.all(size)) check(c);
      rules();
      errors();
      models();
      training();
    } finally {
      CudaTestHooks.poison(false);
    }
    return report;
  }

  private Gen gen(DType dtype) {
    return new Gen(new SplittableRandom(seed + 7919 * counter++), dtype);
  }

  private void ops() {
    for (Samples.Sample s : samples.all()) {
      String name = s.key() + (s.label().isEmpty() ? "" : " " + s.label());
      check(Case.of("ops", name, s.args(), s.primal()));
    }
  }

  private void check(Case c) {
    for (DType dtype : c.dtypes()) {
      String dt = dtype.toString();
      Object[] args;
      Object expected;
      try {
        args = c.args().apply(gen(dtype));
        expected = c.op().apply(args);
      } catch (RuntimeException e) {
        report.add(new Report.Row(c.group(), c.name(), dt, false, Double.NaN, "CPU: " + e));
        continue;
      }
      try {
        Object[] onDevice = Moves.to(Device.CUDA, args);
        c.setup().run();
        Object actual;
        try {
          actual = c.op().apply(onDevice);
        } finally {
          c.teardown().run();
        }
        record(c.group(), c.name(), dt, expected, actual, c.scale());
      } catch (RuntimeException e) {
        report.add(new Report.Row(c.group(), c.name(), dt, false, Double.NaN, "CUDA: " + e));
      }
    }
  }

  private void record(String group, String name, String dtype, Object expected, Object actual,
      double scale) {
    Compare.Diff d = Compare.of(expected, actual, scale, dtype.startsWith("FLOAT32")
        ? DType.FLOAT32 : DType.FLOAT64, !name.startsWith("of"));
    double ratio = d.tolerance() > 0 ? d.error() / d.tolerance() : d.error() == 0 ? 0 : Double.NaN;
    report.add(new Report.Row(group, name, dtype, d.ok(), ratio,
        d.problem() != null ? d.problem() : "error " + d.error() + " > " + d.tolerance()));
  }

  // ------------------------------------------------------------------------------ rules

  private void rules() {
    List<Method> rules = new ArrayList<>();
    for (Method m : TensorRules.class.getDeclaredMethods()) {
      int mod = m.getModifiers();
      if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && ruleAt(m.getName()) > 0) {
        rules.add(m);
      }
    }
    rules.sort((a, b) -> a.getName().compareTo(b.getName()));
    for (Method m : rules) rule(m);
  }

  /** Where "Jvp" or "Vjp" starts in a rule's name (its primal's key before it), or -1. */
  static int ruleAt(String name) {
    int j = name.indexOf("Jvp");
    int v = name.indexOf("Vjp");
    if (j < 0) return v;
    if (v < 0) return j;
    return Math.min(j, v);
  }

  private void rule(Method m) {
    String name = m.getName();
    int at = ruleAt(name);
    String key = name.substring(0, at);
    boolean jvp = name.startsWith("Jvp", at);
    String wrt = name.substring(at + 3);
    Parameter[] params = m.getParameters();
    int arity = params.length - 2;
    boolean any = false;
    for (Samples.Sample s : samples.get(key)) {
      for (DType dtype : Case.FLOATS) {
        Gen g = gen(dtype);
        Object[] args = s.args().apply(g);
        if (!fits(params, args, arity)) continue;
        any = true;
        String label = name + (s.label().isEmpty() ? "" : " " + s.label());
        try {
          Object out = s.primal().apply(args);
          Object seedValue = seed(g, params, args, out, jvp, wrt, arity);
          Object expected = invoke(m, args, out, seedValue);
          Object actual = invoke(m, Moves.to(Device.CUDA, args), Moves.to(Device.CUDA, out),
              Moves.to(Device.CUDA, seedValue));
          record("rules", label, dtype.toString(), expected, actual, 1);
        } catch (RuntimeException e) {
          report.add(new Report.Row("rules", label, dtype.toString(), false, Double.NaN,
              e.toString()));
        }
      }
    }
    if (!any) {
      report.add(new Report.Row("rules", name, "-", false, Double.NaN, "no sample of " + key
          + " with parameters " + Arrays.toString(Arrays.copyOf(params, arity))
          + " in check.Samples: add one"));
    }
  }

  private static boolean fits(Parameter[] params, Object[] args, int arity) {
    if (args.length != arity) return false;
    for (int i = 0; i < arity; i++) {
      Class<?> t = params[i].getType();
      Object a = args[i];
      boolean ok = t == int.class ? a instanceof Integer : t == double.class
          ? a instanceof Double : t == boolean.class ? a instanceof Boolean : t.isInstance(a);
      if (!ok) return false;
    }
    return true;
  }

  /** A random tangent (like the argument differentiated) or cotangent (like the output). */
  private static Object seed(Gen g, Parameter[] params, Object[] args, Object out, boolean jvp,
      String wrt, int arity) {
    Class<?> type = params[params.length - 1].getType();
    Object like = out;
    if (jvp) {
      String wanted = wrt.isEmpty() ? null
          : Character.toLowerCase(wrt.charAt(0)) + wrt.substring(1);
      like = null;
      for (int i = 0; i < arity; i++) {
        boolean named = wanted != null && params[i].getName().equals(wanted);
        boolean first = wanted == null && params[i].getType() == type;
        if (named || first) {
          like = args[i];
          break;
        }
      }
      if (like == null) throw new IllegalStateException("no parameter " + wrt);
    }
    return randomLike(g, type, like);
  }

  private static Object randomLike(Gen g, Class<?> type, Object like) {
    if (type == double.class) return g.scalar();
    if (type == double[].class) return g.rand(((double[]) like).length).toDoubleArray();
    if (type == float[].class) return g.rand(((float[]) like).length).toFloatArray();
    if (type == Tensor[].class) {
      Tensor[] l = (Tensor[]) like;
      Tensor[] r = new Tensor[l.length];
      for (int i = 0; i < l.length; i++) r[i] = (Tensor) randomLike(g, Tensor.class, l[i]);
      return r;
    }
    Tensor l = (Tensor) like;
    return g.rand(l.shape()).to(l.dtype());
  }

  private static Object invoke(Method m, Object[] args, Object out, Object seedValue) {
    Object[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = out;
    all[args.length + 1] = seedValue;
    try {
      return m.invoke(null, all);
    } catch (InvocationTargetException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) throw (RuntimeException) c;
      throw new IllegalStateException(c);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------------------ errors

  /** An index out of range: the CPU's message, thrown by CUDA at the next synchronization. */
  private void errors() {
    try {
      Tensor.ones(2).add(Tensor.ones(2).to(Device.CUDA));
      report.add(new Report.Row("errors", "mixing devices", "-", false, Double.NaN,
          "no error"));
    } catch (IllegalArgumentException e) {
      report.add(new Report.Row("errors", "mixing devices", "-", e.getMessage().equals(
          "add: tensors are on different devices (CPU [2] and CUDA [2]); move one with "
          + "to(Device)"), 0, e.getMessage()));
    }
    Tensor x = Tensor.zeros(3, 4);
    Tensor bad = Tensor.of(new long[] {0, 7, 1}, 3, 1);
    expectError("gather out of range", () -> x.gather(1, bad).toFloatArray(),
        () -> x.to(Device.CUDA).gather(1, bad.to(Device.CUDA)).toFloatArray());
    Tensor badRows = Tensor.of(new long[] {1, -4}, 2);
    expectError("indexSelect out of range", () -> x.indexSelect(0, badRows).toFloatArray(),
        () -> x.to(Device.CUDA).indexSelect(0, badRows.to(Device.CUDA)).sum().item());
    // the error is reported once; the device is usable after it
    try {
      double v = Tensor.ones(5).to(Device.CUDA).sum().item();
      report.add(new Report.Row("errors", "usable after an index error", "-", v == 5, 0,
          "sum is " + v));
    } catch (RuntimeException e) {
      report.add(new Report.Row("errors", "usable after an index error", "-", false, Double.NaN,
          e.toString()));
    }
  }

  private void expectError(String name, Runnable cpu, Runnable cuda) {
    String expected;
    try {
      cpu.run();
      expected = null;
    } catch (IllegalArgumentException e) {
      expected = e.getMessage();
    }
    try {
      cuda.run();
      report.add(new Report.Row("errors", name, "-", false, Double.NaN, "no error; the CPU says "
          + expected));
    } catch (IllegalArgumentException e) {
      boolean ok = expected != null && e.getMessage().startsWith(expected);
      report.add(new Report.Row("errors", name, "-", ok, 0, "CUDA says \"" + e.getMessage()
          + "\", the CPU \"" + expected + "\""));
    }
  }

  // ------------------------------------------------------------------------------ training

  /** Optimizers, gradient clipping and the data loader over CUDA tensors, as on the CPU. */
  private void training() {
    for (DType dtype : Case.FLOATS) {
      SplittableRandom r = new SplittableRandom(seed + 53 + dtype.ordinal());
      Models.Mlp m = Models.Mlp.init(r, dtype, 20, 16, 5);
      Tensor x = Tensor.randn(DType.FLOAT64, r, 24, 20).to(dtype);
      Tensor y = new Gen(r, dtype).index(5, 24);
      String dt = dtype.toString();
      try {
        Object[][] results = new Object[2][];
        for (int device = 0; device < 2; device++) {
          Device d = device == 0 ? Device.CPU : Device.CUDA;
          Models.Mlp model = m.to(d);
          Optimizer<Models.Mlp> adam = Adam.of(model, 1e-2);
          Optimizer<Models.Mlp> sgd = Sgd.of(model, 0.1, 0.9);
          Tensor firstX = null;
          for (Batch b : DataLoader.of(x.to(d), y.to(d), 8, true, 42)) {
            if (firstX == null) firstX = b.x();
            Models.Mlp g = Models_MlpDerivatives.lossGrad(model, b.x(), b.y());
            ClipGrad.Clipped<Models.Mlp> c = ClipGrad.byNorm(g, 0.5);
            model = adam.step(model, c.grad());
            model = sgd.step(model, g);
          }
          results[device] = new Object[] {model.tensors(), firstX};
        }
        record("training", "Adam and SGD over a shuffled DataLoader, clipped", dt,
            results[0][0], results[1][0], 10);
        record("training", "DataLoader's first batch", dt, results[0][1], results[1][1], 1);
      } catch (RuntimeException e) {
        report.add(new Report.Row("training", "optimizers and data", dt, false, Double.NaN,
            e.toString()));
      }
    }
  }

  // ------------------------------------------------------------------------------ models

  /** Loss and gradient of generated code on both devices. */
  private void models() {
    for (DType dtype : Case.FLOATS) {
      SplittableRandom r = new SplittableRandom(seed + 31 + dtype.ordinal());
      int batch = 12 * size;
      Models.Mlp mlp = Models.Mlp.init(r, dtype, 20, 16, 5);
      Tensor x = Tensor.randn(DType.FLOAT64, r, batch, 20).to(dtype);
      Tensor y = new Gen(r, dtype).index(5, batch);
      ValueAndGrad<Tensor, Models.Mlp> cpu = Models_MlpDerivatives.lossValueAndGrad(mlp, x, y);
      try {
        ValueAndGrad<Tensor, Models.Mlp> gpu = Models_MlpDerivatives.lossValueAndGrad(
            mlp.to(Device.CUDA), x.to(Device.CUDA), y.to(Device.CUDA));
        record("models", "MLP loss", dtype.toString(), cpu.value(), gpu.value(), 1);
        record("models", "MLP gradient", dtype.toString(), cpu.grad().tensors(),
            gpu.grad().tensors(), 1);
      } catch (RuntimeException e) {
        report.add(new Report.Row("models", "MLP", dtype.toString(), false, Double.NaN,
            e.toString()));
      }
      Models.Cnn cnn = Models.Cnn.init(r, dtype, 12);
      Tensor images = Tensor.randn(DType.FLOAT64, r, 4, 1, 12, 12).to(dtype);
      Tensor labels = new Gen(r, dtype).index(10, 4);
      ValueAndGrad<Tensor, Models.Cnn> ccpu = Models_CnnDerivatives.lossValueAndGrad(cnn, images,
          labels);
      try {
        ValueAndGrad<Tensor, Models.Cnn> cgpu = Models_CnnDerivatives.lossValueAndGrad(
            cnn.to(Device.CUDA), images.to(Device.CUDA), labels.to(Device.CUDA));
        record("models", "CNN loss", dtype.toString(), ccpu.value(), cgpu.value(), 1);
        record("models", "CNN gradient", dtype.toString(), ccpu.grad().tensors(),
            cgpu.grad().tensors(), 4);
      } catch (RuntimeException e) {
        report.add(new Report.Row("models", "CNN", dtype.toString(), false, Double.NaN,
            e.toString()));
      }
    }
  }
}
