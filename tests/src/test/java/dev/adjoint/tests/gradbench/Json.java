package dev.adjoint.tests.gradbench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON that GradBench's protocol needs, read and written: objects as {@code Map}, arrays as
 * {@code List}, numbers as {@code Double} (or {@code Long} when written without a fraction or
 * exponent), strings, booleans and null. One message is one line; inputs reach tens of
 * megabytes, so the reader walks the characters once and builds no intermediate strings for
 * numbers it can parse in place.
 */
final class Json {
  private final String s;
  private int at;

  private Json(String s) {
    this.s = s;
  }

  static Object parse(String text) {
    Json j = new Json(text);
    j.space();
    Object v = j.value();
    j.space();
    if (j.at != text.length()) throw j.error("trailing characters");
    return v;
  }

  private Object value() {
    if (at >= s.length()) throw error("unexpected end");
    char c = s.charAt(at);
    switch (c) {
      case '{': return object();
      case '[': return array();
      case '"': return string();
      case 't': return literal("true", Boolean.TRUE);
      case 'f': return literal("false", Boolean.FALSE);
      case 'n': return literal("null", null);
      default: return number();
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    at++;
    space();
    if (peek() == '}') {
      at++;
      return m;
    }
    while (true) {
      space();
      String key = string();
      space();
      expect(':');
      space();
      m.put(key, value());
      space();
      if (peek() == ',') {
        at++;
        continue;
      }
      expect('}');
      return m;
    }
  }

  private List<Object> array() {
    List<Object> l = new ArrayList<>();
    at++;
    space();
    if (peek() == ']') {
      at++;
      return l;
    }
    while (true) {
      space();
      l.add(value());
      space();
      if (peek() == ',') {
        at++;
        continue;
      }
      expect(']');
      return l;
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      if (at >= s.length()) throw error("unterminated string");
      char c = s.charAt(at++);
      if (c == '"') return b.toString();
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(at++);
      switch (e) {
        case 'n': b.append('\n'); break;
        case 't': b.append('\t'); break;
        case 'r': b.append('\r'); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'u':
          b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
          at += 4;
          break;
        default: b.append(e);
      }
    }
  }

  private Object number() {
    int start = at;
    boolean integral = true;
    while (at < s.length()) {
      char c = s.charAt(at);
      if (c >= '0' && c <= '9' || c == '-' || c == '+') {
        at++;
      } else if (c == '.' || c == 'e' || c == 'E') {
        integral = false;
        at++;
      } else {
        break;
      }
    }
    if (start == at) throw error("unexpected character '" + s.charAt(at) + "'");
    String t = s.substring(start, at);
    return integral && t.length() < 18 ? (Object) Long.parseLong(t) : Double.parseDouble(t);
  }

  private Object literal(String word, Object value) {
    if (!s.startsWith(word, at)) throw error("expected " + word);
    at += word.length();
    return value;
  }

  private char peek() {
    return at < s.length() ? s.charAt(at) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) throw error("expected '" + c + "'");
    at++;
  }

  private void space() {
    while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON: " + what + " at offset " + at);
  }

  // ---------------------------------------------------------------- writing

  static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(v, b);
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static void write(Object v, StringBuilder b) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String) {
      quote((String) v, b);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) b.append("null"); // JSON has no NaN
      else b.append(d);
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof double[]) {
      double[] a = (double[]) v;
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) b.append(',');
        write(a[i], b);
      }
      b.append(']');
    } else if (v instanceof Map) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
        if (!first) b.append(',');
        first = false;
        quote(e.getKey(), b);
        b.append(':');
        write(e.getValue(), b);
      }
      b.append('}');
    } else if (v instanceof List) {
      b.append('[');
      boolean first = true;
      for (Object o : (List<Object>) v) {
        if (!first) b.append(',');
        first = false;
        write(o, b);
      }
      b.append(']');
    } else if (v instanceof Object[]) {
      write(List.of((Object[]) v), b);
    } else {
      throw new IllegalArgumentException("not JSON: " + v.getClass());
    }
  }

  private static void quote(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
      }
    }
    b.append('"');
  }

  // ---------------------------------------------------------------- reading inputs

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v) {
    if (!(v instanceof Map)) throw new IllegalArgumentException("expected a JSON object");
    return (Map<String, Object>) v;
  }

  static double[] doubles(Object v) {
    List<?> l = (List<?>) v;
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).doubleValue();
    return out;
  }

  /** A list of rows, row after row in one array; {@code dims[0]} gets the row count. */
  static double[] rows(Object v, int[] dims) {
    List<?> l = (List<?>) v;
    int cols = l.isEmpty() ? 0 : ((List<?>) l.get(0)).size();
    dims[0] = l.size();
    dims[1] = cols;
    double[] out = new double[l.size() * cols];
    for (int i = 0; i < l.size(); i++) {
      List<?> row = (List<?>) l.get(i);
      for (int j = 0; j < cols; j++) out[i * cols + j] = ((Number) row.get(j)).doubleValue();
    }
    return out;
  }

  static List<double[]> asRows(double[] flat, int rows, int cols) {
    List<double[]> out = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      double[] r = new double[cols];
      System.arraycopy(flat, i * cols, r, 0, cols);
      out.add(r);
    }
    return out;
  }

  static int integer(Object v) {
    return ((Number) v).intValue();
  }
}
