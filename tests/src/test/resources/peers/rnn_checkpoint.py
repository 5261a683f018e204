"""The RNN of ResidualsBenchmark in PyTorch 1.13, one thread: gradient time with every step's
activations saved, and with torch.utils.checkpoint over sqrt(T) segments and over every step.

Usage: rnn_checkpoint.py STEPS HIDDEN BATCH INPUT VARIANT (saved, checkpoint_step, segments).
Prints `torch VARIANT ...`: the median gradient time, and the memory the forward pass leaves
allocated for backward (the net of the CPU allocations and frees recorded by torch.profiler
with profile_memory=True).
"""
import math
import sys
import time

import torch
from torch.utils.checkpoint import checkpoint

torch.set_num_threads(1)
steps, hidden, batch, inp = (int(a) for a in sys.argv[1:5])
variant = sys.argv[5]
g = torch.Generator().manual_seed(7)
wx = (torch.randn(inp, hidden, generator=g) / math.sqrt(hidden)).requires_grad_()
wh = (torch.randn(hidden, hidden, generator=g) / math.sqrt(hidden)).requires_grad_()
b = torch.zeros(hidden, requires_grad=True)
xs = torch.randn(steps, batch, inp, generator=g)
h0 = torch.zeros(batch, hidden)
seg = max(1, round(math.sqrt(steps)))


def run(h, start, end):
    for t in range(start, end):
        h = torch.tanh(xs[t] @ wx + h @ wh + b)
    return h


def loss(variant):
    h = h0
    if variant == 'saved':
        h = run(h, 0, steps)
    elif variant == 'checkpoint_step':
        for t in range(steps):
            h = checkpoint(run, h, t, t + 1, use_reentrant=False)
    else:
        for s in range(0, steps, seg):
            h = checkpoint(run, h, s, min(s + seg, steps), use_reentrant=False)
    return (h * h).mean()


def grad(variant):
    return torch.autograd.grad(loss(variant), (wx, wh, b))


full = xs
xs = full[:1]
steps_saved, steps = steps, 1
grad(variant)
steps = steps_saved
xs = full
# what the forward pass leaves alive for backward: the net of the CPU allocations and frees
# that the profiler records in it
with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU],
                            profile_memory=True) as prof:
    out = loss(variant)
kept = sum(e.self_cpu_memory_usage for e in prof.events()) / 2**20
torch.autograd.grad(out, (wx, wh, b))
del out
for _ in range(2):
    grad(variant)
times = []
for _ in range(5):
    t0 = time.perf_counter()
    grad(variant)
    times.append(time.perf_counter() - t0)
times.sort()
print('torch %-16s %8.3f s   memory the forward pass keeps for backward %6.1f MB' % (
    variant, times[len(times) // 2], kept))
