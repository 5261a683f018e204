package dev.adjoint.tests.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.shape.ShapeStage;
import dev.adjoint.tensor.Tensor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every public operation of {@link Tensor} that gives a tensor or a size has a shape rule, so
 * that an operation added to the runtime without one shows up here (it would otherwise make
 * shapes unknown, silently).
 */
class ShapeRulesCoverageTest {
  @Test
  void everyTensorOperationHasAShapeRule() {
    Set<String> known = ShapeStage.knownOperations();
    List<String> missing = new ArrayList<>();
    for (Method m : Tensor.class.getDeclaredMethods()) {
      if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) continue;
      Class<?> r = m.getReturnType();
      boolean shaped = r == Tensor.class || m.getName().matches("shape|size|dim|numel");
      if (!shaped) continue;
      String key = signature(m);
      if (!known.contains(key)) missing.add(key);
    }
    assertEquals(List.of(), missing);
  }

  private static String signature(Method m) {
    List<String> kinds = new ArrayList<>();
    for (Class<?> p : m.getParameterTypes()) kinds.add(kind(p));
    return Tensor.class.getName() + "." + m.getName() + "(" + String.join(",", kinds) + ")";
  }

  private static String kind(Class<?> c) {
    if (c == Tensor.class) return "T";
    if (c == int.class || c == long.class || c == short.class || c == byte.class
        || c == char.class) {
      return "I";
    }
    if (c == double.class || c == float.class) return "D";
    if (c == boolean.class) return "Z";
    if (c.isArray()) return "[" + kind(c.getComponentType());
    return "O";
  }
}
