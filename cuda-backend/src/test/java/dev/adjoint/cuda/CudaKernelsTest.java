package dev.adjoint.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.tensor.Backend;
import dev.adjoint.tensor.Backend.BinaryOp;
import dev.adjoint.tensor.Backend.ReduceOp;
import dev.adjoint.tensor.Backend.UnaryOp;
import dev.adjoint.tensor.Backend.Window;
import dev.adjoint.tensor.DType;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The PTX in the jar: valid ISA 8.0 for sm_80 and sm_90 (ptxas), every kernel the Java side
 * launches present, its parameter struct exactly as large as the Java side packs it, and the
 * errors a driver that will not load it gives.
 */
class CudaKernelsTest {
  private static final Pattern ENTRY = Pattern.compile(
      "\\.visible \\.entry (\\w+)\\(\\s*\\.param \\.align \\d+ \\.b8 \\w+\\[(\\d+)\\]\\s*\\)");

  /** Kernel name to the byte size of its one parameter, over all modules. */
  static Map<String, Integer> entries() {
    Map<String, Integer> all = new HashMap<>();
    for (String m : Kernels.MODULES) {
      Matcher e = ENTRY.matcher(Kernels.ptx(m));
      while (e.find()) all.put(e.group(1), Integer.parseInt(e.group(2)));
    }
    return all;
  }

  @Test
  void everyModuleIsPtxIsa80ForSm80() {
    for (String m : Kernels.MODULES) {
      String ptx = Kernels.ptx(m);
      assertEquals("8.0", Kernels.isaVersion(ptx), m);
      assertTrue(ptx.contains("\n.target sm_80\n"), m + " targets sm_80");
      assertTrue(!ptx.contains("used_bytes_mask"), m + ": nvcc 13's ISA 8.3 pragmas removed");
    }
  }

  @Test
  void ptxasAcceptsEveryModuleForSm80AndSm90() throws Exception {
    String ptxas = onPath("ptxas");
    assumeTrue(ptxas != null, "ptxas is not on the PATH: the PTX was not validated here");
    Path dir = Files.createTempDirectory("adjoint-ptx");
    // A module validated before (same text, same ptxas) is not validated again: a stamp in
    // target/ptxas-validated, so that a clean build checks everything and a rebuild is quick.
    Path stamps = Path.of("target", "ptxas-validated");
    Files.createDirectories(stamps);
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.max(2, Runtime.getRuntime().availableProcessors()));
    try {
      List<Future<String>> results = new ArrayList<>();
      for (String m : Kernels.MODULES) {
        Path file = dir.resolve(m + ".ptx");
        Files.writeString(file, Kernels.ptx(m));
        for (String arch : new String[] {"sm_80", "sm_90"}) {
          Path stamp = stamps.resolve(m + "-" + arch + "-" + sha256(Kernels.ptx(m) + ptxas));
          if (Files.exists(stamp)) continue;
          // -O0: the same parsing and ISA checks, without the optimizer's time
          results.add(pool.submit(() -> {
            String problem = run(ptxas, "-arch=" + arch, "-O0", file.toString(), "-o",
                "/dev/null");
            if (problem == null) Files.writeString(stamp, "ok\n");
            return problem;
          }));
        }
      }
      for (Future<String> r : results) {
        String problem = r.get();
        assertTrue(problem == null, problem);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String sha256(String text) throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 12; i++) b.append(String.format("%02x", d[i]));
    return b.toString();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    return p.waitFor() == 0 ? null : String.join(" ", command) + ":\n" + out;
  }

