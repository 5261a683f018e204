package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.ParamUpdate;

/**
 * Optimizer updates as plain loops over elements [from, to), in float32 and float64: one pass
 * that reads the parameter, the gradient and the state and writes their new values. The order
 * of operations is {@link ParamUpdate#compose}'s, so that every path rounds alike. A null state
 * array is the first step ({@link ParamUpdate}); a null output is a state the update has not.
 */
final class UpdateLoops {
  private UpdateLoops() {}

  static void sgd(ParamUpdate.Sgd u, float[] p, float[] g, float[] buf, float[] outP,
      float[] outBuf, int from, int to) {
    float lr = (float) u.lr();
    float mom = (float) u.momentum();
    float keep = (float) (1 - u.dampening());
    float wd = (float) u.weightDecay();
    boolean decay = u.weightDecay() != 0;
    boolean momentum = u.momentum() != 0;
    boolean nesterov = u.nesterov();
    boolean maximize = u.maximize();
    for (int i = from; i < to; i++) {
      float d = maximize ? -g[i] : g[i];
      if (decay) d = d + p[i] * wd;
      if (momentum) {
        float b = buf == null ? d : buf[i] * mom + d * keep;
        outBuf[i] = b;
        d = nesterov ? d + b * mom : b;
      }
      outP[i] = p[i] - d * lr;
    }
  }

  static void sgd(ParamUpdate.Sgd u, double[] p, double[] g, double[] buf, double[] outP,
      double[] outBuf, int from, int to) {
    double lr = u.lr();
    double mom = u.momentum();
    double keep = 1 - u.dampening();
    double wd = u.weightDecay();
    boolean decay = wd != 0;
    boolean momentum = mom != 0;
    boolean nesterov = u.nesterov();
    boolean maximize = u.maximize();
    for (int i = from; i < to; i++) {
      double d = maximize ? -g[i] : g[i];
      if (decay) d = d + p[i] * wd;
      if (momentum) {
        double b = buf == null ? d : buf[i] * mom + d * keep;
        outBuf[i] = b;
        d = nesterov ? d + b * mom : b;
      }
      outP[i] = p[i] - d * lr;
    }
  }

  static void adam(ParamUpdate.Adam u, float[] p, float[] g, float[] m, float[] v, float[] vmax,
      float[] outP, float[] outM, float[] outV, float[] outVmax, int from, int to) {
    float b1 = (float) u.beta1();
    float c1 = (float) (1 - u.beta1());
    float b2 = (float) u.beta2();
    float c2 = (float) (1 - u.beta2());
    float stepSize = (float) u.stepSize();
    float bc2 = (float) u.biasCorrection2Sqrt();
    float eps = (float) u.eps();
    float wd = (float) u.weightDecay();
    float shrink = (float) (1 - u.lr() * u.weightDecay());
    boolean decoupled = u.decoupled();
    boolean decay = !decoupled && u.weightDecay() != 0;
    boolean amsgrad = u.amsgrad();
    boolean maximize = u.maximize();
    for (int i = from; i < to; i++) {
      float d = maximize ? -g[i] : g[i];
      float pi = p[i];
      if (decoupled) pi = pi * shrink;
      if (decay) d = d + pi * wd;
      float mi = d * c1;
      if (m != null) mi = m[i] * b1 + mi;
      float vi = d * c2 * d;
      if (v != null) vi = v[i] * b2 + vi;
      outM[i] = mi;
      outV[i] = vi;
      if (amsgrad) {
        vi = vmax == null ? vi : Math.max(vmax[i], vi);
        outVmax[i] = vi;
      }
      float denom = (float) Math.sqrt(vi) / bc2 + eps;
      outP[i] = pi - mi * stepSize / denom;
    }
  }

