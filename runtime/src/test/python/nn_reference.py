#!/usr/bin/env python3
"""Reference outputs and gradients from PyTorch for Adjoint's dev.adjoint.nn tests.

Run from the repository root with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 runtime/src/test/python/nn_reference.py

It writes runtime/src/test/resources/dev/adjoint/nn/nn_reference.safetensors, which
NnReferenceTest reads. For every case (a layer, an activation, a loss) and both float32 and
float64, with inputs drawn once in float64 (so both dtypes see the same values):

  <case>.<f32|f64>.in.<name>     inputs (INT64 labels and indices too)
  <case>.<f32|f64>.param.<name>  parameters and buffers
  <case>.<f32|f64>.out           the output, computed by torch in that dtype
  <case>.<f32|f64>.cot           a cotangent for the output
  <case>.<f32|f64>.grad.<name>   gradients of sum(out * cot) by torch.autograd
  <case>.<f32|f64>.after.<name>  buffers after the call (BatchNorm's running statistics)

plus torch.nn.init's gains and fans (init.*), torch.erf on 2,000 points (erf.*), and as metadata
each torch module's state_dict keys (names.Linear, ...). Layers are
called through torch.nn.functional with the same tensors the Java side builds its records from;
the configurations (strides, heads, reductions) are written out in NnReferenceTest too.
"""
import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pytorch_reference import write_safetensors  # noqa: E402

OUT = os.path.join(HERE, '..', 'resources', 'dev', 'adjoint', 'nn', 'nn_reference.safetensors')
DTYPES = ((torch.float32, 'f32'), (torch.float64, 'f64'))
tensors = {}
gen = torch.Generator().manual_seed(20261201)


def randn(*shape):
    return torch.randn(tuple(shape), generator=gen, dtype=torch.float64)


def rand(*shape):
    return torch.rand(tuple(shape), generator=gen, dtype=torch.float64)


def labels(n, classes, *more):
    return torch.randint(0, classes, (n,) + more, generator=gen)


def case(name, fn, inputs, params=None, const=None):
    """Runs fn(inputs, params, const) in both dtypes and stores everything.

    inputs and params are differentiated where floating; const (masks, class weights, buffers)
    is not. fn returns the output, or (output, {buffer name: value after the call}).
    """
    params = params or {}
    const = const or {}
    cot = None
    for dtype, tag in DTYPES:
        def cast(v, grad):
            if v is None or not v.is_floating_point():
                return v
            v = v.to(dtype).clone()
            return v.requires_grad_() if grad else v
        ins = {k: cast(v, True) for k, v in inputs.items()}
        ps = {k: cast(v, True) for k, v in params.items()}
        cs = {k: cast(v, False) for k, v in const.items()}
        result = fn(ins, ps, cs)
        out, after = result if isinstance(result, tuple) else (result, {})
        if cot is None:
            cot = randn(*out.shape)
        (out * cot.to(dtype)).sum().backward()
        prefix = '%s.%s.' % (name, tag)
        for role, values in (('in', ins), ('param', ps), ('param', cs)):
            for k, v in values.items():
                if v is not None:
                    tensors[prefix + role + '.' + k] = v.detach()
        for k, v in list(ins.items()) + list(ps.items()):
            if v is not None and v.is_floating_point() and v.grad is not None:
                tensors[prefix + 'grad.' + k] = v.grad
        for k, v in after.items():
            tensors[prefix + 'after.' + k] = v.detach()
        tensors[prefix + 'out'] = out.detach()
        tensors[prefix + 'cot'] = cot.to(dtype)


