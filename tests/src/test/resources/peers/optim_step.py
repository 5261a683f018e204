"""PyTorch 1.13's optimizer step on the MLP 784-256-256-10's parameters, one thread.

Prints `torch NAME MEDIAN us` for OptimizerBenchmarkReport. The single-tensor path
(foreach=False) is PyTorch's CPU default.
"""
import time

import torch

torch.set_num_threads(1)
shapes = [(256, 784), (256,), (256, 256), (256,), (10, 256), (10,)]
makers = {
    'sgd': lambda ps: torch.optim.SGD(ps, lr=1e-6, foreach=False),
    'sgdMomentum': lambda ps: torch.optim.SGD(ps, lr=1e-6, momentum=0.9, foreach=False),
    'adam': lambda ps: torch.optim.Adam(ps, lr=1e-6, foreach=False),
    'adamW': lambda ps: torch.optim.AdamW(ps, lr=1e-6, foreach=False),
    'rmsProp': lambda ps: torch.optim.RMSprop(ps, lr=1e-6, foreach=False),
}
for name, make in makers.items():
    params = [torch.randn(*s, requires_grad=True) for s in shapes]
    for p in params:
        p.grad = torch.randn(*p.shape)
    opt = make(params)
    for _ in range(200):
        opt.step()
    times = []
    for _ in range(15):
        n = 200
        t0 = time.perf_counter()
        for _ in range(n):
            opt.step()
        times.append((time.perf_counter() - t0) / n * 1e6)
    times.sort()
    print('torch %s %.1f us' % (name, times[len(times) // 2]))
