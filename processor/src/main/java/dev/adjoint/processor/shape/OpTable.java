package dev.adjoint.processor.shape;

import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.MethodRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape rule of every operation the analysis knows, by owner, name and parameter kinds
 * ({@code dev.adjoint.tensor.Tensor.add(T)} for {@code add(Tensor)}, {@code add(D)} for
 * {@code add(double)}). Each family of operations registers its own rules, next to them.
 */
final class OpTable {
  static final String TENSOR = "dev.adjoint.tensor.Tensor";

  /** A shape rule: what the operation gives, reporting through {@link Op#fail}. */
  interface Rule {
    Value apply(Op op);
  }

  private final Map<String, Rule> rules = new HashMap<>();

  static OpTable standard() {
    OpTable t = new OpTable();
    ElementwiseRules.register(t);
    MatmulRules.register(t);
    ViewRules.register(t);
    ReductionRules.register(t);
    IndexingRules.register(t);
    ImageRules.register(t);
    CreationRules.register(t);
    NnRules.register(t);
    return t;
  }

  /** Registers {@code rule} for each signature, written {@code name(kinds)}, of {@code owner}. */
  void add(String owner, Rule rule, String... signatures) {
    for (String s : signatures) rules.put(owner + "." + s, rule);
  }

  void tensor(Rule rule, String... signatures) {
    add(TENSOR, rule, signatures);
  }

  /** Every signature with a rule, as {@code owner.name(kinds)}. */
  java.util.Set<String> signatures() {
    return java.util.Collections.unmodifiableSet(rules.keySet());
  }

  Rule find(MethodRef m) {
    return rules.get(m.owner().toString() + "." + signature(m.name(), m.paramTypes()));
  }

  static String signature(String name, List<IrType> params) {
    StringBuilder b = new StringBuilder(name).append('(');
    for (int i = 0; i < params.size(); i++) {
      if (i > 0) b.append(',');
      b.append(kind(params.get(i)));
    }
    return b.append(')').toString();
  }

  private static String kind(IrType t) {
    switch (t.kind()) {
      case TENSOR: return "T";
      case INT: case LONG: case SHORT: case BYTE: case CHAR: return "I";
      case DOUBLE: case FLOAT: return "D";
      case BOOLEAN: return "Z";
      case ARRAY: return "[" + kind(t.element());
      default: return "O";
    }
  }
}