def layers():
    case('linear', lambda i, p, c: F.linear(i['x'], p['weight'], p['bias']),
         {'x': randn(2, 3, 5)}, {'weight': randn(4, 5), 'bias': randn(4)})
    case('linear_nobias', lambda i, p, c: F.linear(i['x'], p['weight']),
         {'x': randn(3, 5)}, {'weight': randn(4, 5)})
    case('conv2d', lambda i, p, c: F.conv2d(i['x'], p['weight'], p['bias'], stride=2, padding=1,
                                            groups=2),
         {'x': randn(2, 4, 7, 7)}, {'weight': randn(6, 2, 3, 3), 'bias': randn(6)})
    case('conv2d_dilated', lambda i, p, c: F.conv2d(i['x'], p['weight'], padding=2, dilation=2),
         {'x': randn(2, 3, 8, 8)}, {'weight': randn(4, 3, 3, 3)})
    case('conv2d_unbatched', lambda i, p, c: F.conv2d(i['x'], p['weight'], p['bias']),
         {'x': randn(3, 6, 6)}, {'weight': randn(2, 3, 3, 3), 'bias': randn(2)})
    idx = labels(3, 10, 5)
    idx[0, 0] = 1
    idx[2, 3] = 1
    case('embedding', lambda i, p, c: F.embedding(i['indices'], p['weight'], padding_idx=1),
         {'indices': idx}, {'weight': randn(10, 4)})
    case('embedding_plain', lambda i, p, c: F.embedding(i['indices'], p['weight']),
         {'indices': torch.tensor([3, 0, 3, 9, 2, 2, 7])}, {'weight': randn(10, 4)})
    case('layernorm', lambda i, p, c: F.layer_norm(i['x'], (4, 6), p['weight'], p['bias']),
         {'x': randn(3, 4, 6) * 2 + 1}, {'weight': randn(4, 6), 'bias': randn(4, 6)})
    case('layernorm_plain', lambda i, p, c: F.layer_norm(i['x'], (6,), eps=1e-3),
         {'x': randn(5, 6)})

    def batch_norm(training, momentum):
        def fn(i, p, c):
            rm = c['running_mean'].clone()
            rv = c['running_var'].clone()
            out = F.batch_norm(i['x'], rm, rv, p.get('weight'), p.get('bias'), training,
                               momentum if momentum is not None
                               else 1.0 / (c['num_batches_tracked'].item() + 1),
                               1e-5)
            return out, {'running_mean': rm, 'running_var': rv}
        return fn
    for name, shape, affine, training, momentum in (
            ('batchnorm1d', (8, 5), True, True, 0.1),
            ('batchnorm1d_length', (4, 5, 6), True, True, 0.1),
            ('batchnorm2d_cumulative', (4, 5, 3, 3), True, True, None),
            ('batchnorm2d_eval', (4, 5, 3, 3), True, False, 0.1),
            ('batchnorm_noaffine', (6, 5), False, True, 0.3)):
        params = {'weight': randn(5), 'bias': randn(5)} if affine else {}
        # without momentum, the cumulative average: factor 1 / (num_batches_tracked + 1)
        const = {'running_mean': randn(5), 'running_var': rand(5) + 0.5,
                 'num_batches_tracked': torch.tensor(3)}
        case(name, batch_norm(training, momentum), {'x': randn(*shape) * 1.5 + 0.5}, params,
             const)

    def mha(heads, bias, mask_kind):
        def fn(i, p, c):
            q = i['query']
            k = i.get('key', q)
            v = i.get('value', q)
            unbatched = q.dim() == 2
            if unbatched:
                q, k, v = q.unsqueeze(1), k.unsqueeze(1), v.unsqueeze(1)
            else:
                q, k, v = q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1)
            e = q.shape[-1]
            mask = None
            if mask_kind == 'causal':
                mask = torch.triu(torch.full((q.shape[0], q.shape[0]), -math.inf,
                                             dtype=q.dtype), diagonal=1)
            elif mask_kind == 'given':
                mask = c['attn_mask']
            out, _ = F.multi_head_attention_forward(
                q, k, v, e, heads, p['in_proj_weight'], p.get('in_proj_bias'), None, None, False,
                0.0, p['out_proj_weight'], p.get('out_proj_bias'), training=True,
                need_weights=False, attn_mask=mask)
            return out.squeeze(1) if unbatched else out.transpose(0, 1)
        return fn

    def mha_params(e, bias):
        p = {'in_proj_weight': randn(3 * e, e) / math.sqrt(e), 'out_proj_weight': randn(e, e)}
        if bias:
            p['in_proj_bias'] = randn(3 * e)
            p['out_proj_bias'] = randn(e)
        return p
    case('mha_self', mha(2, True, None), {'query': randn(2, 5, 8)}, mha_params(8, True))
    case('mha_causal', mha(4, True, 'causal'), {'query': randn(2, 5, 8)}, mha_params(8, True))
    case('mha_cross', mha(2, False, 'given'),
         {'query': randn(2, 4, 8), 'key': randn(2, 6, 8), 'value': randn(2, 6, 8)},
         mha_params(8, False), {'attn_mask': randn(4, 4, 6)})
    case('mha_unbatched', mha(2, True, None), {'query': randn(5, 8)}, mha_params(8, True))


