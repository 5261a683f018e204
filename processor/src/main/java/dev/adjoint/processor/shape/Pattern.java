package dev.adjoint.processor.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A declared shape, the value of one {@code @Shape}: its dimensions as written, and whether it
 * starts with {@code ...}. Parsed by {@link #parse}: integer literals, names, {@code _},
 * {@code ...} first, and {@code + - *} (with parentheses) of literals and names.
 */
record Pattern(String text, boolean ellipsis, List<Term> dims) {

  /** One dimension as written. */
  sealed interface Term permits Lit, Name, Any, Op {}

  record Lit(long value) implements Term {}

  record Name(String name) implements Term {}

  /** {@code _}: any size. */
  record Any() implements Term {}

  /** {@code left op right}, op one of {@code + - *}. */
  record Op(char op, Term left, Term right) implements Term {}

  /** A {@code @Shape} value that does not parse. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  /** The shape as the user wrote it, in parentheses: {@code (B, 784)}. */
  String display() {
    return "(" + text.trim() + ")";
  }

  /** The names the pattern mentions. */
  void names(Term t, Set<String> out) {
    if (t instanceof Name) out.add(((Name) t).name());
    if (t instanceof Op) {
      names(((Op) t).left(), out);
      names(((Op) t).right(), out);
    }
  }

  static Pattern parse(String text) throws SyntaxError {
    return new Parser(text).shape();
  }

  /** Recursive descent over the characters; whitespace is free. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Pattern shape() throws SyntaxError {
      List<Term> dims = new ArrayList<>();
      boolean ellipsis = false;
      skip();
      if (i == s.length()) return new Pattern(s, false, dims);
      while (true) {
        skip();
        if (s.startsWith("...", i)) {
          if (ellipsis || !dims.isEmpty()) {
            throw error("'...' may only come first");
          }
          i += 3;
          ellipsis = true;
        } else {
          dims.add(item());
        }
        skip();
        if (i == s.length()) break;
        if (s.charAt(i) != ',') throw error("expected ',' or the end");
        i++;
      }
      return new Pattern(s, ellipsis, dims);
    }

    private Term item() throws SyntaxError {
      skip();
      if (i < s.length() && s.charAt(i) == '_' && !isNamePart(peek(1))) {
        i++;
        return new Any();
      }
      return sum();
    }

    private Term sum() throws SyntaxError {
      Term t = product();
      while (true) {
        skip();
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          char op = s.charAt(i++);
          t = new Op(op, t, product());
        } else {
          return t;
        }
      }
    }

    private Term product() throws SyntaxError {
      Term t = factor();
      while (true) {
        skip();
        if (i < s.length() && s.charAt(i) == '*') {
          i++;
          t = new Op('*', t, factor());
        } else {
          return t;
        }
      }
    }

    private Term factor() throws SyntaxError {
      skip();
      if (i == s.length()) throw error("expected a dimension");
      char c = s.charAt(i);
      if (c == '(') {
        i++;
        Term t = sum();
        skip();
        if (i == s.length() || s.charAt(i) != ')') throw error("expected ')'");
        i++;
        return t;
      }
      if (Character.isDigit(c)) {
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        if (i < s.length() && isNamePart(s.charAt(i))) throw error("a name cannot start with a digit");
        try {
          return new Lit(Long.parseLong(s.substring(start, i)));
        } catch (NumberFormatException e) {
          throw error("size too large");
        }
      }
      if (Character.isJavaIdentifierStart(c) && c != '$') {
        int start = i;
        while (i < s.length() && isNamePart(s.charAt(i))) i++;
        String name = s.substring(start, i);
        if (name.equals("_")) throw error("'_' stands for a whole dimension, not part of one");
        return new Name(name);
      }
      throw error("unexpected '" + c + "'");
    }

    private static boolean isNamePart(char c) {
      return c != 0 && Character.isJavaIdentifierPart(c) && c != '$';
    }

    private char peek(int ahead) {
      return i + ahead < s.length() ? s.charAt(i + ahead) : 0;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private SyntaxError error(String what) {
      return new SyntaxError(what + " at position " + (i + 1));
    }
  }
}