  static void adam(ParamUpdate.Adam u, double[] p, double[] g, double[] m, double[] v,
      double[] vmax, double[] outP, double[] outM, double[] outV, double[] outVmax, int from,
      int to) {
    double b1 = u.beta1();
    double c1 = 1 - u.beta1();
    double b2 = u.beta2();
    double c2 = 1 - u.beta2();
    double stepSize = u.stepSize();
    double bc2 = u.biasCorrection2Sqrt();
    double eps = u.eps();
    double wd = u.weightDecay();
    double shrink = 1 - u.lr() * u.weightDecay();
    boolean decoupled = u.decoupled();
    boolean decay = !decoupled && wd != 0;
    boolean amsgrad = u.amsgrad();
    boolean maximize = u.maximize();
    for (int i = from; i < to; i++) {
      double d = maximize ? -g[i] : g[i];
      double pi = p[i];
      if (decoupled) pi = pi * shrink;
      if (decay) d = d + pi * wd;
      double mi = d * c1;
      if (m != null) mi = m[i] * b1 + mi;
      double vi = d * c2 * d;
      if (v != null) vi = v[i] * b2 + vi;
      outM[i] = mi;
      outV[i] = vi;
      if (amsgrad) {
        vi = vmax == null ? vi : Math.max(vmax[i], vi);
        outVmax[i] = vi;
      }
      double denom = Math.sqrt(vi) / bc2 + eps;
      outP[i] = pi - mi * stepSize / denom;
    }
  }

  static void rmsProp(ParamUpdate.RmsProp u, float[] p, float[] g, float[] sq, float[] buf,
      float[] ga, float[] outP, float[] outSq, float[] outBuf, float[] outGa, int from, int to) {
    float a = (float) u.alpha();
    float ca = (float) (1 - u.alpha());
    float eps = (float) u.eps();
    float wd = (float) u.weightDecay();
    float mom = (float) u.momentum();
    float lr = (float) u.lr();
    boolean decay = u.weightDecay() != 0;
    boolean momentum = u.momentum() > 0;
    boolean centered = u.centered();
    boolean maximize = u.maximize();
    for (int i = from; i < to; i++) {
      float d = maximize ? -g[i] : g[i];
      if (decay) d = d + p[i] * wd;
      float s = d * ca * d;
      if (sq != null) s = sq[i] * a + s;
      outSq[i] = s;
      float avg;
      if (centered) {
        float q = d * ca;
        if (ga != null) q = ga[i] * a + q;
        outGa[i] = q;
        avg = (float) Math.sqrt(s - q * q) + eps;
      } else {
        avg = (float) Math.sqrt(s) + eps;
      }
      if (momentum) {
        float b = d / avg;
        if (buf != null) b = buf[i] * mom + b;
        outBuf[i] = b;
        outP[i] = p[i] - b * lr;
      } else {
        outP[i] = p[i] - d * lr / avg;
      }
    }
  }

  static void rmsProp(ParamUpdate.RmsProp u, double[] p, double[] g, double[] sq, double[] buf,
      double[] ga, double[] outP, double[] outSq, double[] outBuf, double[] outGa, int from,
      int to) {
    double a = u.alpha();
    double ca = 1 - u.alpha();
    double eps = u.eps();
    double wd = u.weightDecay();
    double mom = u.momentum();
    double lr = u.lr();
    boolean decay = wd != 0;
    boolean momentum = mom > 0;
    boolean centered = u.centered();
    boolean maximize = u.maximize();
    for (int i = from; i < to; i++) {
      double d = maximize ? -g[i] : g[i];
      if (decay) d = d + p[i] * wd;
      double s = d * ca * d;
      if (sq != null) s = sq[i] * a + s;
      outSq[i] = s;
      double avg;
      if (centered) {
        double q = d * ca;
        if (ga != null) q = ga[i] * a + q;
        outGa[i] = q;
        avg = Math.sqrt(s - q * q) + eps;
      } else {
        avg = Math.sqrt(s) + eps;
      }
      if (momentum) {
        double b = d / avg;
        if (buf != null) b = buf[i] * mom + b;
        outBuf[i] = b;
        outP[i] = p[i] - b * lr;
      } else {
        outP[i] = p[i] - d * lr / avg;
      }
    }
  }
}
