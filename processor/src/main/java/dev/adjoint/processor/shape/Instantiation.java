package dev.adjoint.processor.shape;

import dev.adjoint.processor.ir.IrType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Binds declarations to values: the parameters of a method at its entry or at a call, the
 * components of a record being built, a record that a call returns. A tensor's declared shape
 * is matched in the scope at hand; a record's components in a scope of their own (one per
 * instance), except the receiver of an instance method, whose names are the method's.
 */
final class Instantiation {
  /** Records nested deeper than this (a record holding its own type) are not looked into. */
  private static final int MAX_DEPTH = 8;

  private final Declarations declarations;
  private final List<Binder> binders = new ArrayList<>();
  private final Map<Binder, List<Shape>> results = new LinkedHashMap<>();

  Instantiation(Declarations declarations) {
    this.declarations = declarations;
  }

  /** One value to bind: its label in messages, type, declaration and what is known of it. */
  record Item(String label, IrType type, Decl decl, Value actual, boolean sharesScope) {}

  /**
   * Binds the items in {@code scope} (records in their own scopes, rigid as {@code scope} is);
   * mismatches go to {@code sink}; returns the values, in order.
   */
  List<Value> bind(Scope scope, List<Item> items, Consumer<Binder.Mismatch> sink) {
    binders.clear();
    Binder main = new Binder(scope);
    binders.add(main);
    List<Supplier<Value>> built = new ArrayList<>();
    for (Item it : items) {
      built.add(collect(it.label(), it.type(), it.decl(), it.actual(), main, scope,
          it.sharesScope(), 0));
    }
    for (Binder b : binders) results.put(b, b.bind(sink));
    List<Value> out = new ArrayList<>();
    for (Supplier<Value> s : built) out.add(s.get());
    return out;
  }

  private Supplier<Value> collect(String label, IrType type, Decl decl, Value actual,
      Binder binder, Scope scope, boolean sharesScope, int depth) {
    if (decl instanceof Decl.Tensor) {
      int index = binder.add(label, ((Decl.Tensor) decl).pattern(), Value.shapeOf(actual));
      boolean isNull = actual instanceof Value.Tensor && ((Value.Tensor) actual).isNull();
      return () -> new Value.Tensor(results.get(binder).get(index), isNull);
    }
    if (type.isRecord() && depth < MAX_DEPTH) {
      Decl found = decl instanceof Decl.Record ? decl : declarations.ofType(type);
      Decl.Record rec = found instanceof Decl.Record ? (Decl.Record) found : null;
      Binder inner = binder;
      Scope innerScope = scope;
      if (!sharesScope) {
        // Rigid only for a record parameter whose type is in the sources compiled: a method
        // that takes a model says it works for every size the model's own declarations name,
        // not for every size of a layer it holds (a Linear inside is some Linear, whose sizes
        // the model fixes), nor of a library's record (a Linear parameter is some Linear).
        boolean rigid = scope.rigid && depth == 0 && declarations.inSource(type);
        innerScope = new Scope(label.isEmpty() ? null : label, rigid);
        inner = new Binder(innerScope);
        binders.add(inner);
      }
      Map<String, Supplier<Value>> comps = new LinkedHashMap<>();
      for (IrType.Component c : type.components()) {
        Value a = actual instanceof Value.Record ? ((Value.Record) actual).get(c.name())
            : Value.TOP;
        Decl d = rec == null ? Decl.NONE : rec.components().getOrDefault(c.name(), Decl.NONE);
        String l = label.isEmpty() ? c.name() : label + "." + c.name();
        comps.put(c.name(), collect(l, c.type(), d, a, inner, innerScope, false, depth + 1));
      }
      return () -> {
        Map<String, Value> m = new LinkedHashMap<>();
        for (Map.Entry<String, Supplier<Value>> e : comps.entrySet()) {
          m.put(e.getKey(), e.getValue().get());
        }
        return new Value.Record(m);
      };
    }
    if (actual == Value.TOP) {
      Value fresh = unknown(label, type);
      return () -> fresh;
    }
    return () -> actual;
  }

  /** What a value of {@code type} is when nothing is known: an int is a name of its own. */
  static Value unknown(String label, IrType type) {
    if (type.isTensor()) return Value.unknownTensor();
    if (type.isIntegral()) {
      int dot = label.lastIndexOf('.');
      return new Value.Int(Dim.of(new Sym(label.substring(dot + 1),
          dot < 0 ? null : label.substring(0, dot), false, false)), false);
    }
    if (type.kind() == IrType.Kind.BOOLEAN) return new Value.Bool(null, false);
    return Value.TOP;
  }
}
