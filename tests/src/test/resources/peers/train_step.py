#!/usr/bin/python3
"""PyTorch's training step on the weights and batches Adjoint's TrainingStepReport wrote.

Usage: train_step.py DATA.safetensors MODEL OPT THREADS [--warmup N] [--steps N]
  MODEL: mlp (784-256-256-10) or cnn (conv 1-16-32 3x3 pad 1, relu, 2x2 max pooling, linear
  1568-10); OPT: sgd (lr 0.01) or adam (lr 1e-3). The file holds the model's state_dict
  ("mlp.0.weight", "cnn.conv1.weight", ...) and the batches ("mlp.x.0", "mlp.y.0", ...).
  One step is zero_grad + forward + cross-entropy + backward + optimizer.step, timed with
  perf_counter after warm-up; a fresh copy of the initial weights for every (model, opt).

Prints one line:
  torch VERSION MODEL OPT threads=T median=MS p10=MS p90=MS loss0=L loss9=L
where loss0 and loss9 are the losses of the first and tenth steps (from the initial weights),
which the report compares with Adjoint's and DJL's. Run with OPENBLAS_CORETYPE=SkylakeX and
OPENBLAS_NUM_THREADS=T on Debian's OpenBLAS (this torch build's set_num_threads does not reach
BLAS).
"""
import argparse
import json
import statistics
import struct
import time

import torch


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    dtypes = {'F32': torch.float32, 'F64': torch.float64, 'I64': torch.int64}
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        start, end = e['data_offsets']
        buf = bytearray(data[base + start:base + end])
        t = torch.frombuffer(buf, dtype=dtypes[e['dtype']]) if end > start else torch.zeros(0)
        out[name] = t.reshape(e['shape']).clone()
    return out


class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(16, 32, 3, padding=1)
        self.fc = torch.nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        f = torch.nn.functional
        x = f.max_pool2d(f.relu(self.conv1(x)), 2)
        x = f.max_pool2d(f.relu(self.conv2(x)), 2)
        return self.fc(x.reshape(x.shape[0], -1))


def model_for(name):
    if name == 'mlp':
        return torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                   torch.nn.Linear(256, 256), torch.nn.ReLU(),
                                   torch.nn.Linear(256, 10))
    return Cnn()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('data')
    ap.add_argument('model', choices=['mlp', 'cnn'])
    ap.add_argument('opt', choices=['sgd', 'adam'])
    ap.add_argument('threads', type=int)
    ap.add_argument('--warmup', type=int, default=50)
    ap.add_argument('--steps', type=int, default=300)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    tensors = read_safetensors(args.data)
    prefix = args.model + '.'
    model = model_for(args.model)
    state = {k[len(prefix):]: v for k, v in tensors.items()
             if k.startswith(prefix) and not k[len(prefix):].startswith(('x.', 'y.'))}
    model.load_state_dict(state)
    xs, ys = [], []
    while prefix + 'x.%d' % len(xs) in tensors:
        xs.append(tensors[prefix + 'x.%d' % len(xs)])
        ys.append(tensors[prefix + 'y.%d' % len(ys)])
    opt = (torch.optim.SGD(model.parameters(), lr=0.01) if args.opt == 'sgd'
           else torch.optim.Adam(model.parameters(), lr=1e-3))
    lossf = torch.nn.CrossEntropyLoss()

    def step(i):
        x, y = xs[i % len(xs)], ys[i % len(ys)]
        opt.zero_grad(set_to_none=True)
        loss = lossf(model(x), y)
        loss.backward()
        opt.step()
        return loss

    losses = [step(i).item() for i in range(10)]
    for i in range(args.warmup):
        step(10 + i)
    ts = []
    for i in range(args.steps):
        t0 = time.perf_counter()
        step(10 + args.warmup + i)
        ts.append((time.perf_counter() - t0) * 1e3)
    s = sorted(ts)
    print('torch %s %s %s threads=%d median=%.4f p10=%.4f p90=%.4f loss0=%.7f loss9=%.7f' % (
        torch.__version__, args.model, args.opt, torch.get_num_threads(), statistics.median(ts),
        s[len(s) // 10], s[min(len(s) - 1, len(s) * 9 // 10)], losses[0], losses[9]))


if __name__ == '__main__':
    main()
