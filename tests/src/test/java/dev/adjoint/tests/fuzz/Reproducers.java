package dev.adjoint.tests.fuzz;

/** Writes what a failure is, with the (minimized) program, as a reproducer to read. */
final class Reproducers {
  private Reproducers() {}

  static String describe(Fuzz.Found x) {
    StringBuilder b = new StringBuilder();
    Failure f = x.minimizedFailure() != null ? x.minimizedFailure() : x.failure();
    Program p = x.minimized() != null ? x.minimized() : x.program();
    b.append("// ").append(x.id()).append(": ").append(f.kind()).append(" in the ")
        .append(f.variant().name().toLowerCase()).append(" variant, ").append(f.where()).append('\n');
    b.append("// generator seed ").append(x.seed()).append(" (program ")
        .append(x.program().name()).append(")").append(x.minimized() != null
            ? ", minimized" : ", not minimized").append('\n');
    b.append("// entry ").append(p.entry()).append(", arguments ").append(args(p.args()))
        .append('\n');
    comment(b, "failure", f.detail());
    if (x.minimized() != null && x.minimizedFailure() != null) {
      comment(b, "before minimizing", x.failure().detail());
    }
    b.append(JavaPrinter.print(p, f.variant()));
    if (f.variant() == Variant.FLOAT) {
      b.append("\n// the double variant it is compared with:\n");
      b.append(JavaPrinter.print(p, Variant.DOUBLE));
    }
    return b.toString();
  }

  /** Argument specs, readably: arrays of values printed as values. */
  static String args(java.util.List<ArgSpec> specs) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (ArgSpec a : specs) {
      if (a instanceof ArgSpec.Real r) out.add(r.fixed() == null ? "real" : "" + r.fixed());
      else if (a instanceof ArgSpec.RealArray r) out.add(r.fixed() == null
          ? "real[" + r.length() + "]" : java.util.Arrays.toString(r.fixed()));
      else if (a instanceof ArgSpec.IntVal i) out.add("int " + i.value());
      else if (a instanceof ArgSpec.IntArray i) out.add("int[] " + java.util.Arrays.toString(i.values()));
      else if (a instanceof ArgSpec.Str s) out.add('"' + s.value() + '"');
      else if (a instanceof ArgSpec.Rec r) out.add(r.type() + args(r.components()));
      else if (a instanceof ArgSpec.Tens t) out.add("Tensor" + java.util.Arrays.toString(t.shape())
          + (t.fixed() == null ? "" : " (fixed)"));
      else out.add(a.toString());
    }
    return "(" + String.join(", ", out) + ")";
  }

  private static void comment(StringBuilder b, String title, String text) {
    b.append("// ").append(title).append(":\n");
    for (String line : text.split("\n")) b.append("//   ").append(line).append('\n');
  }
}
