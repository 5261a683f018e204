#!/usr/bin/python3
"""numpy float32 N x N matmul on OpenBLAS, median GFLOP/s over repeats: matmul.py N.
Run with OPENBLAS_CORETYPE=SkylakeX and OPENBLAS_NUM_THREADS set (TrainingStepReport does)."""
import statistics, sys, time
import numpy as np

n = int(sys.argv[1])
rng = np.random.default_rng(3)
a = rng.standard_normal((n, n), dtype=np.float32)
b = rng.standard_normal((n, n), dtype=np.float32)
for _ in range(10):
    a @ b
gf = []
for _ in range(30):
    t0 = time.perf_counter(); a @ b; gf.append(2.0 * n ** 3 / (time.perf_counter() - t0) / 1e9)
print('numpy %s matmul%d gflops=%.2f' % (np.__version__, n, statistics.median(gf)))
