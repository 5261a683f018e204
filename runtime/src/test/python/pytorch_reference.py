#!/usr/bin/env python3
"""Reference outputs from PyTorch for Adjoint's optim and SafeTensors tests.

Run from the repository root with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 runtime/src/test/python/pytorch_reference.py

It writes, under runtime/src/test/resources/dev/adjoint/:
  optim/optim_reference.safetensors  every optimizer, several steps, float32 and float64, on
                                     fixed parameters and gradients; schedules; clipping
  nn/from_pytorch.safetensors        a torch model's state_dict (Linear, BatchNorm1d, Linear)
  nn/from_pytorch_io.safetensors     an input batch and that model's logits (eval mode)
  nn/dtypes.safetensors              tensors of every dtype torch has, with torch's own
                                     conversion of each to float32 / int64 next to it
and checks nn/from_adjoint.safetensors (written by Adjoint's SafeTensorsInteropTest) by
loading it into the same torch model (strict) and comparing the logits Adjoint computed.
`--check FILE IO_FILE` only does that check (the interop test runs it when torch is there).

The safetensors files are written and read with the few lines of json and struct below (the
safetensors package is not needed): tensors sorted by dtype alignment then name, the header
padded with spaces to 8 bytes, as the reference implementation writes them.
"""
import json
import math
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, '..', 'resources', 'dev', 'adjoint')

# safetensors dtype names, in the reference implementation's alignment order
ORDER = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32',
         'F32', 'F64', 'I64', 'U64']
TORCH = {torch.bool: 'BOOL', torch.uint8: 'U8', torch.int8: 'I8', torch.int16: 'I16',
         torch.float16: 'F16', torch.bfloat16: 'BF16', torch.int32: 'I32', torch.float32: 'F32',
         torch.float64: 'F64', torch.int64: 'I64'}
FROM_NAME = {v: k for k, v in TORCH.items()}


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_safetensors(path, tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(TORCH[kv[1].dtype]), kv[0]))
    header = {}
    if metadata:
        header['__metadata__'] = metadata
    offset = 0
    blobs = []
    for name, t in items:
        b = tensor_bytes(t)
        header[name] = {'dtype': TORCH[t.dtype], 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(',', ':')).encode('utf-8')
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    assert n % 8 == 0, 'header not padded to 8 bytes'
    header = json.loads(data[8:8 + n].decode('utf-8'))
    meta = header.pop('__metadata__', None)
    body = data[8 + n:]
    out = {}
    end = 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]['data_offsets']):
        s, e = info['data_offsets']
        assert s == end, name + ': data not contiguous'
        end = e
        dtype = FROM_NAME[info['dtype']]
        raw = bytearray(body[s:e])
        if dtype == torch.bfloat16:
            t = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16) if raw else torch.zeros(0, dtype=dtype)
        else:
            t = torch.frombuffer(raw, dtype=dtype) if raw else torch.zeros(0, dtype=dtype)
        out[name] = t.reshape(info['shape']).clone()
    assert end == len(body), 'data buffer not fully covered'
    return out, meta


# ---------------------------------------------------------------- optimizers

STEPS = 5
OPTIMIZERS = {
    'sgd': lambda ps: torch.optim.SGD(ps, lr=0.1, foreach=False),
    'sgd_momentum': lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, foreach=False),
    'sgd_dampening': lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, dampening=0.3,
                                                foreach=False),
    'sgd_nesterov': lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True,
                                               weight_decay=0.01, foreach=False),
    'sgd_decay_maximize': lambda ps: torch.optim.SGD(ps, lr=0.1, weight_decay=0.1,
                                                     maximize=True, foreach=False),
    'adam': lambda ps: torch.optim.Adam(ps, lr=0.01, foreach=False),
    'adam_decay_amsgrad': lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1,
                                                      amsgrad=True, foreach=False),
    'adam_betas_maximize': lambda ps: torch.optim.Adam(ps, lr=0.02, betas=(0.8, 0.99),
                                                       eps=1e-6, maximize=True, foreach=False),
    'adamw': lambda ps: torch.optim.AdamW(ps, lr=0.01, foreach=False),
    'adamw_amsgrad': lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1, amsgrad=True,
                                                  foreach=False),
    'rmsprop': lambda ps: torch.optim.RMSprop(ps, lr=0.01, foreach=False),
    'rmsprop_centered_momentum': lambda ps: torch.optim.RMSprop(
        ps, lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.9, centered=True,
        foreach=False),
    'rmsprop_momentum_maximize': lambda ps: torch.optim.RMSprop(
        ps, lr=0.01, momentum=0.5, maximize=True, foreach=False),
    'rmsprop_centered': lambda ps: torch.optim.RMSprop(ps, lr=0.01, centered=True,
                                                       foreach=False),
    # the second parameter has no gradient at steps 2 and 3: PyTorch skips it, state and step
    # count included
    'adam_skip': lambda ps: torch.optim.Adam(ps, lr=0.01, foreach=False),
    # a schedule stepped after every optimizer step
    'sgd_momentum_steplr': lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, foreach=False),
}


