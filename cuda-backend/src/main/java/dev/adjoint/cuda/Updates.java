package dev.adjoint.cuda;

import static dev.adjoint.cuda.CudaRuntime.base;
import static dev.adjoint.cuda.CudaRuntime.suffix;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.ParamUpdate;
import dev.adjoint.tensor.Tensor;

/**
 * Fused optimizer steps ({@code Backend.update}): one kernel per parameter that writes the new
 * parameter and state, instead of a dozen element-wise launches. Parameters and states of
 * another dtype than the parameter's take {@link ParamUpdate#compose}.
 */
final class Updates {
  static final int MAXIMIZE = 1;
  static final int DECAY = 2;
  static final int MOMENTUM = 4;
  static final int NESTEROV = 8;
  static final int DECOUPLED = 16;
  static final int AMSGRAD = 32;
  static final int CENTERED = 64;

  private final CudaRuntime rt;
  private final Elementwise elementwise;

  Updates(CudaRuntime rt, Elementwise elementwise) {
    this.rt = rt;
    this.elementwise = elementwise;
  }

  Tensor[] update(ParamUpdate u, Tensor param, Tensor grad, Tensor[] state) {
    DType t = param.dtype();
    boolean same = t.isFloating() && grad.dtype() == t;
    for (Tensor s : state) same &= s == null || s.dtype() == t;
    if (!same) return u.compose(param, grad, state);
    int n = param.numel();
    int[] shape = param.shape();
    Tensor p = dense(param);
    Tensor g = dense(grad);
    Tensor[] in = new Tensor[3];
    CudaStorage[] out = new CudaStorage[3];
    int[] slot = slots(u);
    for (int i = 0; i < state.length; i++) {
      in[slot[i]] = state[i] == null ? null : dense(state[i]);
      out[slot[i]] = rt.alloc(t, n);
    }
    CudaStorage next = rt.alloc(t, n);
    if (n > 0) {
      long[] s = new long[3];
      long[] o = new long[3];
      for (int i = 0; i < 3; i++) {
        s[i] = in[i] == null ? 0 : CudaRuntime.first(in[i]);
        o[i] = out[i] == null ? 0 : out[i].address;
      }
      Params params = params(CudaRuntime.first(p), CudaRuntime.first(g), s, next.address, o,
          hyper(u), n, flags(u));
      rt.launch(Kernels.OPTIM, "update_" + kind(u) + "_" + suffix(t),
          Launch.linear(n, rt.multiprocessors), params);
    }
    Tensor[] result = new Tensor[1 + state.length];
    result[0] = new Tensor(next, shape);
    for (int i = 0; i < state.length; i++) result[1 + i] = new Tensor(out[slot[i]], shape);
    drop(p, param);
    drop(g, grad);
    for (int i = 0; i < state.length; i++) {
      if (state[i] != null) drop(in[slot[i]], state[i]);
    }
    return result;
  }

  private Tensor dense(Tensor t) {
    return t.isContiguous() ? t : elementwise.copy(t, t.dtype());
  }

  private void drop(Tensor used, Tensor original) {
    elementwise.dropIfCopy(used, original);
  }

  static String kind(ParamUpdate u) {
    if (u instanceof ParamUpdate.Sgd) return "sgd";
    if (u instanceof ParamUpdate.Adam) return "adam";
    return "rmsprop";
  }

  /** Where each state tensor of {@code u} goes among the kernel's three state slots. */
  static int[] slots(ParamUpdate u) {
    if (u instanceof ParamUpdate.RmsProp) {
      ParamUpdate.RmsProp r = (ParamUpdate.RmsProp) u;
      // state order: sq, then buf (momentum), then ga (centered); kernel slots: sq, buf, ga
      if (r.momentum() > 0) return new int[] {0, 1, 2};
      return new int[] {0, 2};
    }
    return new int[] {0, 1, 2};
  }

  /** The hyperparameters in the kernels' order, in double (rounded to T on the device). */
  static double[] hyper(ParamUpdate u) {
    if (u instanceof ParamUpdate.Sgd) {
      ParamUpdate.Sgd s = (ParamUpdate.Sgd) u;
      return new double[] {s.lr(), s.momentum(), 1 - s.dampening(), s.weightDecay()};
    }
    if (u instanceof ParamUpdate.Adam) {
      ParamUpdate.Adam a = (ParamUpdate.Adam) u;
      return new double[] {a.beta1(), 1 - a.beta1(), a.beta2(), 1 - a.beta2(), a.stepSize(),
          a.biasCorrection2Sqrt(), a.eps(), a.weightDecay(), 1 - a.lr() * a.weightDecay()};
    }
    ParamUpdate.RmsProp r = (ParamUpdate.RmsProp) u;
    return new double[] {r.alpha(), 1 - r.alpha(), r.eps(), r.weightDecay(), r.momentum(),
        r.lr()};
  }

  static int flags(ParamUpdate u) {
    if (u instanceof ParamUpdate.Sgd) {
      ParamUpdate.Sgd s = (ParamUpdate.Sgd) u;
      return (s.maximize() ? MAXIMIZE : 0) | (s.weightDecay() != 0 ? DECAY : 0)
          | (s.momentum() != 0 ? MOMENTUM : 0) | (s.nesterov() ? NESTEROV : 0);
    }
    if (u instanceof ParamUpdate.Adam) {
      ParamUpdate.Adam a = (ParamUpdate.Adam) u;
      return (a.maximize() ? MAXIMIZE : 0) | (a.decoupled() ? DECOUPLED : 0)
          | (!a.decoupled() && a.weightDecay() != 0 ? DECAY : 0) | (a.amsgrad() ? AMSGRAD : 0);
    }
    ParamUpdate.RmsProp r = (ParamUpdate.RmsProp) u;
    return (r.maximize() ? MAXIMIZE : 0) | (r.weightDecay() != 0 ? DECAY : 0)
        | (r.momentum() > 0 ? MOMENTUM : 0) | (r.centered() ? CENTERED : 0);
  }

  /** The kernels' {@code UpdateParams}. */
  static Params params(long p, long g, long[] state, long outP, long[] out, double[] h, int n,
      int flags) {
    Params params = new Params().ptr(p).ptr(g);
    for (long s : state) params.ptr(s);
    params.ptr(outP);
    for (long o : out) params.ptr(o);
    for (int i = 0; i < 10; i++) params.f64(i < h.length ? h[i] : 0);
    return params.i32(n).i32(flags);
  }
}
