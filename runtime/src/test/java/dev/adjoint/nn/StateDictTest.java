package dev.adjoint.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The layers' state dicts are PyTorch's: the same names in the same order as each torch module's
 * {@code state_dict()} (nn_reference.py writes them), and a model trained by PyTorch
 * ({@code from_pytorch.safetensors}, Linear, BatchNorm1d, Linear) loads into the same structure
 * of Adjoint's layers and gives PyTorch's logits.
 */
class StateDictTest {
  private static Path resource(String name) {
    try {
      return Path.of(StateDictTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void namesAreTorchsStateDictKeys() {
    Map<String, String> torch = SafeTensors.metadata(resource("nn_reference.safetensors"));
    SplittableRandom r = new SplittableRandom(1);
    Map<String, Object> layers = Map.of("Linear", Linear.init(r, 3, 2),
        "Conv2d", Conv2d.init(r, 2, 4, 3, 1, 0), "Embedding", Embedding.init(r, 5, 2),
        "LayerNorm", LayerNorm.init(4), "BatchNorm", BatchNorm.init(3),
        "MultiheadAttention", MultiheadAttention.init(r, 4, 2));
    layers.forEach((name, layer) -> assertEquals(List.of(torch.get("names." + name).split(",")),
        ModelTree.of(layer).names(layer), name));
  }

  /** pytorch_reference.py's Net, with Adjoint's layers. */
  record Net(Linear fc1, BatchNorm bn, Linear fc2) {
    Tensor forward(Tensor x) {
      return fc2.forward(bn.forward(fc1.forward(x)).relu());
    }
  }

  @Test
  void aTorchModelLoadsIntoTheLayersAndGivesItsLogits() {
    SplittableRandom r = new SplittableRandom(0);
    Net template = new Net(Linear.init(r, 4, 8), BatchNorm.init(8).eval(), Linear.init(r, 8, 3));
    Net net = SafeTensors.load(resource("from_pytorch.safetensors"), template);
    Map<String, Tensor> io = SafeTensors.read(resource("from_pytorch_io.safetensors"));
    float[] logits = net.forward(io.get("x")).toFloatArray();
    float[] expected = io.get("logits").toFloatArray();
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], logits[i], 1e-5);
    assertEquals(3, (long) net.bn().numBatchesTracked().item());
    assertEquals(DType.INT64, net.bn().numBatchesTracked().dtype());
  }
}
