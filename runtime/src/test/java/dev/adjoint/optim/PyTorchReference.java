package dev.adjoint.optim;

import dev.adjoint.nn.SafeTensors;
import dev.adjoint.tensor.Tensor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The reference outputs of PyTorch 1.13 in {@code optim_reference.safetensors}, written by
 * {@code runtime/src/test/python/pytorch_reference.py} (regenerate with
 * {@code /usr/bin/python3 runtime/src/test/python/pytorch_reference.py}).
 */
final class PyTorchReference {
  private static Map<String, Tensor> tensors;

  private PyTorchReference() {}

  static synchronized Map<String, Tensor> tensors() {
    if (tensors == null) {
      try {
        Path p = Path.of(PyTorchReference.class.getResource("optim_reference.safetensors").toURI());
        tensors = SafeTensors.read(p);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return tensors;
  }

  static Tensor get(String name) {
    Tensor t = tensors().get(name);
    if (t == null) throw new IllegalStateException("no " + name + " in optim_reference");
    return t;
  }
}
