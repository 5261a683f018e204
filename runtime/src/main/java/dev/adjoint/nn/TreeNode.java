package dev.adjoint.nn;

import dev.adjoint.tensor.Tensor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.BaseStream;

/**
 * The plan {@link ModelTree} follows for one class: a tensor, a record (accessors and
 * constructor as method handles), an array, or a carried value. Built once per class.
 */
abstract class TreeNode {
  private static final ClassValue<TreeNode> NODES = new ClassValue<>() {
    @Override
    protected TreeNode computeValue(Class<?> c) {
      return build(c);
    }
  };
  private static final TreeNode TENSOR = new TensorNode();
  private static final TreeNode CARRIED = new CarriedNode();

  static TreeNode of(Class<?> c) {
    return NODES.get(c);
  }

  /** Appends this value's leaves ({@code value} is not null). */
  abstract void flatten(Object value, String path, boolean buffer, Sink sink);

  /** The leaves a null value of this declared type stands for: all null. */
  void flattenNull(String path, boolean buffer, Sink sink) {}

  /** This value with its leaves taken from {@code src} ({@code template} is not null). */
  abstract Object rebuild(Object template, Source src);

  /** Consumes the leaves of a null value; they must all be null. */
  void rebuildNull(Source src) {}

  // ---------------------------------------------------------------- building plans

  private static TreeNode build(Class<?> c) {
    if (c == Tensor.class) return TENSOR;
    if (c.isRecord()) {
      RecordNode r = new RecordNode(c);
      return r.holdsNothing() ? CARRIED : r;
    }
    if (c.isArray()) {
      Class<?> e = c.getComponentType();
      return mayHoldLeaves(e) ? new ArrayNode(c) : CARRIED;
    }
    checkNoTensorFields(c, c.getName());
    return CARRIED;
  }

  /** Whether a value declared with this type may contain tensors. */
  static boolean mayHoldLeaves(Class<?> declared) {
    if (declared.isPrimitive()) return false;
    if (declared == Tensor.class || declared.isRecord()) return true;
    if (declared.isArray()) return mayHoldLeaves(declared.getComponentType());
    return dynamic(declared);
  }

  /** A declared type whose values are looked at by their class: it may hold a record. */
  static boolean dynamic(Class<?> declared) {
    // Records extend Record directly, so only these declared types can hold one.
    return declared == Object.class || declared == Record.class || declared.isInterface();
  }

  private static boolean jdk(Class<?> c) {
    String n = c.getName();
    return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.")
        || n.startsWith("sun.");
  }

