package dev.adjoint.processor;

import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import javax.annotation.processing.ProcessingEnvironment;

/**
 * Finds javac's own {@link ProcessingEnvironment} behind the wrappers build tools put around it
 * (Gradle's incremental processing wraps it in a class with a delegate field; IntelliJ passes a
 * {@link Proxy}), so that the Trees API can read method bodies. Reflection is confined to this
 * one seam, and only follows fields of type {@code ProcessingEnvironment}.
 */
final class JavacEnvironment {
  private static final int MAX_DEPTH = 4;

  private JavacEnvironment() {}

  /** javac's Trees for {@code env}, or null when no javac environment is behind it. */
  static Trees trees(ProcessingEnvironment env) {
    ProcessingEnvironment current = env;
    for (int depth = 0; current != null && depth <= MAX_DEPTH; depth++) {
      try {
        return Trees.instance(current);
      } catch (IllegalArgumentException notJavac) {
        current = delegate(current);
      }
    }
    return null;
  }

  private static ProcessingEnvironment delegate(ProcessingEnvironment env) {
    Object holder = Proxy.isProxyClass(env.getClass()) ? Proxy.getInvocationHandler(env) : env;
    for (Class<?> c = holder.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!ProcessingEnvironment.class.isAssignableFrom(f.getType())) continue;
        try {
          f.setAccessible(true);
          Object value = f.get(holder);
          if (value != null && value != env) return (ProcessingEnvironment) value;
        } catch (ReflectiveOperationException | RuntimeException e) {
          // inaccessible (a module boundary): try the next field
        }
      }
    }
    return null;
  }
}