def f32(t):
    """Values that float32 holds exactly, as float64."""
    return t.to(torch.float32).to(torch.float64).clone()


def optimizer_references(out):
    g = torch.Generator().manual_seed(7)
    p0 = f32(torch.randn(3, 4, generator=g, dtype=torch.float64))
    p1 = f32(torch.randn(5, generator=g, dtype=torch.float64))
    grads = [(f32(torch.randn(3, 4, generator=g, dtype=torch.float64)),
              f32(torch.randn(5, generator=g, dtype=torch.float64) * 0.1)) for _ in range(STEPS)]
    out['init.p0'] = p0
    out['init.p1'] = p1
    for k, (a, b) in enumerate(grads):
        out['grad%d.p0' % k] = a
        out['grad%d.p1' % k] = b
    for name, make in OPTIMIZERS.items():
        for dtype, dn in ((torch.float32, 'f32'), (torch.float64, 'f64')):
            q0 = p0.clone().to(dtype).requires_grad_(True)
            q1 = p1.clone().to(dtype).requires_grad_(True)
            opt = make([q0, q1])
            sched = torch.optim.lr_scheduler.StepLR(opt, 2, 0.5) if name.endswith('steplr') else None
            for k, (a, b) in enumerate(grads):
                q0.grad = a.to(dtype)
                q1.grad = None if name == 'adam_skip' and k in (1, 2) else b.to(dtype)
                opt.step()
                if sched:
                    sched.step()
                # clone: .to() of a float64 tensor is the tensor itself, which later steps change
                out['%s.%s.step%d.p0' % (name, dn, k)] = q0.detach().to(torch.float64).clone()
                out['%s.%s.step%d.p1' % (name, dn, k)] = q1.detach().to(torch.float64).clone()


def schedule_references(out):
    lrs = torch.optim.lr_scheduler
    makers = {
        'step': lambda o: lrs.StepLR(o, step_size=3, gamma=0.5),
        'multistep': lambda o: lrs.MultiStepLR(o, milestones=[2, 5, 9], gamma=0.3),
        'exponential': lambda o: lrs.ExponentialLR(o, gamma=0.8),
        'cosine': lambda o: lrs.CosineAnnealingLR(o, T_max=5, eta_min=0.001),
        'linear': lambda o: lrs.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4),
        'constant': lambda o: lrs.ConstantLR(o, factor=0.5, total_iters=3),
        'warmup_cosine': lambda o: lrs.SequentialLR(
            o, [lrs.LinearLR(o, start_factor=0.1, total_iters=3),
                lrs.CosineAnnealingLR(o, T_max=8, eta_min=0.0)], milestones=[3]),
        'chained': lambda o: lrs.ChainedScheduler([lrs.StepLR(o, 3, 0.5),
                                                   lrs.ExponentialLR(o, 0.9)]),
        'chained_linear': lambda o: lrs.ChainedScheduler(
            [lrs.LinearLR(o, start_factor=0.5, total_iters=4), lrs.ExponentialLR(o, 0.9)]),
    }
    for name, make in makers.items():
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=0.1)
        s = make(opt)
        seq = [opt.param_groups[0]['lr']]
        for _ in range(12):
            opt.step()
            s.step()
            seq.append(opt.param_groups[0]['lr'])
        out['sched.' + name] = torch.tensor(seq, dtype=torch.float64)


def clip_references(out):
    g = torch.Generator().manual_seed(11)
    g0 = torch.randn(3, 4, generator=g)
    g1 = torch.randn(5, generator=g) * 3
    out['clip.g0'] = g0.to(torch.float64).clone()
    out['clip.g1'] = g1.to(torch.float64).clone()
    cases = {'norm2_clipped': (0.5, 2.0), 'norm2_unclipped': (100.0, 2.0),
             'inf': (0.3, math.inf), 'p1_5': (1.0, 1.5)}
    for name, (max_norm, p) in cases.items():
        a = torch.zeros(3, 4, requires_grad=True)
        b = torch.zeros(5, requires_grad=True)
        a.grad = g0.clone()
        b.grad = g1.clone()
        total = torch.nn.utils.clip_grad_norm_([a, b], max_norm, norm_type=p)
        out['clip.%s.g0' % name] = a.grad.to(torch.float64).clone()
        out['clip.%s.g1' % name] = b.grad.to(torch.float64).clone()
        out['clip.%s.norm' % name] = total.to(torch.float64).clone()
    a = torch.zeros(3, 4, requires_grad=True)
    b = torch.zeros(5, requires_grad=True)
    a.grad = g0.clone()
    b.grad = g1.clone()
    torch.nn.utils.clip_grad_value_([a, b], 0.7)
    out['clip.value.g0'] = a.grad.to(torch.float64).clone()
    out['clip.value.g1'] = b.grad.to(torch.float64).clone()


