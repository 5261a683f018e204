package dev.adjoint.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The type variables a generated method must declare: those of the user's method that appear in
 * its parameter or return types ({@code static <K> double f(double x, K tag)} gives
 * {@code <K> ... fGrad(double x, K tag)}), with their bounds.
 */
final class TypeVariables {
  private TypeVariables() {}

  static List<TypeVariableName> of(Function f) {
    Map<String, TypeVariableName> found = new LinkedHashMap<>();
    for (Var p : f.params()) collect(p.type().typeName(), found);
    collect(f.returnType().typeName(), found);
    return new ArrayList<>(found.values());
  }

  private static void collect(TypeName t, Map<String, TypeVariableName> into) {
    if (t instanceof TypeVariableName) {
      TypeVariableName v = (TypeVariableName) t;
      if (into.putIfAbsent(v.name(), v) == null) {
        for (TypeName b : v.bounds()) collect(b, into);
      }
    } else if (t instanceof ArrayTypeName) {
      collect(((ArrayTypeName) t).componentType(), into);
    } else if (t instanceof ParameterizedTypeName) {
      for (TypeName a : ((ParameterizedTypeName) t).typeArguments()) collect(a, into);
    } else if (t instanceof WildcardTypeName) {
      for (TypeName b : ((WildcardTypeName) t).upperBounds()) collect(b, into);
      for (TypeName b : ((WildcardTypeName) t).lowerBounds()) collect(b, into);
    }
  }
}
