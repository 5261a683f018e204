package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.ParamUpdate;
import dev.adjoint.tensor.Tensor;

/**
 * {@link dev.adjoint.tensor.Backend#update} on the CPU: the parameter, gradient and state as
 * dense arrays, new arrays for the results, and one pass of {@link UpdateLoops} (float64) or of
 * the chosen {@link FloatKernels} (float32) over them; large tensors are split among the cores.
 */
final class CpuUpdates {
  /** Elements per chunk below which one thread does the whole tensor. */
  private static final int CHUNK = 1 << 16;

  private CpuUpdates() {}

  static Tensor[] apply(FloatKernels kernels, ParamUpdate u, Tensor p, Tensor g, Tensor[] st) {
    DType t = p.dtype();
    boolean dense = t.isFloating() && g.dtype() == t;
    for (Tensor s : st) dense &= s == null || s.dtype() == t;
    if (!dense) return u.compose(p, g, st);
    int n = p.numel();
    CpuStorage param = storage(p);
    CpuStorage grad = storage(g);
    CpuStorage[] in = new CpuStorage[st.length];
    CpuStorage[] out = new CpuStorage[st.length];
    for (int i = 0; i < st.length; i++) {
      in[i] = st[i] == null ? null : storage(st[i]);
      out[i] = CpuStorage.allocate(t, n);
    }
    CpuStorage next = CpuStorage.allocate(t, n);
    int chunks = Math.max(1, Math.min(Parallel.threads(), n / CHUNK));
    Parallel.forEach(chunks, c -> run(kernels, u, param, grad, in, next, out,
        (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    int[] shape = p.shape();
    Tensor[] result = new Tensor[1 + st.length];
    result[0] = new Tensor(next, shape);
    for (int i = 0; i < st.length; i++) result[1 + i] = new Tensor(out[i], shape);
    return result;
  }

  /** The elements in a dense array (a copy only for a view). */
  private static CpuStorage storage(Tensor t) {
    return (CpuStorage) t.contiguous().storage();
  }

  /** State slot {@code i}'s array, or null (not yet there, or -1: the update has none). */
  private static float[] f(CpuStorage[] s, int i) {
    return i >= 0 && i < s.length && s[i] != null ? s[i].f : null;
  }

  private static double[] d(CpuStorage[] s, int i) {
    return i >= 0 && i < s.length && s[i] != null ? s[i].d : null;
  }

  private static void run(FloatKernels k, ParamUpdate u, CpuStorage p, CpuStorage g,
      CpuStorage[] in, CpuStorage next, CpuStorage[] out, int from, int to) {
    boolean f32 = p.f != null;
    if (u instanceof ParamUpdate.Sgd) {
      ParamUpdate.Sgd s = (ParamUpdate.Sgd) u;
      if (f32) k.sgd(s, p.f, g.f, f(in, 0), next.f, f(out, 0), from, to);
      else UpdateLoops.sgd(s, p.d, g.d, d(in, 0), next.d, d(out, 0), from, to);
    } else if (u instanceof ParamUpdate.Adam) {
      ParamUpdate.Adam a = (ParamUpdate.Adam) u;
      if (f32) {
        k.adam(a, p.f, g.f, f(in, 0), f(in, 1), f(in, 2), next.f, f(out, 0), f(out, 1),
            f(out, 2), from, to);
      } else {
        UpdateLoops.adam(a, p.d, g.d, d(in, 0), d(in, 1), d(in, 2), next.d, d(out, 0),
            d(out, 1), d(out, 2), from, to);
      }
    } else {
      ParamUpdate.RmsProp r = (ParamUpdate.RmsProp) u;
      int buf = r.momentum() > 0 ? 1 : -1;
      int ga = r.centered() ? (buf > 0 ? 2 : 1) : -1;
      if (f32) {
        k.rmsProp(r, p.f, g.f, f(in, 0), f(in, buf), f(in, ga), next.f, f(out, 0), f(out, buf),
            f(out, ga), from, to);
      } else {
        UpdateLoops.rmsProp(r, p.d, g.d, d(in, 0), d(in, buf), d(in, ga), next.d, d(out, 0),
            d(out, buf), d(out, ga), from, to);
      }
    }
  }
}
