package dev.adjoint.data;

import dev.adjoint.tensor.Backends;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Numeric CSV files (gzip-compressed or not, recognised by content): one example per line,
 * fields separated by commas (or another delimiter), a class label in one column.
 *
 * <pre>{@code
 * Dataset digits = Csv.read(Path.of("digits.csv.gz"));   // label in the last column
 * Dataset d = Csv.reader().header(true).labelColumn(0).classes(10).read(path);
 * Tensor table = Csv.reader().noLabels().readTensor(path);
 * }</pre>
 *
 * <p>Features become a FLOAT32 {@code [rows, columns − 1]} tensor, labels an INT64
 * {@code [rows]} tensor of non-negative whole numbers (below {@code classes} when it is given).
 * Fields are decimal numbers ({@code 3}, {@code -0.5}, {@code 1e-3}; {@code nan} and
 * {@code inf} in any case), optionally in double quotes, with spaces around them; blank lines
 * are skipped. Anything else is an error naming the file, the line (and field) and the
 * problem: a row with a different number of fields than the first, a field that is not a
 * number, a label that is not a whole number or out of range, no rows at all, corrupt gzip
 * data. Nothing is returned from a malformed file.
 */
public final class Csv {
  private Csv() {}

  /** Features and labels, the label in the last column, no header line. */
  public static Dataset read(Path path) {
    return reader().read(path);
  }

  /** Features and labels, the label in {@code labelColumn} (negative: from the end). */
  public static Dataset read(Path path, int labelColumn) {
    return reader().labelColumn(labelColumn).read(path);
  }

  /** Settings for reading: header, delimiter, label column, number of classes. */
  public static Reader reader() {
    return new Reader();
  }

  /** How a CSV file is read; every setter returns this reader. */
  public static final class Reader {
    private char delimiter = ',';
    private boolean header;
    private int labelColumn = -1;
    private boolean labels = true;
    private int classes;
    private DType dtype = DType.FLOAT32;

    private Reader() {}

    /** The field separator (default ','). */
    public Reader delimiter(char delimiter) {
      this.delimiter = delimiter;
      return this;
    }

    /** Whether the first line names the columns and is skipped (default false). */
    public Reader header(boolean header) {
      this.header = header;
      return this;
    }

    /** The label's column, from 0; negative counts from the end (default -1, the last). */
    public Reader labelColumn(int column) {
      this.labelColumn = column;
      this.labels = true;
      return this;
    }

    /** No label column: for {@link #readTensor}. */
    public Reader noLabels() {
      this.labels = false;
      return this;
    }

    /** Labels must be below {@code classes} (0: any non-negative whole number). */
    public Reader classes(int classes) {
      if (classes < 0) throw new IllegalArgumentException("Csv: classes " + classes + " < 0");
      this.classes = classes;
      return this;
    }

    /** The features' dtype (default FLOAT32). */
    public Reader dtype(DType dtype) {
      if (!dtype.isFloating()) {
        throw new IllegalArgumentException("Csv: features are floating-point, not " + dtype);
      }
      this.dtype = dtype;
      return this;
    }

    /** Features and labels. */
    public Dataset read(Path path) {
      if (!labels) {
        throw new IllegalArgumentException("Csv: read(path) returns features and labels; "
            + "use readTensor(path) after noLabels()");
      }
      Table t = parse(path);
      return new Dataset(t.features(), t.labels());
    }

    /** Every column as one {@code [rows, columns]} tensor (after {@link #noLabels}). */
    public Tensor readTensor(Path path) {
      if (labels) {
        throw new IllegalArgumentException("Csv: readTensor(path) reads every column; call "
            + "noLabels() first, or read(path) for features and labels");
      }
      return parse(path).features();
    }

