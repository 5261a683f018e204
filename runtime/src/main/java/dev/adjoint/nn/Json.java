package dev.adjoint.nn;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of safetensors headers: a strict reader (RFC 8259; duplicate keys refused, as the
 * format requires) to maps, lists, strings, {@link BigInteger} or {@link Double} numbers,
 * booleans and null, and a writer of strings. Errors carry the character offset.
 */
final class Json {
  private final String s;
  private int i;

  /** A malformed document, at character {@code offset}. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    final int offset;

    Malformed(String message, int offset) {
      super(message);
      this.offset = offset;
    }
  }

  private Json(String s) {
    this.s = s;
  }

  /** The value of a whole document (trailing whitespace allowed). */
  static Object parse(String text) throws Malformed {
    Json j = new Json(text);
    j.space();
    Object v = j.value();
    j.space();
    if (j.i != text.length()) throw j.error("unexpected '" + text.charAt(j.i) + "' after the end");
    return v;
  }

  private Malformed error(String message) {
    return new Malformed(message, i);
  }

  private void space() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      i++;
    }
  }

  private char peek() throws Malformed {
    if (i >= s.length()) throw error("unexpected end");
    return s.charAt(i);
  }

  private void expect(char c) throws Malformed {
    if (peek() != c) throw error("expected '" + c + "' but found '" + s.charAt(i) + "'");
    i++;
  }

  private Object value() throws Malformed {
    char c = peek();
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return word("true", Boolean.TRUE);
      case 'f':
        return word("false", Boolean.FALSE);
      case 'n':
        return word("null", null);
      default:
        if (c == '-' || c >= '0' && c <= '9') return number();
        throw error("unexpected '" + c + "'");
    }
  }

  private Object word(String w, Object v) throws Malformed {
    if (!s.startsWith(w, i)) throw error("unexpected '" + s.charAt(i) + "'");
    i += w.length();
    return v;
  }

  private Map<String, Object> object() throws Malformed {
    expect('{');
    Map<String, Object> m = new LinkedHashMap<>();
    space();
    if (peek() == '}') {
      i++;
      return m;
    }
    while (true) {
      space();
      int at = i;
      if (peek() != '"') throw error("expected a key string");
      String k = string();
      space();
      expect(':');
      space();
      Object v = value();
      if (m.containsKey(k)) throw new Malformed("duplicate key \"" + k + "\"", at);
      m.put(k, v);
      space();
      char c = peek();
      i++;
      if (c == '}') return m;
      if (c != ',') {
        i--;
        throw error("expected ',' or '}' but found '" + c + "'");
      }
    }
  }

  private List<Object> array() throws Malformed {
    expect('[');
    List<Object> a = new ArrayList<>();
    space();
    if (peek() == ']') {
      i++;
      return a;
    }
    while (true) {
      space();
      a.add(value());
      space();
      char c = peek();
      i++;
      if (c == ']') return a;
      if (c != ',') {
        i--;
        throw error("expected ',' or ']' but found '" + c + "'");
      }
    }
  }

  private String string() throws Malformed {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = peek();
      i++;
      if (c == '"') return b.toString();
      if (c < 0x20) {
        i--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = peek();
      i++;
      switch (e) {
        case '"': case '\\': case '/': b.append(e); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'n': b.append('\n'); break;
        case 'r': b.append('\r'); break;
        case 't': b.append('\t'); break;
        case 'u':
          if (i + 4 > s.length()) throw error("short \\u escape");
          try {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException x) {
            throw error("bad \\u escape");
          }
          i += 4;
          break;
        default:
          i--;
          throw error("bad escape '\\" + e + "'");
      }
    }
  }

  private Object number() throws Malformed {
    int start = i;
    if (s.charAt(i) == '-') i++;
    int digits = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
    if (i == digits) throw error("expected a digit");
    if (s.charAt(digits) == '0' && i - digits > 1) throw new Malformed("leading zero", digits);
    boolean integer = true;
    if (i < s.length() && s.charAt(i) == '.') {
      integer = false;
      i++;
      int f = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
      if (i == f) throw error("expected a digit after '.'");
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      integer = false;
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
      int f = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
      if (i == f) throw error("expected a digit in the exponent");
    }
    String t = s.substring(start, i);
    return integer ? new BigInteger(t) : (Object) Double.valueOf(t);
  }

  /** {@code text} as a JSON string literal (non-ASCII written as is, as serde_json does). */
  static String quote(String text) {
    StringBuilder b = new StringBuilder(text.length() + 2).append('"');
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        case '\b': b.append("\\b"); break;
        case '\f': b.append("\\f"); break;
        default:
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
