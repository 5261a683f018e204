#!/usr/bin/python3
"""numpy float32 on 16M elements: a + b (allocating, like Adjoint's immutable add), np.add into a
preallocated array, and sum. Median microseconds."""
import statistics, time
import numpy as np

n = 16 * 1024 * 1024
rng = np.random.default_rng(0)
a = rng.standard_normal(n).astype(np.float32)
b = rng.standard_normal(n).astype(np.float32)
c = np.empty(n, dtype=np.float32)


def bench(fn):
    fn()
    ts = []
    for _ in range(30):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts) * 1e6


print(f"numpy add {bench(lambda: a + b):.1f}")
print(f"numpy addout {bench(lambda: np.add(a, b, out=c)):.1f}")
print(f"numpy sum {bench(lambda: a.sum()):.1f}")
