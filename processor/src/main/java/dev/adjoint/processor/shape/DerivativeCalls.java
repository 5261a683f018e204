package dev.adjoint.processor.shape;

import com.palantir.javapoet.ClassName;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import dev.adjoint.processor.read.TypeResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * Calls to derivatives this compilation generates ({@code XDerivatives.fGrad(...)} inside a
 * {@code @Differentiable} method): a gradient, a VJP and a Hessian-vector product have the
 * shapes of the parameters they are taken with respect to.
 */
final class DerivativeCalls {
  private final Declarations declarations;
  private final TypeResolver types;

  DerivativeCalls(Declarations declarations, TypeResolver types) {
    this.declarations = declarations;
    this.types = types;
  }

  /** What the call gives, or null when it is not a gradient-shaped derivative we can place. */
  Value call(MethodRef m, List<Value> args) {
    if (!(m.owner() instanceof ClassName)) return null;
    TypeElement base = declarations.baseOf((ClassName) m.owner());
    if (base == null) return null;
    for (String kind : List.of("Grad", "Vjp", "Hvp")) {
      String name = m.name();
      if (!name.endsWith(kind) || name.endsWith("ValueAndGrad") || name.length() == kind.length()) {
        continue;
      }
      String primal = name.substring(0, name.length() - kind.length());
      for (ExecutableElement e : ElementFilter.methodsIn(base.getEnclosedElements())) {
        if (!e.getSimpleName().contentEquals(primal)) continue;
        List<Integer> wrt = wrt(e);
        int arity = e.getParameters().size() + (isStatic(e) ? 0 : 1);
        int extra = kind.equals("Grad") ? 0 : kind.equals("Vjp") ? 1 : wrt.size();
        if (wrt.isEmpty() || args.size() != arity + extra) continue;
        if (wrt.size() == 1) return args.get(wrt.get(0));
        Map<String, Value> components = new LinkedHashMap<>();
        for (int pos : wrt) {
          String n = !isStatic(e) && pos == 0 ? "self"
              : e.getParameters().get(isStatic(e) ? pos : pos - 1).getSimpleName().toString();
          components.put(n, args.get(pos));
        }
        return new Value.Record(components);
      }
    }
    return null;
  }

  private static boolean isStatic(ExecutableElement e) {
    return e.getModifiers().contains(Modifier.STATIC);
  }

  /** The argument positions (receiver first) the derivatives are taken with respect to. */
  private List<Integer> wrt(ExecutableElement e) {
    List<String> named = new ArrayList<>();
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (!((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals("dev.adjoint.Differentiable")) {
        continue;
      }
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v
          : a.getElementValues().entrySet()) {
        if (v.getKey().getSimpleName().contentEquals("wrt")) {
          for (Object o : (List<?>) v.getValue().getValue()) {
            named.add((String) ((AnnotationValue) o).getValue());
          }
        }
      }
    }
    List<Integer> out = new ArrayList<>();
    int shift = isStatic(e) ? 0 : 1;
    if (shift == 1) {
      IrType self = types.of(e.getEnclosingElement().asType());
      if ((named.isEmpty() || named.contains("this")) && self.isDifferentiable()) out.add(0);
    }
    for (int i = 0; i < e.getParameters().size(); i++) {
      VariableElement p = e.getParameters().get(i);
      boolean excluded = p.getAnnotationMirrors().stream().anyMatch(a -> ((TypeElement) a
          .getAnnotationType().asElement()).getQualifiedName()
          .contentEquals("dev.adjoint.NoDerivative"));
      boolean in = named.isEmpty() || named.contains(p.getSimpleName().toString());
      if (in && !excluded && types.of(p.asType()).isDifferentiable()) out.add(i + shift);
    }
    return out;
  }
}