  /** A class that is not a record but keeps tensors in fields would silently not be trained. */
  static void checkNoTensorFields(Class<?> c, String where) {
    for (Class<?> k = c; k != null && !jdk(k); k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) continue;
        Class<?> t = f.getType();
        while (t.isArray()) t = t.getComponentType();
        if (t == Tensor.class || t.isRecord() && mayHoldLeaves(t)) {
          throw new IllegalArgumentException("ModelTree: " + where + " is a " + c.getName()
              + ", a class that keeps tensors in its field '" + f.getName() + "' but is not a "
              + "record; ModelTree sees only records' components, so its tensors would be "
              + "neither trained nor saved: make " + c.getSimpleName() + " a record");
        }
      }
    }
  }

  /** A collection, map, Optional or stream of tensors or records is refused. */
  static void checkNotContainer(Class<?> raw, Type generic, String where) {
    boolean container = Iterable.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)
        || Optional.class.isAssignableFrom(raw) || BaseStream.class.isAssignableFrom(raw)
        || Iterator.class.isAssignableFrom(raw);
    if (container && mentionsLeaves(generic)) {
      throw new IllegalArgumentException("ModelTree: " + where + " has type "
          + generic.getTypeName() + ", which ModelTree does not walk into: its tensors would be "
          + "neither trained nor saved; declare it as an array (" + arrayHint(generic) + ")");
    }
  }

  private static String arrayHint(Type generic) {
    if (generic instanceof ParameterizedType) {
      Type[] args = ((ParameterizedType) generic).getActualTypeArguments();
      Type last = args[args.length - 1];
      String n = last instanceof Class ? ((Class<?>) last).getSimpleName() : last.getTypeName();
      return n + "[]";
    }
    return "Tensor[] or a record array";
  }

  private static boolean mentionsLeaves(Type t) {
    if (t instanceof Class) {
      Class<?> c = (Class<?>) t;
      return c == Tensor.class || c.isRecord() || c.isArray() && mentionsLeaves(c.getComponentType());
    }
    if (t instanceof ParameterizedType) {
      for (Type a : ((ParameterizedType) t).getActualTypeArguments()) {
        if (mentionsLeaves(a)) return true;
      }
      return false;
    }
    if (t instanceof GenericArrayType) return mentionsLeaves(((GenericArrayType) t).getGenericComponentType());
    if (t instanceof WildcardType) {
      for (Type b : ((WildcardType) t).getUpperBounds()) if (mentionsLeaves(b)) return true;
      return false;
    }
    if (t instanceof TypeVariable) {
      for (Type b : ((TypeVariable<?>) t).getBounds()) if (mentionsLeaves(b)) return true;
      return false;
    }
    return false;
  }

  // ---------------------------------------------------------------- walking

  /** Collects leaves; names only when asked (never on an optimizer's step). */
  static final class Sink {
    final List<Tensor> tensors = new ArrayList<>();
    final List<Boolean> buffers = new ArrayList<>();
    final List<String> names;

    Sink(boolean withNames) {
      names = withNames ? new ArrayList<>() : null;
    }

    void add(Tensor t, String path, boolean buffer) {
      tensors.add(t);
      buffers.add(buffer);
      if (names != null) names.add(path);
    }

    String child(String path, String name) {
      if (names == null) return null;
      return path.isEmpty() ? name : path + "." + name;
    }
  }

  /**
   * Hands out replacement leaves in order (the caller has checked their number). A tensor given
   * for a leaf of a null record is reported by its index, which {@link ModelTree} names.
   */
  static final class Source {
    final Tensor[] tensors;
    int position;
    int misplaced = -1;

    Source(Tensor[] tensors) {
      this.tensors = tensors;
    }

    Tensor next() {
      return tensors[position++];
    }
  }

  /** A component's declared type: a fixed plan, or the value's class decides. */
  static final class Slot {
    final Class<?> declared;
    final boolean isDynamic;
    private TreeNode node;

    Slot(Class<?> declared) {
      this.declared = declared;
      this.isDynamic = declared != Tensor.class && !declared.isRecord() && !declared.isArray()
          && dynamic(declared);
    }

    /** The plan of the declared type, looked up once (a benign race). */
    private TreeNode fixed() {
      TreeNode n = node;
      if (n == null) node = n = of(declared);
      return n;
    }

    void flatten(Object value, String path, boolean buffer, Sink sink) {
      if (value == null) {
        if (!isDynamic) fixed().flattenNull(path, buffer, sink);
      } else {
        (isDynamic ? of(value.getClass()) : fixed()).flatten(value, path, buffer, sink);
      }
    }

    Object rebuild(Object template, Source src) {
      if (template == null) {
        if (!isDynamic) fixed().rebuildNull(src);
        return null;
      }
      return (isDynamic ? of(template.getClass()) : fixed()).rebuild(template, src);
    }
  }

  static final class TensorNode extends TreeNode {
    @Override
    void flatten(Object value, String path, boolean buffer, Sink sink) {
      sink.add((Tensor) value, path, buffer);
    }

    @Override
    void flattenNull(String path, boolean buffer, Sink sink) {
      sink.add(null, path, buffer);
    }

    @Override
    Object rebuild(Object template, Source src) {
      return src.next();
    }

    @Override
    void rebuildNull(Source src) {
      int at = src.position;
      if (src.next() != null && src.misplaced < 0) src.misplaced = at;
    }
  }

  static final class CarriedNode extends TreeNode {
    @Override
    void flatten(Object value, String path, boolean buffer, Sink sink) {}

    @Override
    Object rebuild(Object template, Source src) {
      return template;
    }
  }

  /** An array of tensors, records or values that may be either: element by element. */
  static final class ArrayNode extends TreeNode {
    private final Slot element;

    ArrayNode(Class<?> arrayType) {
      this.element = new Slot(arrayType.getComponentType());
    }

    Class<?> elementType() {
      return element.declared;
    }

    @Override
    void flatten(Object value, String path, boolean buffer, Sink sink) {
      Object[] a = (Object[]) value;
      for (int i = 0; i < a.length; i++) {
        element.flatten(a[i], sink.names == null ? null : sink.child(path, Integer.toString(i)),
            buffer, sink);
      }
    }

    @Override
    Object rebuild(Object template, Source src) {
      Object[] a = ((Object[]) template).clone();
      for (int i = 0; i < a.length; i++) a[i] = element.rebuild(a[i], src);
      return a;
    }
  }

  /** Relative names and buffer flags of the leaves of a null record. */
  record NullLeaves(String[] names, boolean[] buffers) {}

  /** A record: one slot per component, read and rebuilt through method handles. */
  static final class RecordNode extends TreeNode {
    private final Class<?> type;
    private final String[] names;
    private final Slot[] slots;
    private final boolean[] buffers;
    private final MethodHandle[] getters;
    private final MethodHandle constructor;
    private NullLeaves nulls;

    RecordNode(Class<?> type) {
      this.type = type;
      RecordComponent[] rc = type.getRecordComponents();
      int n = rc.length;
      names = new String[n];
      slots = new Slot[n];
      buffers = new boolean[n];
      getters = new MethodHandle[n];
      Class<?>[] types = new Class<?>[n];
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      try {
        for (int i = 0; i < n; i++) {
          RecordComponent c = rc[i];
          String where = type.getSimpleName() + "." + c.getName();
          types[i] = c.getType();
          Named named = c.getAnnotation(Named.class);
          names[i] = named != null ? checkName(named.value(), where) : c.getName();
          buffers[i] = c.isAnnotationPresent(Buffer.class);
          checkNotContainer(c.getType(), c.getGenericType(), where);
          Class<?> base = c.getType();
          while (base.isArray()) base = base.getComponentType();
          if (!base.isPrimitive() && base != Tensor.class && !base.isRecord() && !dynamic(base)) {
            checkNoTensorFields(base, where);
          }
          slots[i] = new Slot(c.getType());
          Method accessor = c.getAccessor();
          accessor.setAccessible(true);
          getters[i] = lookup.unreflect(accessor)
              .asType(MethodType.methodType(Object.class, Object.class));
        }
        Constructor<?> k = type.getDeclaredConstructor(types);
        k.setAccessible(true);
        constructor = lookup.unreflectConstructor(k).asSpreader(Object[].class, n)
            .asType(MethodType.methodType(Object.class, Object[].class));
      } catch (ReflectiveOperationException | RuntimeException e) {
        if (e instanceof IllegalArgumentException) throw (IllegalArgumentException) e;
        throw new IllegalArgumentException("ModelTree: cannot read the components of record "
            + type.getName() + " (" + e + "); if it is in a named module, open its package to "
            + "dev.adjoint.runtime", e);
      }
    }

    private static String checkName(String name, String where) {
      if (name.isEmpty() || name.contains(".")) {
        throw new IllegalArgumentException("ModelTree: @Named(\"" + name + "\") on " + where
            + " must be a non-empty name without dots");
      }
      return name;
    }

    /** No component can hold a tensor: the record is carried as a whole. */
    boolean holdsNothing() {
      for (Slot s : slots) if (mayHoldLeaves(s.declared)) return false;
      return true;
    }

    List<Class<?>> declaredTypes() {
      List<Class<?>> out = new ArrayList<>();
      for (Slot s : slots) {
        if (s.declared.isRecord() || s.declared.isArray()) out.add(s.declared);
      }
      return out;
    }

    private Object get(int i, Object record) {
      try {
        return (Object) getters[i].invokeExact(record);
      } catch (Throwable t) {
        throw new IllegalStateException("ModelTree: reading " + type.getSimpleName() + "."
            + names[i] + " threw " + t, t);
      }
    }

    @Override
    void flatten(Object value, String path, boolean buffer, Sink sink) {
      for (int i = 0; i < slots.length; i++) {
        slots[i].flatten(get(i, value), sink.child(path, names[i]), buffer || buffers[i], sink);
      }
    }

    @Override
    void flattenNull(String path, boolean buffer, Sink sink) {
      NullLeaves n = nulls();
      for (int k = 0; k < n.names.length; k++) {
        sink.add(null, sink.child(path, n.names[k]), buffer || n.buffers[k]);
      }
    }

    /**
     * The leaves a null value of this record stands for: its tensor components and those of
     * its record components, recursively, but not through a record type already being expanded
     * (a recursive record's null child stands for nothing). Computed once.
     */
    private NullLeaves nulls() {
      NullLeaves n = nulls;
      if (n == null) nulls = n = expandNull(new HashSet<>());
      return n;
    }

    private NullLeaves expandNull(Set<Class<?>> expanding) {
      expanding.add(type);
      List<String> names = new ArrayList<>();
      List<Boolean> bufs = new ArrayList<>();
      for (int i = 0; i < slots.length; i++) {
        Slot sl = slots[i];
        if (sl.declared == Tensor.class) {
          names.add(this.names[i]);
          bufs.add(buffers[i]);
        } else if (sl.declared.isRecord() && !expanding.contains(sl.declared)
            && sl.fixed() instanceof RecordNode) {
          NullLeaves c = ((RecordNode) sl.fixed()).expandNull(expanding);
          for (int k = 0; k < c.names.length; k++) {
            names.add(this.names[i] + "." + c.names[k]);
            bufs.add(buffers[i] || c.buffers[k]);
          }
        }
      }
      expanding.remove(type);
      boolean[] b = new boolean[bufs.size()];
      for (int k = 0; k < b.length; k++) b[k] = bufs.get(k);
      return new NullLeaves(names.toArray(new String[0]), b);
    }

    @Override
    Object rebuild(Object template, Source src) {
      Object[] args = new Object[slots.length];
      for (int i = 0; i < slots.length; i++) args[i] = slots[i].rebuild(get(i, template), src);
      try {
        return (Object) constructor.invokeExact(args);
      } catch (RuntimeException | Error e) {
        throw new IllegalArgumentException("ModelTree: the constructor of " + type.getSimpleName()
            + " rejected the rebuilt components: " + e, e);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    @Override
    void rebuildNull(Source src) {
      for (int k = nulls().names.length; k > 0; k--) TENSOR.rebuildNull(src);
    }
  }
}