ACTIVATIONS = {
    'gelu': F.gelu,
    'gelu_tanh': lambda x: F.gelu(x, approximate='tanh'),
    'silu': F.silu,
    'mish': F.mish,
    'leaky_relu': F.leaky_relu,
    'leaky_relu_0.2': lambda x: F.leaky_relu(x, 0.2),
    'elu': F.elu,
    'elu_0.5': lambda x: F.elu(x, 0.5),
    'selu': F.selu,
    'celu_1.5': lambda x: F.celu(x, 1.5),
    'softplus': F.softplus,
    'softplus_2_5': lambda x: F.softplus(x, beta=2, threshold=5),
    'logsigmoid': F.logsigmoid,
    'hardtanh': F.hardtanh,
    'hardtanh_-2_1.5': lambda x: F.hardtanh(x, -2, 1.5),
    'relu6': F.relu6,
    'hardsigmoid': F.hardsigmoid,
    'hardswish': F.hardswish,
    'softsign': F.softsign,
}


def activations():
    # the kinks and switch points of every activation above, and random values
    special = torch.tensor([0.0, 1.0, -1.0, 3.0, -3.0, 6.0, -6.0, 2.5, -2.0, 1.5, 20.0, 25.0,
                            -25.0, 45.0, -45.0, 0.5, -0.5, 1e-3, -1e-3, 100.0], dtype=torch.float64)
    x = torch.cat([special, randn(28) * 3]).reshape(6, 8)
    for name, fn in ACTIVATIONS.items():
        xs = x
        if name == 'hardswish':
            # torch 1.13 disagrees with itself at exactly 3: its vectorized backward gives 1,
            # its scalar one (and its documented formula, and Adjoint) 1.5
            xs = torch.where(x == 3, torch.tensor(3.25, dtype=x.dtype), x)
        case('act.' + name, lambda i, p, c, fn=fn: fn(i['x']), {'x': xs})


def losses():
    n, c = 6, 5
    logits = randn(n, c) * 2
    y = labels(n, c)
    y_ignored = y.clone()
    y_ignored[1] = -100
    y_ignored[4] = -100
    weight = rand(c) + 0.5
    ce = F.cross_entropy
    case('ce', lambda i, p, k: ce(i['logits'], i['labels']), {'logits': logits, 'labels': y})
    case('ce_sum', lambda i, p, k: ce(i['logits'], i['labels'], reduction='sum'),
         {'logits': logits, 'labels': y})
    case('ce_none', lambda i, p, k: ce(i['logits'], i['labels'], reduction='none'),
         {'logits': logits, 'labels': y})
    case('ce_ignore', lambda i, p, k: ce(i['logits'], i['labels']),
         {'logits': logits, 'labels': y_ignored})
    case('ce_smooth', lambda i, p, k: ce(i['logits'], i['labels'], label_smoothing=0.1),
         {'logits': logits, 'labels': y_ignored})
    # class 2 is a valid class that is ignored; weights and smoothing together
    case('ce_weight_ignore_smooth',
         lambda i, p, k: ce(i['logits'], i['labels'], weight=k['weight'], ignore_index=2,
                            label_smoothing=0.2),
         {'logits': logits, 'labels': y}, const={'weight': weight})
    y_spatial = labels(2, 4, 3, 3)
    y_spatial[0, 1, 1] = -100
    case('ce_spatial', lambda i, p, k: ce(i['logits'], i['labels'], label_smoothing=0.3),
         {'logits': randn(2, 4, 3, 3), 'labels': y_spatial})
    case('ce_spatial_weight_none',
         lambda i, p, k: ce(i['logits'], i['labels'], weight=k['weight'], reduction='none',
                            label_smoothing=0.1),
         {'logits': randn(2, 4, 3, 3), 'labels': y_spatial}, const={'weight': rand(4) + 0.5})
    case('ce_unbatched', lambda i, p, k: ce(i['logits'], i['labels']),
         {'logits': randn(c), 'labels': torch.tensor(3)})
    case('nll', lambda i, p, k: F.nll_loss(i['logp'], i['labels']),
         {'logp': randn(n, c), 'labels': y})
    case('nll_weight_ignore_sum',
         lambda i, p, k: F.nll_loss(i['logp'], i['labels'], weight=k['weight'], reduction='sum'),
         {'logp': randn(n, c), 'labels': y_ignored}, const={'weight': weight})

    pred = randn(4, 3)
    target = randn(4, 3)
    same = target.clone()
    same[0, 0] = pred[0, 0]
    same[2, 1] = pred[2, 1]
    case('mse', lambda i, p, k: F.mse_loss(i['prediction'], i['target']),
         {'prediction': pred, 'target': target})
    case('mse_none', lambda i, p, k: F.mse_loss(i['prediction'], i['target'], reduction='none'),
         {'prediction': pred, 'target': target})
    case('l1', lambda i, p, k: F.l1_loss(i['prediction'], i['target']),
         {'prediction': pred, 'target': same})
    case('l1_sum', lambda i, p, k: F.l1_loss(i['prediction'], i['target'], reduction='sum'),
         {'prediction': pred, 'target': same})
    case('huber', lambda i, p, k: F.huber_loss(i['prediction'], i['target'], delta=0.7),
         {'prediction': pred, 'target': target})
    case('smooth_l1_sum',
         lambda i, p, k: F.smooth_l1_loss(i['prediction'], i['target'], beta=0.5,
                                          reduction='sum'),
         {'prediction': pred, 'target': target})
    z = randn(4, 3) * 3
    z[0, 0] = 0.0
    z[1, 2] = 40.0
    z[3, 1] = -40.0
    t = rand(4, 3)
    t[2, 2] = 1.0
    t[3, 0] = 0.0
    bce = F.binary_cross_entropy_with_logits
    case('bce', lambda i, p, k: bce(i['logits'], i['target']), {'logits': z, 'target': t})
    case('bce_none', lambda i, p, k: bce(i['logits'], i['target'], reduction='none'),
         {'logits': z, 'target': t})
    case('bce_weighted_sum',
         lambda i, p, k: bce(i['logits'], i['target'], weight=k['weight'],
                             pos_weight=k['pos_weight'], reduction='sum'),
         {'logits': z, 'target': t}, const={'weight': rand(4, 1) + 0.5,
                                            'pos_weight': rand(3) * 3})


