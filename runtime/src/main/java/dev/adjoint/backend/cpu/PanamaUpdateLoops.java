package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.ParamUpdate;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link UpdateLoops}' float32 updates with the Vector API: the same operations in the same
 * order, lane by lane (IEEE mul, add, div and sqrt round alike in both), the tail left to the
 * plain loop. Reached only through {@link PanamaFloatKernels}.
 */
final class PanamaUpdateLoops {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private PanamaUpdateLoops() {}

  private static FloatVector load(float[] a, int i) {
    return FloatVector.fromArray(S, a, i);
  }

  private static FloatVector all(double v) {
    return FloatVector.broadcast(S, (float) v);
  }

  static void sgd(ParamUpdate.Sgd u, float[] p, float[] g, float[] buf, float[] outP,
      float[] outBuf, int from, int to) {
    FloatVector lr = all(u.lr());
    FloatVector mom = all(u.momentum());
    FloatVector keep = all(1 - u.dampening());
    FloatVector wd = all(u.weightDecay());
    boolean decay = u.weightDecay() != 0;
    boolean momentum = u.momentum() != 0;
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
      FloatVector pv = load(p, i);
      FloatVector d = load(g, i);
      if (u.maximize()) d = d.neg();
      if (decay) d = d.add(pv.mul(wd));
      if (momentum) {
        FloatVector b = buf == null ? d : load(buf, i).mul(mom).add(d.mul(keep));
        b.intoArray(outBuf, i);
        d = u.nesterov() ? d.add(b.mul(mom)) : b;
      }
      pv.sub(d.mul(lr)).intoArray(outP, i);
    }
    UpdateLoops.sgd(u, p, g, buf, outP, outBuf, i, to);
  }

  static void adam(ParamUpdate.Adam u, float[] p, float[] g, float[] m, float[] v, float[] vmax,
      float[] outP, float[] outM, float[] outV, float[] outVmax, int from, int to) {
    FloatVector b1 = all(u.beta1());
    FloatVector c1 = all(1 - u.beta1());
    FloatVector b2 = all(u.beta2());
    FloatVector c2 = all(1 - u.beta2());
    FloatVector stepSize = all(u.stepSize());
    FloatVector bc2 = all(u.biasCorrection2Sqrt());
    FloatVector eps = all(u.eps());
    FloatVector wd = all(u.weightDecay());
    FloatVector shrink = all(1 - u.lr() * u.weightDecay());
    boolean decoupled = u.decoupled();
    boolean decay = !decoupled && u.weightDecay() != 0;
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
      FloatVector d = load(g, i);
      if (u.maximize()) d = d.neg();
      FloatVector pv = load(p, i);
      if (decoupled) pv = pv.mul(shrink);
      if (decay) d = d.add(pv.mul(wd));
      FloatVector mv = d.mul(c1);
      if (m != null) mv = load(m, i).mul(b1).add(mv);
      FloatVector vv = d.mul(c2).mul(d);
      if (v != null) vv = load(v, i).mul(b2).add(vv);
      mv.intoArray(outM, i);
      vv.intoArray(outV, i);
      if (u.amsgrad()) {
        if (vmax != null) vv = load(vmax, i).max(vv);
        vv.intoArray(outVmax, i);
      }
      FloatVector denom = vv.sqrt().div(bc2).add(eps);
      pv.sub(mv.mul(stepSize).div(denom)).intoArray(outP, i);
    }
    UpdateLoops.adam(u, p, g, m, v, vmax, outP, outM, outV, outVmax, i, to);
  }

  static void rmsProp(ParamUpdate.RmsProp u, float[] p, float[] g, float[] sq, float[] buf,
      float[] ga, float[] outP, float[] outSq, float[] outBuf, float[] outGa, int from, int to) {
    FloatVector a = all(u.alpha());
    FloatVector ca = all(1 - u.alpha());
    FloatVector eps = all(u.eps());
    FloatVector wd = all(u.weightDecay());
    FloatVector mom = all(u.momentum());
    FloatVector lr = all(u.lr());
    boolean decay = u.weightDecay() != 0;
    boolean momentum = u.momentum() > 0;
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
      FloatVector pv = load(p, i);
      FloatVector d = load(g, i);
      if (u.maximize()) d = d.neg();
      if (decay) d = d.add(pv.mul(wd));
      FloatVector s = d.mul(ca).mul(d);
      if (sq != null) s = load(sq, i).mul(a).add(s);
      s.intoArray(outSq, i);
      FloatVector avg;
      if (u.centered()) {
        FloatVector q = d.mul(ca);
        if (ga != null) q = load(ga, i).mul(a).add(q);
        q.intoArray(outGa, i);
        avg = s.sub(q.mul(q)).sqrt().add(eps);
      } else {
        avg = s.sqrt().add(eps);
      }
      if (momentum) {
        FloatVector b = d.div(avg);
        if (buf != null) b = load(buf, i).mul(mom).add(b);
        b.intoArray(outBuf, i);
        pv.sub(b.mul(lr)).intoArray(outP, i);
      } else {
        pv.sub(d.mul(lr).div(avg)).intoArray(outP, i);
      }
    }
    UpdateLoops.rmsProp(u, p, g, sq, buf, ga, outP, outSq, outBuf, outGa, i, to);
  }
}