# ---------------------------------------------------------------- models and dtypes

class Net(torch.nn.Module):
    """The structure of SafeTensorsInteropTest's Net record: fc1, bn, fc2."""

    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(4, 8)
        self.bn = torch.nn.BatchNorm1d(8)
        self.fc2 = torch.nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(torch.relu(self.bn(self.fc1(x))))


def model_fixtures():
    torch.manual_seed(3)
    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(3):  # train mode, so the running statistics move
        x = torch.randn(16, 4)
        loss = net(x).square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()
    x = torch.randn(5, 4)
    with torch.no_grad():
        logits = net(x)
    write_safetensors(os.path.join(RES, 'nn', 'from_pytorch.safetensors'),
                      {k: v.detach() for k, v in net.state_dict().items()},
                      {'format': 'pt', 'source': 'pytorch_reference.py'})
    write_safetensors(os.path.join(RES, 'nn', 'from_pytorch_io.safetensors'),
                      {'x': x, 'logits': logits})


def dtype_fixture():
    specials = torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 1e-7, 6e-8, 3.14159, math.inf,
                             -math.inf, math.nan, 1e5, -1e-40, 1.5e38], dtype=torch.float32)
    t = {}
    for dtype, name in ((torch.float16, 'f16'), (torch.bfloat16, 'bf16')):
        v = specials.to(dtype)
        t[name] = v
        t[name + '.as_f32'] = v.to(torch.float32)
    t['f32'] = specials
    t['f64'] = torch.tensor([math.pi, -1e-300, 1e300, 0.1], dtype=torch.float64).reshape(2, 2)
    ints = torch.tensor([0, 1, -1, 127, -128, 255, 32767, -32768], dtype=torch.int64)
    for dtype, name in ((torch.int8, 'i8'), (torch.uint8, 'u8'), (torch.int16, 'i16'),
                        (torch.int32, 'i32'), (torch.int64, 'i64')):
        v = ints.to(dtype)
        t[name] = v
        t[name + '.as_i64'] = v.to(torch.int64)
    t['i64.big'] = torch.tensor([2 ** 62, -(2 ** 63)], dtype=torch.int64)
    t['i32.big'] = torch.tensor([2 ** 31 - 1, -(2 ** 31)], dtype=torch.int32)
    t['i32.big.as_i64'] = t['i32.big'].to(torch.int64)
    t['bool'] = torch.tensor([True, False, True])
    t['bool.as_i64'] = t['bool'].to(torch.int64)
    t['scalar'] = torch.tensor(2.5, dtype=torch.float32)
    t['empty'] = torch.zeros(0, 3, dtype=torch.float32)
    write_safetensors(os.path.join(RES, 'nn', 'dtypes.safetensors'), t, {'purpose': 'dtypes'})


def check_adjoint_file(path, io_path):
    """Loads what Adjoint wrote into the torch model (strict) and compares its logits."""
    state, meta = read_safetensors(path)
    io, _ = read_safetensors(io_path)
    net = Net()
    net.load_state_dict(state, strict=True)
    net.eval()
    with torch.no_grad():
        logits = net(io['x'])
    err = (logits - io['logits']).abs().max().item()
    if not torch.allclose(logits, io['logits'], rtol=1e-5, atol=1e-6):
        print('FAIL: PyTorch logits differ from Adjoint\'s by %g' % err)
        return 1
    print('OK: PyTorch loaded %s (%d tensors, metadata %s); logits agree to %g'
          % (os.path.basename(path), len(state), meta, err))
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == '--check':
        return check_adjoint_file(argv[2], argv[3])
    torch.set_num_threads(1)
    out = {}
    optimizer_references(out)
    schedule_references(out)
    clip_references(out)
    write_safetensors(os.path.join(RES, 'optim', 'optim_reference.safetensors'), out,
                      {'torch': torch.__version__, 'steps': str(STEPS)})
    model_fixtures()
    dtype_fixture()
    print('wrote references with torch', torch.__version__)
    mine = os.path.join(RES, 'nn', 'from_adjoint.safetensors')
    if os.path.exists(mine):
        return check_adjoint_file(mine, os.path.join(RES, 'nn', 'from_adjoint_io.safetensors'))
    print('no from_adjoint.safetensors yet: run SafeTensorsInteropTest with '
          '-Dadjoint.updateFixtures=true, then this script again')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
