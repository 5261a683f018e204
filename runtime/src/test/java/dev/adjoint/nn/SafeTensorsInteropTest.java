package dev.adjoint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Weights between Adjoint and PyTorch, both ways, through committed fixtures that
 * {@code runtime/src/test/python/pytorch_reference.py} writes (from PyTorch) and checks (what
 * Adjoint wrote, loaded into the same torch model with {@code strict=True}, giving the same
 * logits). Regenerate Adjoint's side with {@code mvn -pl runtime test
 * -Dtest=SafeTensorsInteropTest -Dadjoint.updateFixtures=true}, then run the script.
 */
class SafeTensorsInteropTest {
  /** torch.nn.Linear's layout: weight (out, in), forward x·weightᵀ + bias. */
  record Linear(Tensor weight, Tensor bias) {
    Tensor forward(Tensor x) {
      return x.matmul(weight.transpose(0, 1)).add(bias);
    }
  }

  /** torch.nn.BatchNorm1d's parameters and buffers, in eval mode. */
  record BatchNorm1d(Tensor weight, Tensor bias,
      @Buffer @Named("running_mean") Tensor runningMean,
      @Buffer @Named("running_var") Tensor runningVar,
      @Buffer @Named("num_batches_tracked") Tensor numBatchesTracked) {
    Tensor forward(Tensor x) {
      return x.sub(runningMean).div(runningVar.add(1e-5).sqrt()).mul(weight).add(bias);
    }
  }

  /** pytorch_reference.py's Net: fc1 (4 to 8), bn, relu, fc2 (8 to 3). */
  record Net(Linear fc1, BatchNorm1d bn, Linear fc2) {
    Tensor forward(Tensor x) {
      return fc2.forward(bn.forward(fc1.forward(x)).relu());
    }

    static Net init(SplittableRandom r) {
      return new Net(new Linear(Tensor.randn(r, 8, 4), Tensor.randn(r, 8)),
          new BatchNorm1d(Tensor.randn(r, 8), Tensor.randn(r, 8), Tensor.randn(r, 8),
              Tensor.rand(r, 8).add(0.5), Tensor.scalar(DType.INT64, 3)),
          new Linear(Tensor.randn(r, 3, 8), Tensor.randn(r, 3)));
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(SafeTensorsInteropTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void weightsWrittenByPyTorchLoadAndGiveItsLogits() {
    Net net = SafeTensors.load(resource("from_pytorch.safetensors"), Net.init(new SplittableRandom(0)));
    Map<String, Tensor> io = SafeTensors.read(resource("from_pytorch_io.safetensors"));
    float[] logits = net.forward(io.get("x")).toFloatArray();
    float[] expected = io.get("logits").toFloatArray();
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], logits[i], 1e-5);
    assertEquals(3, net.bn().numBatchesTracked().get());
    assertEquals(DType.INT64, net.bn().numBatchesTracked().dtype());
  }

  @Test
  void rewritingPyTorchsFileGivesItsBytes() throws IOException {
    Path src = resource("from_pytorch.safetensors");
    SafeTensors.Contents c = SafeTensors.readContents(src);
    Path out = Files.createTempFile("rewritten", ".safetensors");
    try {
      SafeTensors.write(out, c.tensors(), c.metadata());
      assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out));
    } finally {
      Files.delete(out);
    }
  }

  @Test
  void everyDtypeReadsAsTorchConvertsIt() {
    SafeTensors.Contents c = SafeTensors.readContents(resource("dtypes.safetensors"));
    Map<String, Tensor> t = c.tensors();
    for (String half : new String[] {"f16", "bf16"}) {
      float[] a = t.get(half).toFloatArray();
      float[] e = t.get(half + ".as_f32").toFloatArray();
      assertEquals(DType.FLOAT32, t.get(half).dtype());
      for (int i = 0; i < e.length; i++) {
        assertEquals(Float.floatToIntBits(e[i]), Float.floatToIntBits(a[i]),
            half + "[" + i + "]: " + a[i] + " vs torch " + e[i]);
      }
    }
    for (String i : new String[] {"i8", "u8", "i16", "i32", "i64", "i32.big", "bool"}) {
      assertEquals(DType.INT64, t.get(i).dtype(), i);
      assertArrayEquals(t.get(i + ".as_i64").toLongArray(), t.get(i).toLongArray(), i);
    }
    assertArrayEquals(new long[] {1L << 62, Long.MIN_VALUE}, t.get("i64.big").toLongArray());
    assertArrayEquals(new double[] {Math.PI, -1e-300, 1e300, 0.1}, t.get("f64").toDoubleArray());
    assertArrayEquals(new int[0], t.get("scalar").shape());
    assertEquals(2.5, t.get("scalar").item());
    assertArrayEquals(new int[] {0, 3}, t.get("empty").shape());
    assertEquals(Map.of("purpose", "dtypes"), c.metadata());
  }

  /** Adjoint's file and the logits Adjoint computes with it, deterministic. */
  private static Path[] writeAdjointFiles(Path dir) {
    Net net = Net.init(new SplittableRandom(42));
    Path model = dir.resolve("from_adjoint.safetensors");
    Path io = dir.resolve("from_adjoint_io.safetensors");
    SafeTensors.save(model, net);
    Tensor x = SafeTensors.read(resource("from_pytorch_io.safetensors")).get("x");
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("x", x);
    m.put("logits", net.forward(x));
    SafeTensors.write(io, m);
    return new Path[] {model, io};
  }

  @Test
  void adjointWritesTheFilesPyTorchWasCheckedWith() throws IOException {
    Path dir = Path.of("target", "interop");
    Files.createDirectories(dir);
    Path[] files = writeAdjointFiles(dir);
    if (Boolean.getBoolean("adjoint.updateFixtures")) {
      Path res = Path.of("src", "test", "resources", "dev", "adjoint", "nn");
      for (Path f : files) Files.copy(f, res.resolve(f.getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
    }
    for (Path f : files) {
      if (Boolean.getBoolean("adjoint.updateFixtures")) break;
      assertArrayEquals(Files.readAllBytes(resource(f.getFileName().toString())),
          Files.readAllBytes(f), f.getFileName() + " differs from the fixture PyTorch loaded; "
              + "see the class comment to regenerate");
    }
    Map<String, Tensor> saved = SafeTensors.read(files[0]);
    assertEquals(Set.of("fc1.weight", "fc1.bias", "bn.weight", "bn.bias",
        "bn.running_mean", "bn.running_var", "bn.num_batches_tracked", "fc2.weight", "fc2.bias"),
        saved.keySet(), "PyTorch's state_dict names");
  }

  @Test
  void pyTorchLoadsWhatAdjointWritesNow() throws IOException, InterruptedException {
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3"
        : "python3";
    Path dir = Files.createTempDirectory("interop");
    Path[] files = writeAdjointFiles(dir);
    String out;
    int rc;
    try {
      Process p = new ProcessBuilder(python, "src/test/python/pytorch_reference.py", "--check",
          files[0].toString(), files[1].toString()).redirectErrorStream(true).start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the PyTorch check did not finish");
      rc = p.exitValue();
    } catch (IOException e) {
      out = "No module named 'torch' (no python: " + e.getMessage() + ")";
      rc = 1;
    }
    assumeTrue(rc == 0 || !out.contains("No module named 'torch'"), "PyTorch is not installed "
        + "(apt-get install python3-torch); the committed fixtures still check both directions");
    assertEquals(0, rc, out);
    assertTrue(out.startsWith("OK: PyTorch loaded"), out);
    for (Path f : files) Files.delete(f);
    Files.delete(dir);
  }
}
