package dev.adjoint.nn;

import dev.adjoint.ad.GradCheck;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Checks a layer's (or a function's) generated derivatives in float64, as JAX's
 * {@code check_grads}: the VJP against central differences of {@code <cot, f>}, and the JVP
 * against the VJP with the dot-product test. The layer's trained leaves (floating, not null,
 * not buffers) and the differentiated inputs are packed into one vector for
 * {@link GradCheck}.
 *
 * @param <L> the layer record, or {@code Void} for a plain function of tensors
 */
final class Derivatives<L> {
  /** The function: a layer (or null) and its inputs to an output. */
  interface Fn<L> {
    Tensor apply(L layer, Tensor[] xs);
  }

  /** The generated VJP: the layer's gradient (or null) and the inputs' gradients. */
  interface Vjp<L> {
    Grad<L> apply(L layer, Tensor[] xs, Tensor cotangent);
  }

  /** The generated JVP's tangent. */
  interface Jvp<L> {
    Tensor apply(L layer, Tensor[] xs, L layerTangent, Tensor[] tangents);
  }

  record Grad<L>(L layer, Tensor... xs) {}

  private final String name;
  private final L layer;
  private final Tensor[] xs;
  private final int differentiated;
  private final ModelTree<L> tree;
  private final boolean[] trained;

  /** The first {@code differentiated} of {@code xs} are differentiated, the rest are constants. */
  Derivatives(String name, L layer, int differentiated, Tensor... xs) {
    this.name = name;
    this.layer = layer;
    this.xs = xs;
    this.differentiated = differentiated;
    this.tree = layer == null ? null : ModelTree.of(layer);
    if (tree == null) {
      trained = new boolean[0];
    } else {
      Tensor[] leaves = tree.tensors(layer);
      boolean[] buffers = tree.buffers(layer);
      trained = new boolean[leaves.length];
      for (int i = 0; i < leaves.length; i++) {
        trained[i] = leaves[i] != null && leaves[i].dtype() == DType.FLOAT64 && !buffers[i];
      }
    }
  }

  private List<Tensor> parts(L l, Tensor[] ts) {
    List<Tensor> out = new ArrayList<>();
    if (tree != null) {
      Tensor[] leaves = tree.tensors(l);
      for (int i = 0; i < leaves.length; i++) {
        if (trained[i]) out.add(leaves[i]);
      }
    }
    out.addAll(Arrays.asList(ts).subList(0, differentiated));
    return out;
  }

  private double[] pack(L l, Tensor[] ts) {
    List<double[]> arrays = new ArrayList<>();
    for (Tensor t : parts(l, ts)) {
      if (t == null) throw new AssertionError(name + ": a gradient is null");
      arrays.add(t.toDoubleArray());
    }
    return arrays.stream().flatMapToDouble(Arrays::stream).toArray();
  }

  /** The point (or tangent) {@code p}: the layer's trained leaves and the differentiated inputs. */
  private Object[] unpack(double[] p, boolean tangent) {
    int at = 0;
    L l = null;
    if (tree != null) {
      Tensor[] leaves = tree.tensors(layer);
      Tensor[] out = new Tensor[leaves.length];
      for (int i = 0; i < leaves.length; i++) {
        if (trained[i]) {
          out[i] = Tensor.of(Arrays.copyOfRange(p, at, at + leaves[i].numel()), leaves[i].shape());
          at += leaves[i].numel();
        } else {
          out[i] = tangent && leaves[i] != null ? leaves[i].zerosLike() : leaves[i];
        }
      }
      l = tree.rebuild(layer, out);
    }
    Tensor[] ts = xs.clone();
    for (int i = 0; i < differentiated; i++) {
      ts[i] = Tensor.of(Arrays.copyOfRange(p, at, at + xs[i].numel()), xs[i].shape());
      at += xs[i].numel();
    }
    return new Object[] {l, ts};
  }

  @SuppressWarnings("unchecked")
  private L layerOf(Object[] point) {
    return (L) point[0];
  }

  private static Tensor[] inputsOf(Object[] point) {
    return (Tensor[]) point[1];
  }

  /** Central differences and the dot-product test; returns the largest errors found. */
  double[] check(Fn<L> f, Vjp<L> vjp, Jvp<L> jvp, long seed) {
    Random random = new Random(seed);
    Tensor out = f.apply(layer, xs);
    Tensor cot = Tensor.of(GradCheck.gaussian(random, out.numel()), out.shape());
    double[] at = pack(layer, xs);
    GradCheck.Scalar value = p -> {
      Object[] point = unpack(p, false);
      return GradCheck.dot(f.apply(layerOf(point), inputsOf(point)).toDoubleArray(),
          cot.toDoubleArray());
    };
    GradCheck.Vector gradient = p -> pullback(vjp, p, cot);
    double fd;
    try {
      fd = GradCheck.checkGradient(value, gradient, at, 1e-6);
    } catch (GradCheck.Mismatch e) {
      throw new AssertionError(name + ": " + e.getMessage(), e);
    }
    GradCheck.Jvp forward = (p, v) -> {
      Object[] point = unpack(p, false);
      Object[] tangent = unpack(v, true);
      return jvp.apply(layerOf(point), inputsOf(point), layerOf(tangent), inputsOf(tangent))
          .toDoubleArray();
    };
    GradCheck.Vjp reverse = (p, u) -> pullback(vjp, p, Tensor.of(u, out.shape()));
    double dot;
    try {
      dot = GradCheck.checkDotProduct(forward, reverse, at, out.numel(), 1e-10, seed);
    } catch (GradCheck.Mismatch e) {
      throw new AssertionError(name + ": " + e.getMessage(), e);
    }
    return new double[] {fd, dot};
  }

  private double[] pullback(Vjp<L> vjp, double[] p, Tensor cot) {
    Object[] point = unpack(p, false);
    Grad<L> g = vjp.apply(layerOf(point), inputsOf(point), cot);
    Tensor[] gx = Arrays.copyOf(g.xs(), xs.length);
    return pack(g.layer(), gx);
  }
}
