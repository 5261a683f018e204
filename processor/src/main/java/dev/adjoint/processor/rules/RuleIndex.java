package dev.adjoint.processor.rules;

import dev.adjoint.processor.check.Message;
import dev.adjoint.processor.check.Reporter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Every {@code @Jvp}/{@code @Vjp} rule the processor knows: those declared in this compilation,
 * those of the runtime (found by class name, from its jar), and those declared next to a called
 * method in its own class. Each rule is checked against the method it names when first indexed.
 */
public final class RuleIndex {
  /** Classes of the runtime that declare rules for other classes ({@code in = ...}). */
  private static final List<String> RUNTIME_RULE_CLASSES =
      List.of("dev.adjoint.ad.MathRules", "dev.adjoint.tensor.TensorRules",
          "dev.adjoint.ad.TensorAdjoints");
  private static final String JVP = "dev.adjoint.Jvp";
  private static final String VJP = "dev.adjoint.Vjp";

  /** One checked rule: {@code method} gives the derivative of argument {@code position}. */
  public record Rule(ExecutableElement method, ExecutableElement target, boolean forward,
      int position) {}

  private final Elements elements;
  private final Types types;
  private final Reporter reporter;
  private final Map<ExecutableElement, List<Rule>> byTarget = new HashMap<>();
  private final Set<TypeElement> scanned = new HashSet<>();

  public RuleIndex(Elements elements, Types types, Reporter reporter) {
    this.elements = elements;
    this.types = types;
    this.reporter = reporter;
    for (String name : RUNTIME_RULE_CLASSES) {
      TypeElement t = elements.getTypeElement(name);
      if (t != null) scan(t);
    }
  }

  /** Indexes the rules declared by {@code type} (once). */
  public void scan(TypeElement type) {
    if (!scanned.add(type)) return;
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      for (AnnotationMirror a : m.getAnnotationMirrors()) {
        String name = ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
            .toString();
        if (name.equals(JVP) || name.equals(VJP)) index(m, a, name.equals(JVP));
      }
    }
  }

  /** The rules of {@code target}, by argument position (receiver first); empty if none. */
  public List<Rule> rulesOf(ExecutableElement target) {
    scan((TypeElement) target.getEnclosingElement());
    return byTarget.getOrDefault(target, List.of());
  }

  public static boolean isRule(ExecutableElement m) {
    for (AnnotationMirror a : m.getAnnotationMirrors()) {
      String name = ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .toString();
      if (name.equals(JVP) || name.equals(VJP)) return true;
    }
    return false;
  }

  private void index(ExecutableElement rule, AnnotationMirror a, boolean forward) {
    String kind = forward ? "@Jvp" : "@Vjp";
    String of = null;
    String wrt = null;
    List<TypeElement> in = new ArrayList<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(a).entrySet()) {
      String key = e.getKey().getSimpleName().toString();
      Object value = e.getValue().getValue();
      if (key.equals("of")) of = (String) value;
      if (key.equals("wrt")) wrt = (String) value;
      if (key.equals("in")) {
        for (Object v : (List<?>) value) {
          TypeMirror t = (TypeMirror) ((AnnotationValue) v).getValue();
          in.add((TypeElement) ((DeclaredType) t).asElement());
        }
      }
    }
    if (in.isEmpty()) in.add((TypeElement) rule.getEnclosingElement());
    for (TypeElement owner : in) {
      ExecutableElement target = match(rule, owner, of);
      if (target == null) {
        reporter.error(rule, Message.RULE_TARGET, kind, rule.getSimpleName(), of,
            owner.getQualifiedName());
        continue;
      }
      int arity = arity(target);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < arity; i++) names.add(rule.getParameters().get(i).getSimpleName().toString());
      int position = names.indexOf(wrt);
      if (position < 0) {
        reporter.error(rule, Message.RULE_WRT, kind, rule.getSimpleName(), wrt, arity,
            String.join(", ", names));
        continue;
      }
      if (!checkSignature(rule, target, position, forward, kind)) continue;
      byTarget.computeIfAbsent(target, t -> new ArrayList<>())
          .add(new Rule(rule, target, forward, position));
    }
  }

  private static int arity(ExecutableElement target) {
    return target.getParameters().size()
        + (target.getModifiers().contains(Modifier.STATIC) ? 0 : 1);
  }

  private List<TypeMirror> targetTypes(ExecutableElement target) {
    List<TypeMirror> out = new ArrayList<>();
    if (!target.getModifiers().contains(Modifier.STATIC)) {
      out.add(target.getEnclosingElement().asType());
    }
    for (VariableElement p : target.getParameters()) out.add(p.asType());
    return out;
  }

  /** The method of {@code owner} named {@code of} whose parameters start the rule's. */
  private ExecutableElement match(ExecutableElement rule, TypeElement owner, String of) {
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(owner))) {
      if (!m.getSimpleName().contentEquals(of)) continue;
      List<TypeMirror> params = targetTypes(m);
      if (rule.getParameters().size() != params.size() + 2) continue;
      boolean same = true;
      for (int i = 0; i < params.size() && same; i++) {
        same = types.isSameType(types.erasure(params.get(i)),
            types.erasure(rule.getParameters().get(i).asType()));
      }
      if (same) return m;
    }
    return null;
  }

  private boolean checkSignature(ExecutableElement rule, ExecutableElement target, int position,
      boolean forward, String kind) {
    List<TypeMirror> params = targetTypes(target);
    TypeMirror result = target.getReturnType();
    TypeMirror arg = params.get(position);
    TypeMirror last = forward ? arg : result;
    TypeMirror returns = forward ? result : arg;
    List<? extends VariableElement> rp = rule.getParameters();
    boolean ok = types.isSameType(rp.get(params.size()).asType(), result)
        && types.isSameType(rp.get(params.size() + 1).asType(), last)
        && types.isSameType(rule.getReturnType(), returns)
        && rule.getModifiers().contains(Modifier.STATIC);
    if (!ok) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        expected.add(params.get(i) + " " + rp.get(i).getSimpleName());
      }
      expected.add(result + " out");
      expected.add(last + (forward ? " tangent" : " cotangent"));
      reporter.error(rule, Message.RULE_SIGNATURE, rule.getSimpleName(),
          target.getEnclosingElement().getSimpleName() + "." + target.getSimpleName(),
          String.join(", ", expected), "static " + returns);
    }
    return ok;
  }
}
