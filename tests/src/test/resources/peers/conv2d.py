#!/usr/bin/python3
"""PyTorch CPU conv2d, float32, input [64, 32, 32, 32], weight [32, 32, 3, 3], padding 1.
Usage: conv2d.py THREADS. Median microseconds over repeats."""
import statistics, sys, time
import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
torch.manual_seed(0)
x = torch.randn(64, 32, 32, 32)
w = torch.randn(32, 32, 3, 3)
with torch.no_grad():
    for _ in range(3):
        torch.nn.functional.conv2d(x, w, padding=1)
    ts = []
    for _ in range(20):
        t0 = time.perf_counter(); torch.nn.functional.conv2d(x, w, padding=1); ts.append(time.perf_counter() - t0)
print(f"torch conv2d {statistics.median(ts) * 1e6:.1f}")
