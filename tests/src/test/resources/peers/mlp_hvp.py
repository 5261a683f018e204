#!/usr/bin/python3
"""PyTorch CPU gradient and Hessian-vector product (double backward) of a two-layer MLP's
cross-entropy, float32: x [256, 784], w1 [784, 256], w2 [256, 10], the same model as
Adjoint's HvpBenchmark. Usage: mlp_hvp.py THREADS. Median microseconds over repeats."""
import statistics, sys, time
import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
torch.manual_seed(0)
N, D, H, C = 256, 784, 256, 10
x = torch.randn(N, D)
labels = torch.randint(0, C, (N,))
params = [torch.randn(D, H) * 0.05, torch.randn(H) * 0.05, torch.randn(H, C) * 0.05,
          torch.randn(C) * 0.05]
for p in params:
    p.requires_grad_(True)
v = [torch.randn_like(p) for p in params]


def loss(w1, b1, w2, b2):
    h = (x @ w1 + b1).relu()
    logits = h @ w2 + b2
    return -logits.log_softmax(1).gather(1, labels.unsqueeze(1)).mean()


def grad():
    return torch.autograd.grad(loss(*params), params)


def hvp():
    g = torch.autograd.grad(loss(*params), params, create_graph=True)
    return torch.autograd.grad(g, params, v)


for name, f in (("grad", grad), ("hvp", hvp)):
    for _ in range(20):
        f()
    ts = []
    for _ in range(100):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    print(f"torch {name} {statistics.median(ts) * 1e6:.1f}")