    private Table parse(Path path) {
      Table t = new Table(dtype);
      int line = 0;
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(DataFiles.open(path), StandardCharsets.UTF_8), 1 << 16)) {
        boolean skipHeader = header;
        int firstLine = 0;
        for (String s; (s = in.readLine()) != null; ) {
          line++;
          if (s.isBlank()) continue;
          if (skipHeader) {
            skipHeader = false;
            continue;
          }
          if (t.columns < 0) firstLine = line;
          row(path, line, firstLine, s, t);
        }
      } catch (IOException e) {
        throw DataFiles.corrupt(path, "after line " + line, e);
      }
      if (t.rows == 0) {
        throw new IllegalArgumentException(path + ": no data rows" + (header ? " after the "
            + "header" : "") + " (" + line + " lines)");
      }
      return t;
    }

    private void row(Path path, int line, int firstLine, String s, Table t) {
      String[] fields = split(s);
      if (t.columns < 0) {
        t.columns = fields.length;
        if (labels) {
          t.label = labelColumn < 0 ? fields.length + labelColumn : labelColumn;
          if (t.label < 0 || t.label >= fields.length) {
            throw new IllegalArgumentException(path + ":" + line + ": label column "
                + labelColumn + " does not exist in a row of " + fields.length + " fields");
          }
        }
      } else if (fields.length != t.columns) {
        throw new IllegalArgumentException(path + ":" + line + ": " + fields.length
            + " fields, but line " + firstLine + " has " + t.columns);
      }
      for (int f = 0; f < fields.length; f++) {
        double v = number(path, line, f, fields[f]);
        if (f == t.label) t.addLabel(label(path, line, f, fields[f], v));
        else t.addFeature(v);
      }
      t.rows++;
    }

    private String[] split(String s) {
      int n = 1;
      for (int i = 0; i < s.length(); i++) if (s.charAt(i) == delimiter) n++;
      String[] out = new String[n];
      int start = 0;
      for (int k = 0; k < n; k++) {
        int end = k == n - 1 ? s.length() : s.indexOf(delimiter, start);
        out[k] = s.substring(start, end);
        start = end + 1;
      }
      return out;
    }

    private long label(Path path, int line, int field, String text, double v) {
      String where = path + ":" + line + ", field " + (field + 1) + ": label '" + text.trim()
          + "'";
      if (v != Math.rint(v) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(where + " is not a whole number (class labels are "
            + "0, 1, 2, ...)");
      }
      if (v < 0) {
        throw new IllegalArgumentException(where + " is negative (class labels are 0, 1, 2, "
            + "...)");
      }
      if (classes > 0 && v >= classes) {
        throw new IllegalArgumentException(where + " is outside [0, " + classes + ") for "
            + classes + " classes");
      }
      return (long) v;
    }
  }

  /** A field as a number, strictly (no Java suffixes such as 1.5f, no hex). */
  static double number(Path path, int line, int field, String raw) {
    String s = raw.trim();
    if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
      s = s.substring(1, s.length() - 1).trim();
    }
    if (plainInteger(s)) return Long.parseLong(s);
    if (decimal(s)) return Double.parseDouble(s);
    String l = s.toLowerCase(Locale.ROOT);
    String body = l.startsWith("-") || l.startsWith("+") ? l.substring(1) : l;
    if (body.equals("nan")) return Double.NaN;
    if (body.equals("inf") || body.equals("infinity")) {
      return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    throw new IllegalArgumentException(path + ":" + line + ", field " + (field + 1) + ": "
        + (s.isEmpty() ? "empty field" : "'" + s + "' is not a number"));
  }

  private static boolean plainInteger(String s) {
    int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
    if (s.length() == i || s.length() - i > 18) return false;
    for (int k = i; k < s.length(); k++) if (!Character.isDigit(s.charAt(k))) return false;
    return true;
  }

  private static boolean decimal(String s) {
    int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
    int digits = 0;
    while (i < s.length() && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) return false;
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
      int e = i;
      while (i < s.length() && isDigit(s.charAt(i))) i++;
      if (i == e) return false;
    }
    return i == s.length();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Rows parsed so far, in growing arrays of the features' dtype. */
  private static final class Table {
    final boolean f32;
    int columns = -1;
    int label = -1;
    int rows;
    float[] floats;
    double[] doubles;
    int count;
    long[] labels = new long[64];

    Table(DType dtype) {
      f32 = dtype == DType.FLOAT32;
      if (f32) floats = new float[1024];
      else doubles = new double[1024];
    }

    void addFeature(double v) {
      if (f32) {
        if (count == floats.length) floats = Arrays.copyOf(floats, 2 * count);
        floats[count++] = (float) v;
      } else {
        if (count == doubles.length) doubles = Arrays.copyOf(doubles, 2 * count);
        doubles[count++] = v;
      }
    }

    void addLabel(long v) {
      if (rows == labels.length) labels = Arrays.copyOf(labels, 2 * rows);
      labels[rows] = v;
    }

    Tensor features() {
      int cols = label >= 0 ? columns - 1 : columns;
      Object data = f32 ? Arrays.copyOf(floats, count) : Arrays.copyOf(doubles, count);
      return new Tensor(Backends.get(Device.CPU).upload(data), new int[] {rows, cols});
    }

    Tensor labels() {
      return new Tensor(Backends.get(Device.CPU).upload(Arrays.copyOf(labels, rows)),
          new int[] {rows});
    }
  }
}
