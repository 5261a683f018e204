#!/usr/bin/env python3
"""Chebyshev coefficients of erfc(x) * exp(x^2) on [1, 3] and [3, 6], for the CPU backend's erf.

Run from the repository root (needs mpmath: apt-get install python3-mpmath):

    /usr/bin/python3 runtime/src/test/python/erf_coefficients.py

and paste the printed arrays into runtime/src/main/java/dev/adjoint/backend/cpu/Erf.java.
The coefficients are computed with 40 significant digits at Chebyshev nodes and cut where they
fall below 1e-17 of the first; ErfTest checks the result against Python's math.erf values.
"""
import mpmath as mp

mp.mp.dps = 40
NODES = 64


def scaled_erfc(x):
    return mp.erfc(x) * mp.exp(x * x)


def chebyshev(f, a, b):
    theta = [mp.pi * (j + mp.mpf(1) / 2) / NODES for j in range(NODES)]
    values = [f((b - a) / 2 * mp.cos(t) + (b + a) / 2) for t in theta]
    cs = [2 * mp.fsum(v * mp.cos(k * t) for v, t in zip(values, theta)) / NODES
          for k in range(NODES)]
    cs[0] /= 2
    last = max(k for k in range(NODES) if abs(cs[k]) > 1e-17 * abs(cs[0]))
    return cs[:last + 1]


for name, (a, b) in [('LOW', (1, 3)), ('HIGH', (3, 6))]:
    cs = chebyshev(scaled_erfc, mp.mpf(a), mp.mpf(b))
    print('  /** erfc(x) exp(x^2) on [%d, %d], %d Chebyshev terms. */' % (a, b, len(cs)))
    print('  private static final double[] %s = {' % name)
    for i in range(0, len(cs), 3):
        print('    ' + ', '.join(mp.nstr(c, 17, min_fixed=1, max_fixed=0) for c in cs[i:i + 3])
              + ',')
    print('  };')
