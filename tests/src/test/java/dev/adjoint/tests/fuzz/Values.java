package dev.adjoint.tests.fuzz;

import dev.adjoint.tensor.Tensor;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Arguments of generated programs built from a flat vector, and derivatives read back into one,
 * by reflection, following an {@link ArgSpec}: the same order both ways, so that a gradient and
 * the input vector line up.
 */
final class Values {
  private Values() {}

  /** Finds the classes of a program's records. */
  interface Records {
    Class<?> record(String simpleName);

  }

  /** Builds an argument; its differentiated parts come from {@code x} at {@code pos[0]}. */
  static Object build(ArgSpec spec, Variant v, double[] x, int[] pos, Records records) {
    if (spec instanceof ArgSpec.Real r) {
      double d = r.fixed() != null ? r.fixed() : x[pos[0]++];
      return v == Variant.FLOAT ? (Object) (float) d : (Object) d;
    }
    if (spec instanceof ArgSpec.RealArray a) {
      double[] d = new double[a.length()];
      for (int i = 0; i < d.length; i++) d[i] = a.fixed() != null ? a.fixed()[i] : x[pos[0]++];
      if (v == Variant.DOUBLE) return d;
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
      return f;
    }
    if (spec instanceof ArgSpec.IntVal i) return i.value();
    if (spec instanceof ArgSpec.IntArray i) return i.values().clone();
    if (spec instanceof ArgSpec.Str s) return s.value();
    if (spec instanceof ArgSpec.Tens t) {
      int n = 1;
      for (int d : t.shape()) n *= d;
      double[] d = new double[n];
      for (int i = 0; i < n; i++) d[i] = t.fixed() != null ? t.fixed()[i] : x[pos[0]++];
      if (v == Variant.FLOAT) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) d[i];
        return Tensor.of(f, t.shape());
      }
      return Tensor.of(d, t.shape());
    }
    if (spec instanceof ArgSpec.LongVal l) return l.value();
    if (spec instanceof ArgSpec.EnumVal e) {
      try {
        Class<?> c = records.record(e.className());
        for (Object k : c.getEnumConstants()) {
          if (((Enum<?>) k).name().equals(e.constant())) return k;
        }
        throw new IllegalStateException("no constant " + e);
      } catch (RuntimeException ex) {
        throw new IllegalStateException(ex);
      }
    }
    if (spec instanceof ArgSpec.Obj o) {
      try {
        Class<?> c = records.record(o.className());
        for (Constructor<?> k : c.getConstructors()) {
          if (k.getParameterCount() != o.args().size()) continue;
          Object[] a = new Object[o.args().size()];
          for (int i = 0; i < a.length; i++) a[i] = build(o.args().get(i), v, x, pos, records);
          return k.newInstance(a);
        }
        throw new IllegalStateException("no constructor for " + o);
      } catch (ReflectiveOperationException ex) {
        throw new IllegalStateException(ex);
      }
    }
    ArgSpec.Rec r = (ArgSpec.Rec) spec;
    Class<?> type = records.record(r.type());
    RecordComponent[] comps = type.getRecordComponents();
    Object[] values = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      values[i] = build(r.components().get(i), v, x, pos, records);
      types[i] = comps[i].getType();
    }
    try {
      Constructor<?> c = type.getDeclaredConstructor(types);
      c.setAccessible(true);
      return c.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + r.type(), e);
    }
  }

  /**
   * Reads the differentiated parts of a value (a gradient, a tangent) of the shape of
   * {@code spec} into {@code out} at {@code pos[0]}. A missing part (null) is an error.
   */
  static void flatten(Object value, ArgSpec spec, double[] out, int[] pos, String what) {
    if (spec.size() == 0) return;
    if (value == null) throw new NullDerivative(what + " is null");
    if (spec instanceof ArgSpec.Real) {
      out[pos[0]++] = ((Number) value).doubleValue();
    } else if (spec instanceof ArgSpec.RealArray) {
      if (value instanceof double[] d) {
        for (double e : d) out[pos[0]++] = e;
      } else {
        for (float e : (float[]) value) out[pos[0]++] = e;
      }
    } else if (spec instanceof ArgSpec.Tens) {
      for (double e : ((Tensor) value).toDoubleArray()) out[pos[0]++] = e;
    } else {
      ArgSpec.Rec r = (ArgSpec.Rec) spec;
      RecordComponent[] comps = value.getClass().getRecordComponents();
      List<ArgSpec> specs = r.components();
      for (int i = 0; i < comps.length; i++) {
        flatten(component(value, comps[i]), specs.get(i), out, pos,
            what + "." + comps[i].getName());
      }
    }
  }

  static Object component(Object record, RecordComponent c) {
    try {
      var m = c.getAccessor();
      m.setAccessible(true);
      return m.invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A generated derivative returned null where a value was due. */
  static final class NullDerivative extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NullDerivative(String message) {
      super(message);
    }
  }
}
