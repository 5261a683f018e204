package dev.adjoint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Leaves, names and rebuilding of model records, and the errors for what is not a model. */
class ModelTreeTest {
  record Lin(Tensor weight, Tensor bias) {}

  record Net(Lin fc1, Lin fc2, int hidden, String name) {}

  enum Act { RELU, GELU }

  record Block(Lin[] layers, Act act, double scale, float[] table) {}

  record Norm(Tensor weight, @Buffer @Named("running_mean") Tensor runningMean,
      @Buffer Lin stats) {}

  interface Layer {}

  record Dense(Tensor w) implements Layer {}

  record Holder(Object any, Layer layer, Tensor[] ts, Function<Tensor, Tensor> f) {}

  record Tree(Tree left, Tensor value) {}

  private static Tensor t(double... v) {
    return Tensor.of(v, v.length);
  }

  private static Net net() {
    return new Net(new Lin(t(1, 2), t(3)), new Lin(t(4), null), 16, "mlp");
  }

  @Test
  void leavesAreNamedByComponentPathsAsStateDictsAre() {
    ModelTree<Net> tree = ModelTree.of(Net.class);
    assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), tree.names(net()));
    Tensor[] leaves = tree.tensors(net());
    assertEquals(4, leaves.length);
    assertNull(leaves[3]);
    assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight"),
        List.copyOf(tree.stateDict(net()).keySet()));
  }

  @Test
  void rebuildReplacesLeavesAndCopiesCarriedComponents() {
    Net n = net();
    ModelTree<Net> tree = ModelTree.of(n);
    Tensor[] leaves = tree.tensors(n);
    leaves[0] = t(9, 9);
    Net m = tree.rebuild(n, leaves);
    assertArrayEquals(new double[] {9, 9}, m.fc1().weight().toDoubleArray());
    assertSame(n.fc1().bias(), m.fc1().bias());
    assertNull(m.fc2().bias());
    assertEquals(16, m.hidden());
    assertEquals("mlp", m.name());
    Net doubled = tree.map(n, x -> x.mul(2));
    assertArrayEquals(new double[] {2, 4}, doubled.fc1().weight().toDoubleArray());
    assertNull(doubled.fc2().bias());
  }

  @Test
  void aNullRecordStandsForItsTensorsAllNull() {
    Net n = new Net(null, new Lin(t(1), t(2)), 1, "x");
    ModelTree<Net> tree = ModelTree.of(n);
    assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), tree.names(n));
    Tensor[] leaves = tree.tensors(n);
    Net same = tree.rebuild(n, leaves);
    assertNull(same.fc1());
    leaves[1] = t(5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tree.rebuild(n, leaves));
    assertEquals("ModelTree.rebuild: a tensor given for fc1.bias, which is inside a record "
        + "component that is null in the template model", e.getMessage());
  }

  @Test
  void arraysAreWalkedElementByElementAndOtherValuesCarried() {
    float[] table = {1, 2};
    Block b = new Block(new Lin[] {new Lin(t(1), t(2)), new Lin(t(3), null)}, Act.GELU, 0.5,
        table);
    ModelTree<Block> tree = ModelTree.of(b);
    assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
        tree.names(b));
    Block c = tree.map(b, x -> x.add(1));
    assertArrayEquals(new double[] {4}, c.layers()[1].weight().toDoubleArray());
    assertEquals(Act.GELU, c.act());
    assertEquals(0.5, c.scale());
    assertSame(table, c.table());
    assertEquals(1, b.layers()[0].weight().item(), "the template's array is not changed");
  }

  @Test
  void buffersAndNamedComponents() {
    Norm n = new Norm(t(1), t(0), new Lin(t(2), t(3)));
    ModelTree<Norm> tree = ModelTree.of(n);
    assertEquals(List.of("weight", "running_mean", "stats.weight", "stats.bias"), tree.names(n));
    assertArrayEquals(new boolean[] {false, true, true, true}, tree.buffers(n));
    List<ModelTree.Leaf> leaves = tree.leaves(n);
    assertEquals("running_mean", leaves.get(1).name());
    assertEquals(true, leaves.get(1).buffer());
  }

  @Test
  void componentsDeclaredAsObjectOrInterfaceAreWalkedByTheirValue() {
    Function<Tensor, Tensor> relu = Tensor::relu;
    Holder h = new Holder(new Dense(t(1)), new Dense(t(2)), new Tensor[] {t(3), null}, relu);
    ModelTree<Holder> tree = ModelTree.of(h);
    assertEquals(List.of("any.w", "layer.w", "ts.0", "ts.1"), tree.names(h));
    Holder g = tree.map(h, x -> x.neg());
    assertEquals(-2, ((Dense) g.layer()).w().item());
    assertSame(relu, g.f());
    Holder s = new Holder("just a string", null, new Tensor[0], relu);
    assertEquals(List.of(), tree.names(s));
    assertSame(s.any(), tree.rebuild(s, new Tensor[0]).any());
  }

  @Test
  void recursiveRecordsAndTensorRoots() {
    Tree tr = new Tree(new Tree(null, t(1)), t(2));
    // The innermost null Tree stands for its own tensor, not (again) for its null child's.
    assertEquals(List.of("left.left.value", "left.value", "value"), ModelTree.of(tr).names(tr));
    Tensor x = t(1, 2);
    ModelTree<Tensor> root = ModelTree.of(x);
    assertEquals(List.of(""), root.names(x));
    assertEquals(3, root.map(x, v -> v.add(1)).toDoubleArray()[1]);
  }

  @Test
  void loadStateDictConvertsDtypesAndChecksNames() {
    Net n = net();
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("fc1.weight", Tensor.of(new float[] {7, 8}, 2));
    state.put("fc1.bias", t(1));
    state.put("fc2.weight", t(2));
    Net m = ModelTree.of(n).loadStateDict(n, state);
    assertEquals(DType.FLOAT64, m.fc1().weight().dtype());
    assertArrayEquals(new double[] {7, 8}, m.fc1().weight().toDoubleArray());
    assertEquals("mlp", m.name());
  }

  @Test
  void loadStateDictListsEveryProblem() {
    Net n = net();
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("fc1.weight", t(1, 2, 3));
    state.put("fc2.weight", Tensor.of(new long[] {1}, 1));
    state.put("fc2.bias", t(0));
    state.put("fc3.weight", t(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelTree.of(n).loadStateDict(n, state));
    assertEquals("the state dict does not fit Net:\n"
        + "  missing (in the model, not in the state dict): fc1.bias\n"
        + "  unexpected (in the state dict, not in the model): fc3.weight\n"
        + "  'fc1.weight' has shape [3] in the state dict but [2] in the Net\n"
        + "  'fc2.weight' holds integer INT64 values in the state dict but the Net's tensor is "
        + "FLOAT64\n"
        + "  'fc2.bias' is in the state dict, but it is null in the Net it is loaded into (an "
        + "absent optional tensor)", e.getMessage());
  }

  // ---------------------------------------------------------------- what is not a model

  record WithList(List<Tensor> layers) {}

  static final class Weights {
    final Tensor w;

    Weights(Tensor w) {
      this.w = w;
    }
  }

  record WithClass(Weights weights) {}

  record Checked(Tensor w) {
    Checked {
      if (w.dim() != 1) throw new IllegalArgumentException("w must be 1-D");
    }
  }

  record BadName(@Named("a.b") Tensor w) {}

  @Test
  void collectionsOfTensorsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelTree.of(WithList.class));
    assertEquals("ModelTree: WithList.layers has type java.util.List<dev.adjoint.tensor.Tensor>, "
        + "which ModelTree does not walk into: its tensors would be neither trained nor saved; "
        + "declare it as an array (Tensor[])", e.getMessage());
  }

  @Test
  void classesWithTensorFieldsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelTree.of(WithClass.class));
    assertEquals("ModelTree: WithClass.weights is a dev.adjoint.nn.ModelTreeTest$Weights, a "
        + "class that keeps tensors in its field 'w' but is not a record; ModelTree sees only "
        + "records' components, so its tensors would be neither trained nor saved: make Weights "
        + "a record", e.getMessage());
  }

  @Test
  void rootsMustBeRecordsOrTensors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelTree.of(String.class));
    assertEquals("ModelTree: java.lang.String is neither a record nor a Tensor; a model is a "
        + "record of tensors (and of other records)", e.getMessage());
  }

  @Test
  void constructorChecksAreReported() {
    Checked c = new Checked(t(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelTree.of(c).rebuild(c, new Tensor[] {Tensor.zeros(2, 2)}));
    assertEquals("ModelTree: the constructor of Checked rejected the rebuilt components: "
        + "java.lang.IllegalArgumentException: w must be 1-D", e.getMessage());
  }

  @Test
  void wrongNumberOfTensors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelTree.of(Net.class).rebuild(net(), new Tensor[3]));
    assertEquals("ModelTree.rebuild: 3 tensors for a Net with 4 leaves [fc1.weight, fc1.bias, "
        + "fc2.weight, fc2.bias]", e.getMessage());
  }

  @Test
  void namesWithDotsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelTree.of(BadName.class));
    assertEquals("ModelTree: @Named(\"a.b\") on BadName.w must be a non-empty name without dots",
        e.getMessage());
  }
}
