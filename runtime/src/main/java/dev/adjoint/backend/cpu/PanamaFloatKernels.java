package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend;
import dev.adjoint.tensor.ParamUpdate;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 loops with the Vector API. Loaded only through {@link Vectorization}, by reflection,
 * so that nothing else links against the incubator module.
 * The matrix product is {@link PanamaGemm}.
 */
final class PanamaFloatKernels implements FloatKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Int lanes as many as float lanes: window indices next to their values. */
  private static final VectorSpecies<Integer> SI = VectorSpecies.of(int.class, S.vectorShape());

  @Override
  public String name() {
    return "vector-api-" + S.vectorBitSize() + "bit";
  }

  // The operator of every lanewise call is a constant: only then does C2 compile it to vector
  // instructions (a variable operator falls back to a per-lane loop).

  @Override
  public void unary(Backend.UnaryOp op, float[] x, int xo, float[] out, int oo, int n, float p) {
    int i = 0;
    int bound = S.loopBound(n);
    FloatVector pv = FloatVector.broadcast(S, p);
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    switch (op) {
      case NEG:
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).neg().intoArray(out, oo + i);
        break;
      case ABS:
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).abs().intoArray(out, oo + i);
        break;
      case SQRT:
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, x, xo + i).sqrt().intoArray(out, oo + i);
        }
        break;
      case EXP:
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXP).intoArray(out, oo + i);
        }
        break;
      case LOG:
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG).intoArray(out, oo + i);
        }
        break;
      case TANH:
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.TANH)
              .intoArray(out, oo + i);
        }
        break;
      case LOG1P:
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG1P)
              .intoArray(out, oo + i);
        }
        break;
      case ERF:
        erf(x, xo, out, oo, bound);
        i = bound;
        break;
      case SIN:
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.SIN).intoArray(out, oo + i);
        }
        break;
      case COS:
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.COS).intoArray(out, oo + i);
        }
        break;
      case RELU:
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).max(zero).intoArray(out, oo + i);
        break;
      case CLAMP_MIN:
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).max(pv).intoArray(out, oo + i);
        break;
      case CLAMP_MAX:
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).min(pv).intoArray(out, oo + i);
        break;
      case SIGMOID:
        for (; i < bound; i += L) {
          FloatVector e = FloatVector.fromArray(S, x, xo + i).neg().lanewise(VectorOperators.EXP);
          one.div(e.add(one)).intoArray(out, oo + i);
        }
        break;
      case POW:
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.POW, pv)
              .intoArray(out, oo + i);
        }
        break;
      default:
        break;
    }
    for (; i < n; i++) out[oo + i] = Ops.apply(op, x[xo + i], p);
  }

  // erf in float lanes: Erf's series truncated to float's precision (the terms beyond these
  // are below 1e-8 of the sum) and evaluated with fused multiply-adds, within 2 ulp of the
  // correctly rounded value; beyond 4, erf is +-1 in float.
  private static final float[] ERF_TAYLOR = truncated(Erf.TAYLOR, 10);
  private static final float[] ERF_LOW = truncated(Erf.LOW, 11);
  private static final float[] ERF_HIGH = truncated(Erf.HIGH, 7);

  private static float[] truncated(double[] c, int terms) {
    float[] f = new float[terms];
    for (int i = 0; i < terms; i++) f[i] = (float) c[i];
    return f;
  }

  /**
   * Erf's three ranges on {@code x[xo..xo+n)}, n a multiple of the lanes; a range is computed
   * only when one of a vector's lanes is in it. One method with loops inside, so that no vector
   * crosses a call that C2 might not inline (it would be boxed).
   */
  private static void erf(float[] x, int xo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xo + i);
      FloatVector a = v.abs().min(4f);
      VectorMask<Float> small = a.lt(1f);
      FloatVector result = FloatVector.zero(S);
      if (!small.allTrue()) {
        VectorMask<Float> low = a.lt(3f);
        boolean anyLow = low.andNot(small).anyTrue();
        boolean anyHigh = !low.allTrue();
        // Clenshaw's recurrence for the Chebyshev series of erfc(a) exp(a^2): on [1, 3] with
        // t = a - 2, on [3, 4] (of [3, 6]) with t = (a - 4.5) / 1.5
        FloatVector r = FloatVector.zero(S);
        for (int range = 0; range < 2; range++) {
          if (range == 0 ? !anyLow : !anyHigh) continue;
          float[] c = range == 0 ? ERF_LOW : ERF_HIGH;
          FloatVector t = range == 0 ? a.sub(2f) : a.sub(4.5f).div(1.5f);
          FloatVector t2 = t.mul(2f);
          FloatVector b1 = FloatVector.zero(S);
          FloatVector b2 = FloatVector.zero(S);
          for (int k = c.length - 1; k >= 1; k--) {
            FloatVector b0 = t2.fma(b1, b2.neg().add(c[k]));
            b2 = b1;
            b1 = b0;
          }
          FloatVector sum = t.fma(b1, b2.neg().add(c[0]));
          r = range == 0 ? sum : r.blend(sum, low.not());
        }
        FloatVector erfc = a.mul(a).neg().lanewise(VectorOperators.EXP).mul(r);
        result = erfc.neg().add(1f).lanewise(VectorOperators.NEG, v.lt(0f));
      }
      if (small.anyTrue()) {
        FloatVector z = v.mul(v);
        FloatVector p = FloatVector.broadcast(S, ERF_TAYLOR[ERF_TAYLOR.length - 1]);
        for (int k = ERF_TAYLOR.length - 2; k >= 0; k--) {
          p = p.fma(z, FloatVector.broadcast(S, ERF_TAYLOR[k]));
        }
        result = result.blend(v.mul(p), small);
      }
      result.intoArray(out, oo + i);
    }
  }

  @Override
  public void binary(Backend.BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
      float[] out, int oo, int n) {
    if (n == 0) return;
    int i = 0;
    int bound = S.loopBound(n);
    if (as == 1 && bs == 1) {
      switch (op) {
        case ADD:
          for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i))
                .intoArray(out, oo + i);
          }
          break;
        case SUB:
          for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i))
                .intoArray(out, oo + i);
          }
          break;
        case MUL:
          for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i))
                .intoArray(out, oo + i);
          }
          break;
        case DIV:
          for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i))
                .intoArray(out, oo + i);
          }
          break;
        default:
          break;
      }
    } else if (as == 1 || bs == 1) {
      // One operand is a broadcast scalar: x op s, or s op x.
      boolean scalarLeft = as == 0;
      FloatVector s = FloatVector.broadcast(S, scalarLeft ? a[ao] : b[bo]);
      float[] v = scalarLeft ? b : a;
      int vo = scalarLeft ? bo : ao;
      switch (op) {
        case ADD:
          for (; i < bound; i += L) FloatVector.fromArray(S, v, vo + i).add(s).intoArray(out, oo + i);
          break;
        case MUL:
          for (; i < bound; i += L) FloatVector.fromArray(S, v, vo + i).mul(s).intoArray(out, oo + i);
          break;
        case SUB:
          for (; i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(S, v, vo + i);
            (scalarLeft ? s.sub(x) : x.sub(s)).intoArray(out, oo + i);
          }
          break;
        case DIV:
          for (; i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(S, v, vo + i);
            (scalarLeft ? s.div(x) : x.div(s)).intoArray(out, oo + i);
          }
          break;
        default:
          break;
      }
    }
    for (; i < n; i++) out[oo + i] = Ops.apply(op, a[ao + i * as], b[bo + i * bs]);
  }

  @Override
  public void reluBackward(float[] g, int go, float[] x, int xo, float[] out, int oo, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    FloatVector zero = FloatVector.zero(S);
    for (; i < bound; i += L) {
      VectorMask<Float> on = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f);
      zero.blend(FloatVector.fromArray(S, g, go + i), on).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = x[xo + i] > 0 ? g[go + i] : 0f;
  }

  /**
   * Sixteen windows at a time (one per lane): each window element is a gather through the
   * offset map, masked where it falls in the padding, and replaces the lane's maximum when
   * larger, or NaN while the maximum is not NaN yet.
   */
  @Override
  public void maxPool(float[] x, int at, int[] map, int[] first, int windows, int elems,
      float[] values, int vo, int[] index, int io) {
    int l = 0;
    FloatVector minusInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    // JDK 25 range-checks the indices of masked-off lanes too, so padding (-1) is gathered
    // through a copy of the lanes' offsets clamped to 0 and then masked out.
    int[] clamped = new int[L];
    for (; l + L <= windows; l += L) {
      FloatVector v = minusInf;
      IntVector best = IntVector.fromArray(SI, first, l);
      for (int e = 0; e < elems; e++) {
        IntVector off = IntVector.fromArray(SI, map, e * windows + l);
        VectorMask<Integer> in = off.compare(VectorOperators.GE, 0);
        VectorMask<Float> inside = in.cast(S);
        FloatVector y;
        if (in.allTrue()) {
          y = FloatVector.fromArray(S, x, at, map, e * windows + l);
        } else {
          off.max(0).intoArray(clamped, 0);
          y = FloatVector.fromArray(S, x, at, clamped, 0, inside);
        }
        VectorMask<Float> take = y.compare(VectorOperators.GT, v)
            .or(y.test(VectorOperators.IS_NAN)).andNot(v.test(VectorOperators.IS_NAN))
            .and(inside);
        v = v.blend(y, take);
        best = best.blend(off, take.cast(SI));
      }
      v.intoArray(values, vo + l);
      best.intoArray(index, io + l);
    }
    for (; l < windows; l++) {
      int b = first[l];
      float v = Float.NEGATIVE_INFINITY;
      for (int e = 0; e < elems && v == v; e++) {
        int off = map[e * windows + l];
        if (off < 0) continue;
        float y = x[at + off];
        if (y > v || y != y) {
          v = y;
          b = off;
        }
      }
      values[vo + l] = v;
      index[io + l] = b;
    }
  }

  @Override
  public double sum(float[] x, int off, int n) {
    double total = 0;
    for (int start = 0; start < n; start += ScalarFloatKernels.SUM_BLOCK) {
      int end = Math.min(n, start + ScalarFloatKernels.SUM_BLOCK);
      FloatVector acc = FloatVector.zero(S);
      int i = start;
      for (; i + L <= end; i += L) acc = acc.add(FloatVector.fromArray(S, x, off + i));
      double block = acc.reduceLanes(VectorOperators.ADD);
      for (; i < end; i++) block += x[off + i];
      total += block;
    }
    return total;
  }

  @Override
  public void gemm(float[] a, int[] aRows, int acs, float[] b, int[] bRows, int bcs, float[] c,
      int co, int m, int k, int n, boolean accumulate) {
    PanamaGemm.gemm(a, aRows, acs, b, bRows, bcs, c, co, m, k, n, accumulate);
  }

  @Override
  public void sgd(ParamUpdate.Sgd u, float[] p, float[] g, float[] buf, float[] outP,
      float[] outBuf, int from, int to) {
    PanamaUpdateLoops.sgd(u, p, g, buf, outP, outBuf, from, to);
  }

  @Override
  public void adam(ParamUpdate.Adam u, float[] p, float[] g, float[] m, float[] v, float[] vmax,
      float[] outP, float[] outM, float[] outV, float[] outVmax, int from, int to) {
    PanamaUpdateLoops.adam(u, p, g, m, v, vmax, outP, outM, outV, outVmax, from, to);
  }

  @Override
  public void rmsProp(ParamUpdate.RmsProp u, float[] p, float[] g, float[] sq, float[] buf,
      float[] ga, float[] outP, float[] outSq, float[] outBuf, float[] outGa, int from, int to) {
    PanamaUpdateLoops.rmsProp(u, p, g, sq, buf, ga, outP, outSq, outBuf, outGa, from, to);
  }
}
