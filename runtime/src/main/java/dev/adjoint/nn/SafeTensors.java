package dev.adjoint.nn;

import dev.adjoint.tensor.Tensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Model weights in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, read and written by Adjoint's own code, so that weights move between Adjoint and
 * PyTorch both ways. A model's tensors are named by their record component path joined with
 * dots ({@link ModelTree}), as PyTorch's {@code state_dict} names the same structure:
 *
 * <pre>{@code
 * record Net(Linear fc1, Linear fc2) {}
 * SafeTensors.save(path, net);                     // "fc1.weight", "fc1.bias", "fc2.weight", ...
 * Net again = SafeTensors.load(path, Net.init(new SplittableRandom(0)));
 * }</pre>
 *
 * <p>Null leaves (an absent bias) are not saved; {@link Buffer} leaves are; carried components
 * are not tensors and are not saved. FLOAT32, FLOAT64 and INT64 tensors are written as F32,
 * F64 and I64. Reading takes every dtype of the format but the 8-bit floats: F16 and BF16 are
 * read into FLOAT32 (as many published weights are half precision), the integer types and BOOL
 * into INT64. Loading converts floating types to the model's floating dtype, as PyTorch's
 * {@code load_state_dict} does.
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message starts with the file and names
 * the tensor: a malformed file (header length, UTF-8, JSON, unknown dtype, shapes and offsets
 * that do not match, overlap, leave holes or run past the end), or names, shapes or dtypes that
 * do not fit the model (all listed at once). Nothing is returned from a malformed file. I/O
 * errors are {@link java.io.UncheckedIOException}s. A file is written to a temporary file next
 * to it and moved into place, so a failed save leaves no half-written file.
 */
public final class SafeTensors {
  private SafeTensors() {}

  /** A file's tensors, in header order, and its {@code __metadata__}. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /** Unmodifiable copies, in the given order. */
    public Contents {
      tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
  }

  /** Saves a model's tensors, with metadata {@code {"format": "pt"}} (what PyTorch tools expect). */
  public static <M> void save(Path path, M model) {
    save(path, model, Map.of("format", "pt"));
  }

  /** Saves a model's tensors with the given metadata. */
  public static <M> void save(Path path, M model, Map<String, String> metadata) {
    Objects.requireNonNull(model, "model");
    write(path, ModelTree.of(model).stateDict(model), metadata);
  }

  /**
   * A model like {@code template} (same structure, carried components, dtypes and devices)
   * with the file's tensors: every non-null leaf must be in the file with its shape, and the
   * file must hold nothing else.
   */
  public static <M> M load(Path path, M template) {
    Objects.requireNonNull(template, "template");
    Map<String, Tensor> state = read(path);
    return ModelTree.of(template).loadStateDict(template, state, path.toString());
  }

  /** Writes named tensors without metadata. */
  public static void write(Path path, Map<String, Tensor> tensors) {
    write(path, tensors, Map.of());
  }

  /** Writes named tensors and {@code __metadata__} (omitted when empty). */
  public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
    SafeTensorsFile.write(path, tensors, metadata);
  }

  /** A file's tensors by name, in header order. */
  public static Map<String, Tensor> read(Path path) {
    return readContents(path).tensors();
  }

  /** A file's tensors and metadata. */
  public static Contents readContents(Path path) {
    return SafeTensorsFile.read(path);
  }

  /** A file's {@code __metadata__}, reading only the header. */
  public static Map<String, String> metadata(Path path) {
    return Collections.unmodifiableMap(SafeTensorsFile.header(path).metadata());
  }
}