  private static String onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, tool);
      if (f.canExecute()) return f.getPath();
    }
    return null;
  }

  /** Every name the operations can build, with the size its parameters are packed to. */
  @Test
  void everyKernelTheBackendLaunchesExistsWithItsParameterSize() {
    Map<String, Integer> ptx = entries();
    Map<String, Integer> wanted = new HashMap<>();
    int ew = Elementwise.ewParams(0, 0, 0, 0, 0, new int[0], 0, new int[0], 0, new int[0], 0,
        new int[0]).size();
    int copy = Elementwise.copyParams(0, 0, new int[0], 0, new int[0], 0, new int[0]).size();
    int reduce = Reductions.reduceParams(0, 0, 0, 0, 0, new int[0], 0, new int[0]).size();
    String[] types = {"f32", "f64", "i64"};
    for (String t : types) {
      for (UnaryOp op : UnaryOp.values()) wanted.put("unary_" + Elementwise.name(op) + "_" + t, ew);
      for (BinaryOp op : BinaryOp.values()) {
        boolean exact = op != BinaryOp.DIV && op != BinaryOp.POW;
        if (!t.equals("i64") || exact) wanted.put("binary_" + Elementwise.name(op) + "_" + t, ew);
      }
      for (String c : types) {
        wanted.put("where_" + t + "_" + c, ew);
        wanted.put("copy_" + t + "_" + c, copy);
      }
      for (ReduceOp op : ReduceOp.values()) {
        wanted.put("reduce_rows_" + Elementwise.name(op) + "_" + t, reduce);
        wanted.put("reduce_cols_" + Elementwise.name(op) + "_" + t, reduce);
        if (op != ReduceOp.ARGMAX) wanted.put("reduce_all_" + Elementwise.name(op) + "_" + t, reduce);
      }
      wanted.put("gather_" + t, Indexing.gatherParams(0, 0, 0, 0, 0, 0, 0, new int[0], 0,
          new int[0], 0, new int[0]).size());
      wanted.put("index_select_" + t, Indexing.indexSelectParams(0, 0, 0, 0, 0, 0, 0, 0, 0,
          new int[0], 0, new int[0]).size());
      int window = Images.windowParams(0, 0, 0, new int[4], new Window(1, 1, 0, 1), 1, 1, 1, 0,
          new int[0]).size();
      wanted.put("unfold_" + t, window);
      wanted.put("fold_" + t, window);
      wanted.put("splitk_reduce_" + t, Matmuls.splitParams(0, 0, 0, 0, 0, 0, 0).size());
    }
    int update = Updates.params(0, 0, new long[3], 0, new long[3], new double[0], 0, 0).size();
    for (String kind : new String[] {"sgd", "adam", "rmsprop"}) {
      wanted.put("update_" + kind + "_f32", update);
      wanted.put("update_" + kind + "_f64", update);
    }
    wanted.put("store_bytes", CudaBackend.smallUpload(0, new byte[0]).size());
    GemmPlan any = GemmPlan.of(DType.FLOAT32, false, false, 1, 1, 1, 1, 1);
    int gemm = Matmuls.gemmParams(0, 0, 0, 0, 0, 0, new int[2], new int[2], 0, any, new int[0],
        0, new int[0], 0, new int[0], Matmuls.Conv.NONE).size();
    for (DType dt : DType.values()) {
      for (boolean tf32 : new boolean[] {false, true}) {
        for (boolean conv : new boolean[] {false, true}) {
          for (int[] s : new int[][] {{8, 8, 8, 1}, {4096, 4096, 64, 1}, {16, 16, 4096, 1}}) {
            if (conv && dt != DType.FLOAT32) continue;
            wanted.put(GemmPlan.of(dt, tf32, conv, s[0], s[1], s[2], s[3], 132).kernel(), gemm);
          }
        }
      }
    }
    for (Map.Entry<String, Integer> w : wanted.entrySet()) {
      Integer size = ptx.get(w.getKey());
      assertTrue(size != null, "kernel " + w.getKey() + " is not in the PTX");
      assertEquals(w.getValue(), size, "parameter bytes of " + w.getKey());
    }
    assertEquals(ptx.size(), wanted.size(), "kernels in the PTX that nothing launches: "
        + ptx.keySet().stream().filter(k -> !wanted.containsKey(k)).toList());
  }

  @Test
  void aDriverTooOldForThePtxMakesCudaUnavailableWithTheVersionNeeded() {
    RuntimeException e = Kernels.loadError("gemm", "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "");
    assertInstanceOf(CudaUnavailableException.class, e);
    assertEquals("CUDA is not available: the NVIDIA driver cannot load the kernels "
        + "(CUDA_ERROR_UNSUPPORTED_PTX_VERSION): they are PTX ISA 8.0, which needs a CUDA 12.0 "
        + "driver (r525) or newer; update the driver", e.getMessage());
    RuntimeException old = Kernels.loadError("reduce", "CUDA_ERROR_NO_BINARY_FOR_GPU", null);
    assertInstanceOf(CudaUnavailableException.class, old);
    assertTrue(old.getMessage().contains("compute capability 8.0 or newer"), old.getMessage());
  }

  @Test
  void aJitCompilationErrorNamesTheModuleAndShowsTheLog() {
    RuntimeException e = Kernels.loadError("index", "CUDA_ERROR_INVALID_PTX",
        "ptxas application ptx input, line 12; error   : Unknown symbol 'x'\n");
    assertInstanceOf(IllegalStateException.class, e);
    assertEquals("CUDA: the driver's JIT compiler rejected kernel module index (PTX ISA 8.0): "
        + "CUDA_ERROR_INVALID_PTX; JIT log: ptxas application ptx input, line 12; error   : "
        + "Unknown symbol 'x'", e.getMessage());
  }

  @Test
  void aMissingModuleSaysTheJarIsDamaged() {
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> Kernels.ptx("nonexistent"));
    assertEquals("CUDA: kernel module nonexistent is missing from the adjoint-cuda jar "
        + "(dev/adjoint/cuda/ptx/nonexistent.ptx); the jar is damaged or was built without its "
        + "resources", e.getMessage());
  }

  @Test
  void theBackendIsFoundByServiceLoader() {
    boolean found = false;
    for (Backend b : java.util.ServiceLoader.load(Backend.class)) {
      if (b instanceof CudaBackend) found = b.device() == dev.adjoint.tensor.Device.CUDA;
    }
    assertTrue(found, "META-INF/services names CudaBackend");
  }
}
