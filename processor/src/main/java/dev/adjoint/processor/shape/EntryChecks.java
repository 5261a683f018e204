package dev.adjoint.processor.shape;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements a generated derivative starts with: its arguments checked against the
 * shapes its method declares ({@code dev.adjoint.ad.ShapeChecks}, which allocates nothing
 * unless it throws). A name is bound by its first argument that is not null and checked
 * against the others; a record's names are bound per record argument; tangents are checked
 * like the parameters they go with, and a cotangent like the declared result.
 */
final class EntryChecks {
  private static final ClassName CHECKS = ClassName.get("dev.adjoint.ad", "ShapeChecks");
  /** The derivatives whose first parameters are the method's own (not residuals). */
  private static final java.util.regex.Pattern PRIMAL_FIRST =
      java.util.regex.Pattern.compile("Grad|ValueAndGrad|Hvp|(Jvp|Vjp)(Jvp)*");

  /** One tensor to check: how to reach it, its name in messages, where its names live. */
  private record Target(String expr, List<String> guards, String label, Pattern pattern,
      String scope) {}

  private final Declarations declarations;
  private final List<Target> targets = new ArrayList<>();

  private EntryChecks(Declarations declarations) {
    this.declarations = declarations;
  }

  /**
   * The checks for {@code emitted}, a derivative of {@code user} (the user's method as read),
   * or null when nothing is declared. {@code kind} is what follows the primal parameters:
   * tangents ("Jvp", "Hvp"), a cotangent ("Vjp"), or nothing.
   */
  static CodeBlock of(Declarations declarations, Declarations.MethodDecl d, Function user,
      Function emitted, String kind) {
    if (!d.declaresAny() || !PRIMAL_FIRST.matcher(kind).matches()) return null;
    int n = user.params().size();
    if (emitted.params().size() < n || d.params().size() != n) return null;
    for (int i = 0; i < n; i++) {
      Var e = emitted.params().get(i);
      Var u = user.params().get(i);
      if (!e.type().equals(u.type()) || !e.name().equals(u.name())) return null;
    }
    EntryChecks c = new EntryChecks(declarations);
    List<String> scopes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Var p = emitted.params().get(i);
      boolean receiver = d.instance() && i == 0;
      String label = receiver ? p.name() : d.names().get(i);
      String scope = receiver || !p.type().isRecord() ? "" : label;
      scopes.add(scope);
      c.collect(p.name(), List.of(), label, p.type(), d.params().get(i), scope);
    }
    List<Var> extra = emitted.params().subList(n, emitted.params().size());
    if ((kind.equals("Jvp") || kind.equals("Hvp")) && extra.size() == user.wrt().size()) {
      for (int k = 0; k < extra.size(); k++) {
        int w = user.wrt().get(k);
        Var t = extra.get(k);
        String of = d.instance() && w == 0 ? "the receiver" : d.names().get(w);
        c.collect(t.name(), List.of(), t.name() + " (the tangent of " + of + ")", t.type(),
            d.params().get(w), scopes.get(w));
      }
    } else if (kind.equals("Vjp") && extra.size() == 1 && d.result() != null
        && extra.get(0).type().isTensor()) {
      Var t = extra.get(0);
      c.targets.add(new Target(t.name(), List.of(), t.name() + " (the cotangent of the result)",
          d.result(), ""));
    }
    return c.targets.isEmpty() ? null : c.emit(emitted.name(), user.sourceFile());
  }

  private void collect(String expr, List<String> guards, String label, IrType type, Decl decl,
      String scope) {
    if (decl instanceof Decl.Tensor) {
      targets.add(new Target(expr, guards, label, ((Decl.Tensor) decl).pattern(), scope));
      return;
    }
    if (!type.isRecord() || guards.size() > 6) return;
    Decl found = decl instanceof Decl.Record ? decl : declarations.ofType(type);
    if (!(found instanceof Decl.Record) || !((Decl.Record) found).declaresAny()) return;
    List<String> g = new ArrayList<>(guards);
    g.add(expr + " != null");
    for (IrType.Component c : type.components()) {
      Decl cd = ((Decl.Record) found).components().getOrDefault(c.name(), Decl.NONE);
      // a nested record's names are its own; the receiver's tensors share the method's
      String innerScope = !c.type().isRecord() ? scope
          : scope.isEmpty() ? c.name() : scope + "." + c.name();
      collect(expr + "." + c.name() + "()", g, label + "." + c.name(), c.type(), cd,
          innerScope);
    }
  }

  private static String var(String scope, String name) {
    return "shape$" + (scope.isEmpty() ? "" : scope.replace('.', '$') + "$") + name;
  }

  /** Statements under their guards; runs of one guard share one {@code if}. */
  private static final class Out {
    final CodeBlock.Builder b = CodeBlock.builder();
    List<String> open = List.of();

    void add(List<String> guards, CodeBlock statement) {
      if (!guards.equals(open)) {
        if (!open.isEmpty()) b.endControlFlow();
        if (!guards.isEmpty()) b.beginControlFlow("if ($L)", String.join(" && ", guards));
        open = guards;
      }
      b.addStatement(statement);
    }

    CodeBlock build() {
      if (!open.isEmpty()) b.endControlFlow();
      return b.build();
    }
  }

  private CodeBlock emit(String method, String file) {
    CodeBlock.Builder head = CodeBlock.builder();
    head.add("// the arguments' shapes, as declared with @Shape in $L\n", file);
    Out b = new Out();
    Map<String, String> vars = new LinkedHashMap<>();
    Set<String> bare = new HashSet<>();
    for (Target t : targets) {
      for (Pattern.Term term : t.pattern().dims()) {
        if (term instanceof Pattern.Name) {
          String n = ((Pattern.Name) term).name();
          vars.putIfAbsent(t.scope() + "#" + n, var(t.scope(), n));
          bare.add(t.scope() + "#" + n);
        }
      }
    }
    for (String v : new LinkedHashSet<>(vars.values())) head.addStatement("int $L = -1", v);
    for (Target t : targets) {
      Pattern p = t.pattern();
      int n = p.dims().size();
      String declared = p.text().trim();
      b.add(t.guards(), CodeBlock.of("$T.rank($L, $L, $L, $S, $S, $S)", CHECKS, t.expr(), n,
          p.ellipsis(), method, t.label(), declared));
      for (int i = 0; i < n; i++) {
        Pattern.Term term = p.dims().get(i);
        int dim = p.ellipsis() ? i - n : i;
        if (term instanceof Pattern.Name) {
          String name = ((Pattern.Name) term).name();
          String v = vars.get(t.scope() + "#" + name);
          b.add(t.guards(), CodeBlock.of("$L = $T.bind($L, $L, $L, $S, $S, $S, $S)", v, CHECKS,
              v, t.expr(), dim, method, t.label(), declared, name));
        } else if (term instanceof Pattern.Lit) {
          b.add(t.guards(), CodeBlock.of("$T.size($L, $L, $L, $S, $S, $S, $S)", CHECKS,
              t.expr(), dim, ((Pattern.Lit) term).value(), method, t.label(), declared,
              Binder.text(term)));
        }
      }
    }
    for (Target t : targets) {
      Pattern p = t.pattern();
      int n = p.dims().size();
      for (int i = 0; i < n; i++) {
        Pattern.Term term = p.dims().get(i);
        if (!(term instanceof Pattern.Op)) continue;
        Set<String> names = new LinkedHashSet<>();
        p.names(term, names);
        boolean all = true;
        List<String> bound = new ArrayList<>();
        for (String name : names) {
          all &= bare.contains(t.scope() + "#" + name);
          bound.add(var(t.scope(), name) + " >= 0");
        }
        if (!all) continue; // a name only ever in expressions: nothing binds it
        List<String> guards = new ArrayList<>(t.guards());
        guards.addAll(bound);
        b.add(guards, CodeBlock.of("$T.size($L, $L, $L, $S, $S, $S, $S)", CHECKS, t.expr(),
            p.ellipsis() ? i - n : i, java(term, t.scope()), method, t.label(),
            p.text().trim(), Binder.text(term)));
      }
    }
    return head.add(b.build()).build();
  }

  private static String java(Pattern.Term t, String scope) {
    if (t instanceof Pattern.Lit) return Long.toString(((Pattern.Lit) t).value());
    if (t instanceof Pattern.Name) return var(scope, ((Pattern.Name) t).name());
    Pattern.Op o = (Pattern.Op) t;
    return "(" + java(o.left(), scope) + " " + o.op() + " " + java(o.right(), scope) + ")";
  }
}