def init_references():
    names = {'linear': ('linear', None), 'conv2d': ('conv2d', None), 'sigmoid': ('sigmoid', None),
             'tanh': ('tanh', None), 'relu': ('relu', None), 'leaky_relu': ('leaky_relu', None),
             'leaky_relu_0.2': ('leaky_relu', 0.2), 'leaky_relu_sqrt5': ('leaky_relu',
                                                                         math.sqrt(5)),
             'selu': ('selu', None)}
    for key, (nl, param) in names.items():
        tensors['init.gain.' + key] = torch.tensor(torch.nn.init.calculate_gain(nl, param),
                                                   dtype=torch.float64)
    for i, shape in enumerate([(5, 3), (6, 2, 3, 3), (4, 7, 5), (1, 1)]):
        w = torch.empty(*shape)
        fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(w)
        tensors['init.fan.%d.shape' % i] = torch.tensor(shape)
        tensors['init.fan.%d' % i] = torch.tensor([fan_in, fan_out])


def erf_references():
    x = torch.cat([torch.linspace(-7, 7, 1401, dtype=torch.float64), randn(500) * 2,
                   torch.logspace(-12, 0.5, 99, dtype=torch.float64)])
    tensors['erf.f64.in.x'] = x
    tensors['erf.f64.out'] = torch.erf(x)
    tensors['erf.f32.in.x'] = x.to(torch.float32)
    tensors['erf.f32.out'] = torch.erf(x.to(torch.float32))


def state_dict_names():
    """The state_dict keys of each torch module, in order, as metadata 'names.<Module>'."""
    modules = {'Linear': torch.nn.Linear(3, 2), 'Conv2d': torch.nn.Conv2d(2, 4, 3),
               'Embedding': torch.nn.Embedding(5, 2), 'LayerNorm': torch.nn.LayerNorm(4),
               'BatchNorm': torch.nn.BatchNorm2d(3),
               'MultiheadAttention': torch.nn.MultiheadAttention(4, 2, batch_first=True)}
    return {'names.' + k: ','.join(m.state_dict().keys()) for k, m in modules.items()}


def main():
    torch.set_num_threads(1)
    layers()
    activations()
    losses()
    init_references()
    erf_references()
    meta = {'torch': torch.__version__, 'source': 'nn_reference.py'}
    meta.update(state_dict_names())
    write_safetensors(OUT, tensors, meta)
    print('wrote %d tensors to %s with torch %s' % (len(tensors), os.path.relpath(OUT),
                                                   torch.__version__))


if __name__ == '__main__':
    main()
