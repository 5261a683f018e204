package dev.adjoint.nn;

import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The tensors inside a model record, in a fixed order with PyTorch's {@code state_dict} names,
 * and the way back: JAX's pytree flatten/unflatten for Java records. Optimizers, gradient
 * clipping and {@link SafeTensors} work on every model record through this class, with no
 * per-model code from the user.
 *
 * <p><b>What is a leaf.</b> The value's components are walked in declaration order:
 * <ul>
 *   <li>a {@link Tensor} is a leaf, named by the path of record components that leads to it,
 *       joined with dots ({@code "fc1.weight"}), as PyTorch names the same structure;
 *       {@link Named} overrides one component's part of the name;
 *   <li>a record is walked into; an array of tensors or records ({@code Linear[] layers}) is
 *       walked element by element, the index being part of the name ({@code "layers.0.weight"},
 *       as for a PyTorch {@code ModuleList});
 *   <li>a component declared with a type that may hold a record or a tensor ({@code Object},
 *       an interface such as a sealed {@code Layer}, a type variable) is walked by the class of
 *       its value;
 *   <li>everything else is <em>carried</em>: copied unchanged from the model into every model
 *       rebuilt from it, never a leaf. That includes {@code int}, {@code long}, {@code boolean},
 *       {@code String}, enums, and also {@code double}, {@code float}, {@code double[]} and
 *       {@code float[]}: as in PyTorch (and Equinox's array filter), only tensors are
 *       parameters; make a trained scalar a 0-d {@code Tensor}.
 * </ul>
 * A {@code null} tensor component (an optional bias) is a leaf whose value is {@code null}: it
 * keeps its name and place, optimizers skip it and {@link SafeTensors} does not save it; a
 * {@code null} record component stands for all of that record's tensor components, each null.
 * Components marked {@link Buffer} are leaves that {@link #buffers} reports, so that optimizers
 * leave them alone while they are still saved.
 *
 * <p><b>Unsupported components</b> are errors when the tree is built, naming the component: a
 * collection, map or {@code Optional} whose type mentions tensors or records (use an array),
 * and a class that is not a record but has tensor fields (make it a record).
 *
 * <p><b>Cost.</b> The record's components are inspected once per record class (reflection,
 * cached in a {@link ClassValue}); the result is a plan of {@link java.lang.invoke.MethodHandle}s
 * for the accessors and the canonical constructor, adapted once to {@code (Object)Object} and
 * {@code (Object[])Object} so that each step calls them with {@code invokeExact}: no
 * {@code Method.invoke}, no lookup of components, no boxing beyond carried primitives. Method
 * handles rather than classes spun by {@code LambdaMetafactory} because they reach private and
 * local records (test code, nested model classes) with nothing generated, and because a model
 * has tens of leaves, each costing a few nanoseconds here against microseconds of arithmetic.
 * Records must be accessible to this module by deep reflection: always so on the class path;
 * a named module {@code opens} its model package to {@code dev.adjoint.runtime}.
 *
 * @param <M> the model type: a record, or {@link Tensor} itself (one leaf, named {@code ""})
 */
public final class ModelTree<M> {
  private static final ClassValue<ModelTree<?>> TREES = new ClassValue<>() {
    @Override
    protected ModelTree<?> computeValue(Class<?> type) {
      return new ModelTree<>(type);
    }
  };

  private final Class<M> type;
  private final TreeNode root;

  private ModelTree(Class<M> type) {
    if (type != Tensor.class && !type.isRecord()) {
      throw new IllegalArgumentException("ModelTree: " + type.getName() + " is neither a record "
          + "nor a Tensor; a model is a record of tensors (and of other records)");
    }
    this.type = type;
    this.root = TreeNode.of(type);
    checkReachableRecords(type);
  }

  /** The tree of a model type (built once per class, then cached). */
  @SuppressWarnings("unchecked")
  public static <M> ModelTree<M> of(Class<M> type) {
    Objects.requireNonNull(type, "type");
    return (ModelTree<M>) TREES.get(type);
  }

  /** The tree of a model's class. */
  @SuppressWarnings("unchecked")
  public static <M> ModelTree<M> of(M model) {
    Objects.requireNonNull(model, "model");
    return of((Class<M>) model.getClass());
  }

  /** Builds (and so checks) the plans of every record type reachable through declared types. */
  private static void checkReachableRecords(Class<?> type) {
    Set<Class<?>> seen = new HashSet<>();
    ArrayDeque<Class<?>> todo = new ArrayDeque<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (!seen.add(c)) continue;
      TreeNode n = TreeNode.of(c);
      if (n instanceof TreeNode.RecordNode) todo.addAll(((TreeNode.RecordNode) n).declaredTypes());
      if (n instanceof TreeNode.ArrayNode) todo.add(((TreeNode.ArrayNode) n).elementType());
    }
  }

  /** The model type. */
  public Class<M> type() {
    return type;
  }

  /** Every leaf's tensor in order ({@code null} where a component is null), buffers included. */
  public Tensor[] tensors(M model) {
    TreeNode.Sink sink = new TreeNode.Sink(false);
    root.flatten(check(model), "", false, sink);
    return sink.tensors.toArray(new Tensor[0]);
  }

  /** Every leaf with its name, its tensor (or null) and whether it is a {@link Buffer}. */
  public List<Leaf> leaves(M model) {
    TreeNode.Sink sink = new TreeNode.Sink(true);
    root.flatten(check(model), "", false, sink);
    List<Leaf> out = new ArrayList<>(sink.tensors.size());
    for (int i = 0; i < sink.tensors.size(); i++) {
      out.add(new Leaf(sink.names.get(i), sink.tensors.get(i), sink.buffers.get(i)));
    }
    return Collections.unmodifiableList(out);
  }

  /** The leaves' names, in order. */
  public List<String> names(M model) {
    List<String> names = new ArrayList<>();
    for (Leaf l : leaves(model)) names.add(l.name());
    return names;
  }

  /** For each leaf, whether it is a {@link Buffer} (state that is saved but not trained). */
  public boolean[] buffers(M model) {
    TreeNode.Sink sink = new TreeNode.Sink(false);
    root.flatten(check(model), "", false, sink);
    boolean[] out = new boolean[sink.buffers.size()];
    for (int i = 0; i < out.length; i++) out[i] = sink.buffers.get(i);
    return out;
  }

  /**
   * PyTorch's {@code state_dict}: the non-null leaves by name, in order, buffers included.
   */
  public Map<String, Tensor> stateDict(M model) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Leaf l : leaves(model)) {
      if (l.tensor() != null) out.put(l.name(), l.tensor());
    }
    return out;
  }

  /**
   * A model like {@code template} with its leaves replaced, in the order of {@link #tensors}
   * (one per leaf; null leaves may stay null); carried components are copied from
   * {@code template}.
   */
  public M rebuild(M template, Tensor[] tensors) {
    int leaves = tensors(template).length;
    if (tensors.length != leaves) {
      throw new IllegalArgumentException("ModelTree.rebuild: " + tensors.length + " tensors for "
          + "a " + type.getSimpleName() + " with " + leaves + " leaves " + names(template));
    }
    TreeNode.Source src = new TreeNode.Source(tensors);
    Object out = root.rebuild(template, src);
    if (src.misplaced >= 0) {
      throw new IllegalArgumentException("ModelTree.rebuild: a tensor given for "
          + names(template).get(src.misplaced) + ", which is inside a record component that is "
          + "null in the template model");
    }
    return type.cast(out);
  }

  /**
   * PyTorch's {@code load_state_dict} (strict): {@code template} with every non-null leaf
   * replaced by the tensor of its name, converted to the leaf's dtype (floating to floating,
   * integer to integer, as {@code copy_} does) and device. Missing names, names the model does
   * not have (or has as a null leaf), shapes that differ and integer values for floating leaves
   * (or the reverse) are one error that lists them all.
   */
  public M loadStateDict(M template, Map<String, Tensor> state) {
    return loadStateDict(template, state, "the state dict");
  }

  M loadStateDict(M template, Map<String, Tensor> state, String source) {
    List<Leaf> leaves = leaves(template);
    Tensor[] out = new Tensor[leaves.size()];
    List<String> missing = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> known = new HashSet<>();
    for (int i = 0; i < out.length; i++) {
      Leaf leaf = leaves.get(i);
      known.add(leaf.name());
      Tensor t = state.get(leaf.name());
      Tensor like = leaf.tensor();
      if (like == null) {
        if (t != null) {
          problems.add("'" + leaf.name() + "' is in " + source + ", but it is null in the "
              + type.getSimpleName() + " it is loaded into (an absent optional tensor)");
        }
        continue;
      }
      if (t == null) {
        missing.add(leaf.name());
        continue;
      }
      if (!Arrays.equals(t.shape(), like.shape())) {
        problems.add("'" + leaf.name() + "' has shape " + Arrays.toString(t.shape())
            + " in " + source + " but " + Arrays.toString(like.shape()) + " in the "
            + type.getSimpleName());
      } else if (t.dtype().isFloating() != like.dtype().isFloating()) {
        problems.add("'" + leaf.name() + "' holds " + kind(t) + " values in " + source
            + " but the " + type.getSimpleName() + "'s tensor is " + like.dtype());
      } else {
        out[i] = t.to(like.dtype()).to(like.device());
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (String name : state.keySet()) if (!known.contains(name)) unexpected.add(name);
    if (!missing.isEmpty() || !unexpected.isEmpty() || !problems.isEmpty()) {
      StringBuilder b = new StringBuilder(source + " does not fit " + type.getSimpleName() + ":");
      if (!missing.isEmpty()) {
        b.append("\n  missing (in the model, not in ").append(source).append("): ")
            .append(String.join(", ", missing));
      }
      if (!unexpected.isEmpty()) {
        b.append("\n  unexpected (in ").append(source).append(", not in the model): ")
            .append(String.join(", ", unexpected));
      }
      for (String p : problems) b.append("\n  ").append(p);
      throw new IllegalArgumentException(b.toString());
    }
    return rebuild(template, out);
  }

  private static String kind(Tensor t) {
    return (t.dtype().isFloating() ? "floating-point " : "integer ") + t.dtype();
  }

  /** {@code f} applied to every non-null leaf (buffers included), the rest copied. */
  public M map(M model, UnaryOperator<Tensor> f) {
    Tensor[] t = tensors(model);
    for (int i = 0; i < t.length; i++) if (t[i] != null) t[i] = f.apply(t[i]);
    return rebuild(model, t);
  }

  private M check(M model) {
    Objects.requireNonNull(model, "model");
    if (!type.isInstance(model)) {
      throw new IllegalArgumentException("ModelTree of " + type.getName() + " given a "
          + model.getClass().getName());
    }
    return model;
  }

  /**
   * One leaf: its state-dict name, its tensor ({@code null} for a null component) and whether it
   * is a {@link Buffer}.
   */
  public record Leaf(String name, Tensor tensor, boolean buffer) {}
}
