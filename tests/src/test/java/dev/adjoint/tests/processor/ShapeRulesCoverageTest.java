package dev.adjoint.tests.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.shape.ShapeStage;
import dev.adjoint.nn.Activations;
import dev.adjoint.nn.BatchNorm;
import dev.adjoint.nn.Conv2d;
import dev.adjoint.nn.Dropout;
import dev.adjoint.nn.Embedding;
import dev.adjoint.nn.LayerNorm;
import dev.adjoint.nn.Linear;
import dev.adjoint.nn.Losses;
import dev.adjoint.nn.MultiheadAttention;
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
      String key = signature(Tensor.class, m);
      if (!known.contains(key)) missing.add(key);
    }
    assertEquals(List.of(), missing);
  }

  /** Every layer's forward, and every loss and activation of dev.adjoint.nn, has one too. */
  @Test
  void everyLayerLossAndActivationHasAShapeRule() {
    Set<String> known = ShapeStage.knownOperations();
    List<String> missing = new ArrayList<>();
    for (Class<?> c : List.of(Linear.class, Conv2d.class, Embedding.class, LayerNorm.class,
        BatchNorm.class, Dropout.class, MultiheadAttention.class, Losses.class,
        Activations.class)) {
      boolean functions = c == Losses.class || c == Activations.class;
      for (Method m : c.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers()) || m.getReturnType() != Tensor.class) continue;
        if (functions ? !Modifier.isStatic(m.getModifiers()) : !m.getName().equals("forward")) {
          continue;
        }
        String key = signature(c, m);
        if (!known.contains(key)) missing.add(key);
      }
    }
    assertEquals(List.of(), missing);
  }

  private static String signature(Class<?> owner, Method m) {
    List<String> kinds = new ArrayList<>();
    for (Class<?> p : m.getParameterTypes()) kinds.add(kind(p));
    return owner.getName() + "." + m.getName() + "(" + String.join(",", kinds) + ")";
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
