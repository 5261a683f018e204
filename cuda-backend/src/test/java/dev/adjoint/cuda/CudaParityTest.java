package dev.adjoint.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.cuda.check.ParitySuite;
import dev.adjoint.cuda.check.Report;
import org.junit.jupiter.api.Test;

/**
 * On a machine with a CUDA device: the device check's parity suite (every op and rule against
 * the CPU). Elsewhere it is skipped; the emulator runs the same suite without a GPU
 * ({@code emulator-check.sh}), and the full check with benchmarks is {@code device-check.sh}.
 */
class CudaParityTest {
  @Test
  void everyOpAndRuleMatchesTheCpu() {
    String reason = Cuda.unavailableReason();
    assumeTrue(reason == null, "no CUDA device, the GPU parity suite is skipped (" + reason
        + "); cuda-backend/emulator-check.sh runs it on the CPU emulator");
    long seed = System.nanoTime();
    Report report = new ParitySuite(seed, 1).run();
    report.print(System.out);
    assertTrue(report.failures().isEmpty(), report.failures().size() + " checks failed (seed "
        + seed + "): " + report.failures());
  }
}
