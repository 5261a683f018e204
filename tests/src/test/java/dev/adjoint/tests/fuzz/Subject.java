package dev.adjoint.tests.fuzz;

import dev.adjoint.ad.Dual;
import dev.adjoint.ad.ValueAndGrad;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * One compiled method of a program and its generated derivatives, seen as a scalar function of a
 * flat vector (the differentiated parts of its arguments), called by reflection.
 */
final class Subject {
  /** The primal threw: the point is outside what the program handles. */
  static final class PrimalFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PrimalFailed(Throwable cause) {
      super(cause);
    }
  }

  /** A generated derivative threw. */
  static final class DerivativeFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String method;

    DerivativeFailed(String method, Throwable cause) {
      super(method + " threw " + cause, cause);
      this.method = method;
    }
  }

  final String name;
  final Variant variant;
  final int dim;
  private final List<ArgSpec> args;
  private final List<Integer> diff = new ArrayList<>();
  private final List<String> diffNames = new ArrayList<>();
  private final Values.Records records;
  private final Method primal;
  private final Method grad;
  private final Method valueAndGrad;
  private final Method jvp;
  private final Method vjp;
  private final Method hvp;
  private final Method jvpN;
  private final boolean tensorResult;
  private final boolean instance;

  Subject(ClassLoader loader, Program p, Variant v, String method) throws ReflectiveOperationException {
    this(loader, JavaPrinter.qualifiedName(p, v), JavaPrinter.qualifiedName(p, v) + "Derivatives",
        method, false, p.method(method).params(), p.args(), v,
        p.method(method).result().kind() == Type.Kind.TENSOR);
  }

  /**
   * A method {@code method} of class {@code cls} (a binary name), whose derivatives are in
   * {@code derivativesClass}; an instance method takes its receiver as the first of
   * {@code params} (named {@code self}); records are nested in {@code cls}'s top-level class.
   */
  Subject(ClassLoader loader, String cls, String derivativesClass, String method,
      boolean instance, List<Program.Param> params, List<ArgSpec> args, Variant v,
      boolean tensorResult) throws ReflectiveOperationException {
    this.name = method;
    this.variant = v;
    this.args = args;
    this.instance = instance;
    Class<?> program = loader.loadClass(cls);
    Class<?> derivatives = loader.loadClass(derivativesClass);
    String top = cls.contains("$") ? cls.substring(0, cls.indexOf('$')) : cls;
    this.records = new Values.Records() {
      @Override
      public Class<?> record(String simple) {
        try {
          return loader.loadClass(simple.contains(".") ? simple : top + "$" + simple);
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(e);
        }
      }

    };
    int d = 0;
    for (int i = 0; i < params.size(); i++) {
      if (Wrappers.differentiated(params.get(i))) {
        diff.add(i);
        diffNames.add(params.get(i).name());
        d += args.get(i).size();
      }
    }
    this.dim = d;
    int n = params.size();
    this.primal = findDeclared(program, method, instance ? n - 1 : n);
    this.grad = find(derivatives, method + "Grad", n);
    this.valueAndGrad = find(derivatives, method + "ValueAndGrad", n);
    this.jvp = find(derivatives, method + "Jvp", n + diff.size());
    this.vjp = find(derivatives, method + "Vjp", n + 1);
    this.hvp = find(derivatives, method + "Hvp", n + diff.size());
    this.jvpN = find(derivatives, method + "JvpN", n + diff.size());
    this.tensorResult = tensorResult;
  }

  private static Method findDeclared(Class<?> c, String name, int arity)
      throws NoSuchMethodException {
    for (Method m : c.getDeclaredMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == arity) {
        m.setAccessible(true);
        return m;
      }
    }
    throw new NoSuchMethodException(c.getName() + "." + name + " with " + arity + " parameters");
  }

  private static Method find(Class<?> c, String name, int arity) throws NoSuchMethodException {
    for (Method m : c.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == arity) return m;
    }
    throw new NoSuchMethodException(c.getName() + "." + name + " with " + arity + " parameters");
  }

  Object[] arguments(double[] x) {
    int[] pos = {0};
    Object[] out = new Object[args.size()];
    for (int i = 0; i < out.length; i++) out[i] = Values.build(args.get(i), variant, x, pos, records);
    return out;
  }

  private Object[] withTangents(double[] x, double[] t) {
    Object[] primalArgs = arguments(x);
    Object[] out = new Object[primalArgs.length + diff.size()];
    System.arraycopy(primalArgs, 0, out, 0, primalArgs.length);
    int[] pos = {0};
    for (int k = 0; k < diff.size(); k++) {
      out[primalArgs.length + k] = Values.build(args.get(diff.get(k)), variant, t, pos, records);
    }
    return out;
  }

  double value(double[] x) {
    try {
      Object[] a = arguments(x);
      if (instance) {
        return number(primal.invoke(a[0], java.util.Arrays.copyOfRange(a, 1, a.length)));
      }
      return number(primal.invoke(null, a));
    } catch (InvocationTargetException e) {
      throw new PrimalFailed(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  double[] grad(double[] x) {
    return gradient(call(grad, arguments(x)), name + "Grad");
  }

  /** {value, gradient...}. */
  double[] valueAndGrad(double[] x) {
    ValueAndGrad<?, ?> vg = (ValueAndGrad<?, ?>) call(valueAndGrad, arguments(x));
    double[] g = gradient(vg.grad(), name + "ValueAndGrad.grad");
    double[] out = new double[g.length + 1];
    out[0] = number(vg.value());
    System.arraycopy(g, 0, out, 1, g.length);
    return out;
  }

  /** {value, tangent}. */
  double[] jvp(double[] x, double[] t) {
    Dual<?> d = (Dual<?>) call(jvp, withTangents(x, t));
    if (d.tangent() == null) throw new Values.NullDerivative(name + "Jvp tangent is null");
    return new double[] {number(d.value()), number(d.tangent())};
  }

  /**
   * {value, tangent along ts[0], tangent along ts[1], ...}: the vector JVP, all directions in
   * one call.
   */
  double[] jvpN(double[] x, double[][] ts) {
    Object[] primalArgs = arguments(x);
    Object[] all = new Object[primalArgs.length + diff.size()];
    System.arraycopy(primalArgs, 0, all, 0, primalArgs.length);
    Class<?>[] types = jvpN.getParameterTypes();
    for (int k = 0; k < diff.size(); k++) {
      Object lanes = java.lang.reflect.Array.newInstance(
          types[primalArgs.length + k].getComponentType(), ts.length);
      for (int j = 0; j < ts.length; j++) {
        // the tangent of parameter k along direction j: its slice of the flat direction
        int[] pos = {0};
        Object t = null;
        for (int q = 0; q <= k; q++) t = Values.build(args.get(diff.get(q)), variant, ts[j], pos, records);
        java.lang.reflect.Array.set(lanes, j, t);
      }
      all[primalArgs.length + k] = lanes;
    }
    dev.adjoint.ad.DualN<?, ?> d = (dev.adjoint.ad.DualN<?, ?>) call(jvpN, all);
    Object tangents = d.tangents();
    double[] out = new double[ts.length + 1];
    out[0] = number(d.value());
    for (int j = 0; j < ts.length; j++) {
      Object t = java.lang.reflect.Array.get(tangents, j);
      if (t == null) throw new Values.NullDerivative(name + "JvpN tangent " + j + " is null");
      out[j + 1] = number(t);
    }
    return out;
  }

  double[] vjp(double[] x, double u) {
    Object[] a = arguments(x);
    Object[] all = new Object[a.length + 1];
    System.arraycopy(a, 0, all, 0, a.length);
    all[a.length] = tensorResult ? Tensor.scalar(DType.FLOAT64, u)
        : variant == Variant.FLOAT ? (Object) (float) u : (Object) u;
    return gradient(call(vjp, all), name + "Vjp");
  }

  double[] hvp(double[] x, double[] v) {
    return gradient(call(hvp, withTangents(x, v)), name + "Hvp");
  }

  /** A scalar result: a boxed number, or a one-element tensor. */
  private static double number(Object o) {
    if (o instanceof Tensor t) return t.item();
    return ((Number) o).doubleValue();
  }

  private Object call(Method m, Object[] a) {
    try {
      return m.invoke(null, a);
    } catch (InvocationTargetException e) {
      throw new DerivativeFailed(m.getName(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A gradient-shaped result: the parameter's type, or a record with one per parameter. */
  private double[] gradient(Object g, String what) {
    double[] out = new double[dim];
    int[] pos = {0};
    if (diff.size() == 1) {
      Values.flatten(g, args.get(diff.get(0)), out, pos, what);
      return out;
    }
    if (g == null) throw new Values.NullDerivative(what + " is null");
    for (int k = 0; k < diff.size(); k++) {
      Object part;
      try {
        Method acc = g.getClass().getMethod(diffNames.get(k));
        acc.setAccessible(true);
        part = acc.invoke(g);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("no component " + diffNames.get(k) + " in " + g, e);
      }
      Values.flatten(part, args.get(diff.get(k)), out, pos, what + "." + diffNames.get(k));
    }
    return out;
  }
}
