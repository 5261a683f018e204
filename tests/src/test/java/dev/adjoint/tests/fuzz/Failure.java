package dev.adjoint.tests.fuzz;

/**
 * What went wrong with one program: its class, where (a variant, a method and the check), and
 * the details (expected against got, javac's messages, a stack trace).
 */
record Failure(Kind kind, Variant variant, String where, String detail) {
  /** Classes of failures, from worst to least bad. */
  enum Kind {
    /** A derivative disagrees with its independent check. */
    WRONG_DERIVATIVE,
    /** The generated derivatives class does not compile. */
    UNCOMPILABLE,
    /** The processor threw, or reported an internal error. */
    CRASH,
    /** Generated code threw where the program itself does not. */
    RUNTIME_EXCEPTION,
    /** A generated derivative did not finish in time. */
    TIMEOUT,
    /** The processor refused a construct the generator takes to be supported. */
    REFUSED,
    /** The program itself is not valid Java, or its primal throws: a bug of the generator. */
    INVALID_PROGRAM
  }

  /**
   * What must stay the same while a failing program is minimized: the class, the variant, the
   * check, and for compile failures the first message with names and numbers taken out.
   */
  String signature() {
    String d = switch (kind) {
      case UNCOMPILABLE, REFUSED, CRASH, INVALID_PROGRAM -> normalize(firstLine(detail));
      case RUNTIME_EXCEPTION -> firstLine(detail).replaceAll(":.*", "");
      default -> "";
    };
    return kind + "/" + variant + "/" + where + "/" + d;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Drops the location prefix, identifiers with digits, numbers and quoted text. */
  static String normalize(String message) {
    String m = message.replaceFirst("^[^ ]*:\\d+: ", "");
    m = m.replaceAll("\"[^\"]*\"", "\"\"");
    m = m.replaceAll("\\b[A-Za-z_$][\\w$]*\\d[\\w$]*\\b", "N");
    m = m.replaceAll("\\d+(\\.\\d+)?", "0");
    return m.length() > 120 ? m.substring(0, 120) : m;
  }

  @Override
  public String toString() {
    return kind + " [" + variant + " " + where + "] " + detail;
  }
}
