package dev.adjoint.tensor;

import dev.adjoint.Differentiable;
import dev.adjoint.Jvp;
import dev.adjoint.NoDerivative;
import dev.adjoint.Vjp;

/**
 * Derivative rules of the differentiable {@link Tensor} operations, with the same
 * {@link Jvp}/{@link Vjp} mechanism users have: for {@code R f(A a, B b)}, a JVP rule takes
 * {@code (a, b, out, ta)} and returns the output's tangent, a VJP rule takes
 * {@code (a, b, out, cotangent)} and returns a's cotangent; the receiver comes first, named
 * {@code self}. Rules are written with tensor operations, so that derivatives of rules are
 * derivatives of ordinary tensor code. Gradients of broadcast operands are reduced in one
 * place, {@link Tensor#sumToSize}. Comparisons, {@code sign}, {@code argmax} and
 * {@code detach} have derivative zero, declared here as such.
 *
 * <p>Every rule is also {@code @Differentiable}: second (and, through the jar's iterated
 * JVPs, third) derivatives are derivatives of these methods. Operations used only inside
 * rules ({@code conv2dInputGrad}, {@code conv2dWeightGrad}, {@code poolWindows}) have rules
 * of their own for that reason.
 */
public final class TensorRules {
  private TensorRules() {}

  @Differentiable
  static Tensor mask(Tensor condition, Tensor like) {
    return condition.to(like.dtype());
  }

  /**
   * A gradient brought back to an operand: summed over the dimensions broadcasting added, and in
   * the operand's dtype (a FLOAT32 parameter times FLOAT64 data has a FLOAT32 gradient, as in
   * PyTorch).
   */
  @Differentiable
  static Tensor reduceTo(Tensor g, Tensor like) {
    return g.sumToSize(like.shape()).to(like.dtype());
  }

  // ------------------------------------------------------------ add, sub, mul, div (tensors)

  @Differentiable
  @Jvp(of = "add", wrt = "self", in = Tensor.class)
  public static Tensor addJvpSelf(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.broadcastTo(out.shape());
  }

  @Differentiable
  @Jvp(of = "add", wrt = "other", in = Tensor.class)
  public static Tensor addJvpOther(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.broadcastTo(out.shape());
  }

  @Differentiable
  @Vjp(of = "add", wrt = "self", in = Tensor.class)
  public static Tensor addVjpSelf(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g, self);
  }

  @Differentiable
  @Vjp(of = "add", wrt = "other", in = Tensor.class)
  public static Tensor addVjpOther(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g, other);
  }

  @Differentiable
  @Jvp(of = "sub", wrt = "self", in = Tensor.class)
  public static Tensor subJvpSelf(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.broadcastTo(out.shape());
  }

  @Differentiable
  @Jvp(of = "sub", wrt = "other", in = Tensor.class)
  public static Tensor subJvpOther(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.neg().broadcastTo(out.shape());
  }

  @Differentiable
  @Vjp(of = "sub", wrt = "self", in = Tensor.class)
  public static Tensor subVjpSelf(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g, self);
  }

  @Differentiable
  @Vjp(of = "sub", wrt = "other", in = Tensor.class)
  public static Tensor subVjpOther(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g.neg(), other);
  }

  @Differentiable
  @Jvp(of = "mul", wrt = "self", in = Tensor.class)
  public static Tensor mulJvpSelf(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.mul(other).broadcastTo(out.shape());
  }

  @Differentiable
  @Jvp(of = "mul", wrt = "other", in = Tensor.class)
  public static Tensor mulJvpOther(Tensor self, Tensor other, Tensor out, Tensor t) {
    return self.mul(t).broadcastTo(out.shape());
  }

  @Differentiable
  @Vjp(of = "mul", wrt = "self", in = Tensor.class)
  public static Tensor mulVjpSelf(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g.mul(other), self);
  }

  @Differentiable
  @Vjp(of = "mul", wrt = "other", in = Tensor.class)
  public static Tensor mulVjpOther(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g.mul(self), other);
  }

  @Differentiable
  @Jvp(of = "div", wrt = "self", in = Tensor.class)
  public static Tensor divJvpSelf(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.div(other).broadcastTo(out.shape());
  }

  @Differentiable
  @Jvp(of = "div", wrt = "other", in = Tensor.class)
  public static Tensor divJvpOther(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.mul(out).div(other).neg();
  }

  @Differentiable
  @Vjp(of = "div", wrt = "self", in = Tensor.class)
  public static Tensor divVjpSelf(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g.div(other), self);
  }

  @Differentiable
  @Vjp(of = "div", wrt = "other", in = Tensor.class)
  public static Tensor divVjpOther(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g.mul(out).div(other).neg(), other);
  }

  // ------------------------------------------------------------ scalar operands

  @Differentiable
  @Jvp(of = "add", wrt = "self", in = Tensor.class)
  public static Tensor addScalarJvp(Tensor self, double v, Tensor out, Tensor t) {
    return t;
  }

  @Differentiable
  @Vjp(of = "add", wrt = "self", in = Tensor.class)
  public static Tensor addScalarVjp(Tensor self, double v, Tensor out, Tensor g) {
    return g;
  }

  @Differentiable
  @Jvp(of = "sub", wrt = "self", in = Tensor.class)
  public static Tensor subScalarJvp(Tensor self, double v, Tensor out, Tensor t) {
    return t;
  }

  @Differentiable
  @Vjp(of = "sub", wrt = "self", in = Tensor.class)
  public static Tensor subScalarVjp(Tensor self, double v, Tensor out, Tensor g) {
    return g;
  }

  @Differentiable
  @Jvp(of = "mul", wrt = "self", in = Tensor.class)
  public static Tensor mulScalarJvp(Tensor self, double v, Tensor out, Tensor t) {
    return t.mul(v);
  }

  @Differentiable
  @Vjp(of = "mul", wrt = "self", in = Tensor.class)
  public static Tensor mulScalarVjp(Tensor self, double v, Tensor out, Tensor g) {
    return g.mul(v);
  }

  @Differentiable
  @Jvp(of = "mul", wrt = "v", in = Tensor.class)
  public static Tensor mulScalarJvpV(Tensor self, double v, Tensor out, double t) {
    return self.mul(t);
  }

  @Differentiable
  @Vjp(of = "mul", wrt = "v", in = Tensor.class)
  public static double mulScalarVjpV(Tensor self, double v, Tensor out, Tensor g) {
    return g.mul(self).sum().item();
  }

  // The scalar operand of add, sub, div: x + v moves every element by v.

  @Differentiable
  @Jvp(of = "add", wrt = "v", in = Tensor.class)
  public static Tensor addScalarJvpV(Tensor self, double v, Tensor out, double t) {
    return out.zerosLike().add(t);
  }

  @Differentiable
  @Vjp(of = "add", wrt = "v", in = Tensor.class)
  public static double addScalarVjpV(Tensor self, double v, Tensor out, Tensor g) {
    return g.sum().item();
  }

  @Differentiable
  @Jvp(of = "sub", wrt = "v", in = Tensor.class)
  public static Tensor subScalarJvpV(Tensor self, double v, Tensor out, double t) {
    return out.zerosLike().sub(t);
  }

  @Differentiable
  @Vjp(of = "sub", wrt = "v", in = Tensor.class)
  public static double subScalarVjpV(Tensor self, double v, Tensor out, Tensor g) {
    return -g.sum().item();
  }

  @Differentiable
  @Jvp(of = "div", wrt = "v", in = Tensor.class)
  public static Tensor divScalarJvpV(Tensor self, double v, Tensor out, double t) {
    return out.mul(-t / v); // d(x / v) = -(x / v) dv / v
  }

  @Differentiable
  @Vjp(of = "div", wrt = "v", in = Tensor.class)
  public static double divScalarVjpV(Tensor self, double v, Tensor out, Tensor g) {
    return -g.mul(out).sum().item() / v;
  }

  @Differentiable
  @Jvp(of = "div", wrt = "self", in = Tensor.class)
  public static Tensor divScalarJvp(Tensor self, double v, Tensor out, Tensor t) {
    return t.div(v);
  }

  @Differentiable
  @Vjp(of = "div", wrt = "self", in = Tensor.class)
  public static Tensor divScalarVjp(Tensor self, double v, Tensor out, Tensor g) {
    return g.div(v);
  }

  // ------------------------------------------------------------ element-wise unary

  @Differentiable
  @Jvp(of = "neg", wrt = "self", in = Tensor.class)
  public static Tensor negJvp(Tensor self, Tensor out, Tensor t) {
    return t.neg();
  }

  @Differentiable
  @Vjp(of = "neg", wrt = "self", in = Tensor.class)
  public static Tensor negVjp(Tensor self, Tensor out, Tensor g) {
    return g.neg();
  }

  @Differentiable
  @Jvp(of = "exp", wrt = "self", in = Tensor.class)
  public static Tensor expJvp(Tensor self, Tensor out, Tensor t) {
    return t.mul(out);
  }

  @Differentiable
  @Vjp(of = "exp", wrt = "self", in = Tensor.class)
  public static Tensor expVjp(Tensor self, Tensor out, Tensor g) {
    return g.mul(out);
  }

  @Differentiable
  @Jvp(of = "log", wrt = "self", in = Tensor.class)
  public static Tensor logJvp(Tensor self, Tensor out, Tensor t) {
    return t.div(self);
  }

  @Differentiable
  @Vjp(of = "log", wrt = "self", in = Tensor.class)
  public static Tensor logVjp(Tensor self, Tensor out, Tensor g) {
    return g.div(self);
  }

  @Differentiable
  @Jvp(of = "log1p", wrt = "self", in = Tensor.class)
  public static Tensor log1pJvp(Tensor self, Tensor out, Tensor t) {
    return t.div(self.add(1));
  }

  @Differentiable
  @Vjp(of = "log1p", wrt = "self", in = Tensor.class)
  public static Tensor log1pVjp(Tensor self, Tensor out, Tensor g) {
    return g.div(self.add(1));
  }

  /** {@code d erf(x) = 2/sqrt(pi) exp(-x^2) dx}. */
  @Differentiable
  @Jvp(of = "erf", wrt = "self", in = Tensor.class)
  public static Tensor erfJvp(Tensor self, Tensor out, Tensor t) {
    return t.mul(self.mul(self).neg().exp().mul(2 / Math.sqrt(Math.PI)));
  }

  @Differentiable
  @Vjp(of = "erf", wrt = "self", in = Tensor.class)
  public static Tensor erfVjp(Tensor self, Tensor out, Tensor g) {
    return g.mul(self.mul(self).neg().exp().mul(2 / Math.sqrt(Math.PI)));
  }

  @Differentiable
  @Jvp(of = "sqrt", wrt = "self", in = Tensor.class)
  public static Tensor sqrtJvp(Tensor self, Tensor out, Tensor t) {
    return t.div(out.mul(2));
  }

  @Differentiable
  @Vjp(of = "sqrt", wrt = "self", in = Tensor.class)
  public static Tensor sqrtVjp(Tensor self, Tensor out, Tensor g) {
    return g.div(out.mul(2));
  }

  @Differentiable
  @Jvp(of = "abs", wrt = "self", in = Tensor.class)
  public static Tensor absJvp(Tensor self, Tensor out, Tensor t) {
    return t.mul(self.sign());
  }

  @Differentiable
  @Vjp(of = "abs", wrt = "self", in = Tensor.class)
  public static Tensor absVjp(Tensor self, Tensor out, Tensor g) {
    return g.mul(self.sign());
  }

  @Differentiable
  @Jvp(of = "tanh", wrt = "self", in = Tensor.class)
  public static Tensor tanhJvp(Tensor self, Tensor out, Tensor t) {
    return t.mul(out.mul(out).neg().add(1));
  }

  @Differentiable
  @Vjp(of = "tanh", wrt = "self", in = Tensor.class)
  public static Tensor tanhVjp(Tensor self, Tensor out, Tensor g) {
    return g.mul(out.mul(out).neg().add(1));
  }

  @Differentiable
  @Jvp(of = "sigmoid", wrt = "self", in = Tensor.class)
  public static Tensor sigmoidJvp(Tensor self, Tensor out, Tensor t) {
    return t.mul(out.mul(out.neg().add(1)));
  }

  @Differentiable
  @Vjp(of = "sigmoid", wrt = "self", in = Tensor.class)
  public static Tensor sigmoidVjp(Tensor self, Tensor out, Tensor g) {
    return g.mul(out.mul(out.neg().add(1)));
  }

  @Differentiable
  @Jvp(of = "relu", wrt = "self", in = Tensor.class)
  public static Tensor reluJvp(Tensor self, Tensor out, Tensor t) {
    return Tensor.reluBackward(t, self);
  }

  @Differentiable
  @Vjp(of = "relu", wrt = "self", in = Tensor.class)
  public static Tensor reluVjp(Tensor self, Tensor out, Tensor g) {
    return Tensor.reluBackward(g, self);
  }

  // reluBackward(g, x) = g (x > 0) is linear in g and flat in x (almost everywhere).

  @Differentiable
  @Jvp(of = "reluBackward", wrt = "g", in = Tensor.class)
  public static Tensor reluBackwardJvpG(Tensor g, Tensor x, Tensor out, Tensor t) {
    return Tensor.reluBackward(t, x);
  }

  @Differentiable
  @Vjp(of = "reluBackward", wrt = "g", in = Tensor.class)
  public static Tensor reluBackwardVjpG(Tensor g, Tensor x, Tensor out, Tensor c) {
    return Tensor.reluBackward(c, x);
  }

  @Differentiable
  @Jvp(of = "reluBackward", wrt = "x", in = Tensor.class)
  public static Tensor reluBackwardJvpX(Tensor g, Tensor x, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "reluBackward", wrt = "x", in = Tensor.class)
  public static Tensor reluBackwardVjpX(Tensor g, Tensor x, Tensor out, Tensor c) {
    return x.zerosLike();
  }

  @Differentiable
  @Jvp(of = "sin", wrt = "self", in = Tensor.class)
  public static Tensor sinJvp(Tensor self, Tensor out, Tensor t) {
    return t.mul(self.cos());
  }

  @Differentiable
  @Vjp(of = "sin", wrt = "self", in = Tensor.class)
  public static Tensor sinVjp(Tensor self, Tensor out, Tensor g) {
    return g.mul(self.cos());
  }

  @Differentiable
  @Jvp(of = "cos", wrt = "self", in = Tensor.class)
  public static Tensor cosJvp(Tensor self, Tensor out, Tensor t) {
    return t.mul(self.sin()).neg();
  }

  @Differentiable
  @Vjp(of = "cos", wrt = "self", in = Tensor.class)
  public static Tensor cosVjp(Tensor self, Tensor out, Tensor g) {
    return g.mul(self.sin()).neg();
  }

  @Differentiable
  @Jvp(of = "pow", wrt = "self", in = Tensor.class)
  public static Tensor powJvp(Tensor self, @NoDerivative double p, Tensor out, Tensor t) {
    if (p == 0) return t.zerosLike(); // x^0 = 1 is constant, also at 0 where x^-1 is infinite
    return t.mul(self.pow(p - 1).mul(p));
  }

  @Differentiable
  @Vjp(of = "pow", wrt = "self", in = Tensor.class)
  public static Tensor powVjp(Tensor self, @NoDerivative double p, Tensor out, Tensor g) {
    if (p == 0) return g.zerosLike();
    return g.mul(self.pow(p - 1).mul(p));
  }

  @Differentiable
  @Jvp(of = "clamp", wrt = "self", in = Tensor.class)
  public static Tensor clampJvp(Tensor self, double min, double max, Tensor out, Tensor t) {
    return t.mul(mask(out.eq(self), t));
  }

  @Differentiable
  @Vjp(of = "clamp", wrt = "self", in = Tensor.class)
  public static Tensor clampVjp(Tensor self, @NoDerivative double min, @NoDerivative double max, Tensor out, Tensor g) {
    return g.mul(mask(out.eq(self), g));
  }

  @Differentiable
  @Jvp(of = "maximum", wrt = "self", in = Tensor.class)
  public static Tensor maximumJvpSelf(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.mul(chosenShare(self, other, true, t)).broadcastTo(out.shape());
  }

  @Differentiable
  @Jvp(of = "maximum", wrt = "other", in = Tensor.class)
  public static Tensor maximumJvpOther(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.mul(chosenShare(other, self, true, t)).broadcastTo(out.shape());
  }

  @Differentiable
  @Vjp(of = "maximum", wrt = "self", in = Tensor.class)
  public static Tensor maximumVjpSelf(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g.mul(chosenShare(self, other, true, g)), self);
  }

  @Differentiable
  @Vjp(of = "maximum", wrt = "other", in = Tensor.class)
  public static Tensor maximumVjpOther(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g.mul(chosenShare(other, self, true, g)), other);
  }

  // ------------------------------------------------------------ no derivative

  @Differentiable
  @Jvp(of = "sign", wrt = "self", in = Tensor.class)
  public static Tensor signJvp(Tensor self, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "sign", wrt = "self", in = Tensor.class)
  public static Tensor signVjp(Tensor self, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  @Differentiable
  @Jvp(of = "gt", wrt = "self", in = Tensor.class)
  public static Tensor gtJvp(Tensor self, Tensor other, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "gt", wrt = "self", in = Tensor.class)
  public static Tensor gtVjp(Tensor self, Tensor other, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  @Differentiable
  @Jvp(of = "lt", wrt = "self", in = Tensor.class)
  public static Tensor ltJvp(Tensor self, Tensor other, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "lt", wrt = "self", in = Tensor.class)
  public static Tensor ltVjp(Tensor self, Tensor other, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  @Differentiable
  @Jvp(of = "eq", wrt = "self", in = Tensor.class)
  public static Tensor eqJvp(Tensor self, Tensor other, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "eq", wrt = "self", in = Tensor.class)
  public static Tensor eqVjp(Tensor self, Tensor other, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  @Differentiable
  @Jvp(of = "gt", wrt = "self", in = Tensor.class)
  public static Tensor gtScalarJvp(Tensor self, double v, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "gt", wrt = "self", in = Tensor.class)
  public static Tensor gtScalarVjp(Tensor self, double v, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  @Differentiable
  @Jvp(of = "lt", wrt = "self", in = Tensor.class)
  public static Tensor ltScalarJvp(Tensor self, double v, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "lt", wrt = "self", in = Tensor.class)
  public static Tensor ltScalarVjp(Tensor self, double v, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  @Differentiable
  @Jvp(of = "eq", wrt = "self", in = Tensor.class)
  public static Tensor eqScalarJvp(Tensor self, double v, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "eq", wrt = "self", in = Tensor.class)
  public static Tensor eqScalarVjp(Tensor self, double v, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  @Differentiable
  @Jvp(of = "gt", wrt = "other", in = Tensor.class)
  public static Tensor gtJvpOther(Tensor self, Tensor other, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "gt", wrt = "other", in = Tensor.class)
  public static Tensor gtVjpOther(Tensor self, Tensor other, Tensor out, Tensor g) {
    return other.zerosLike();
  }

  @Differentiable
  @Jvp(of = "lt", wrt = "other", in = Tensor.class)
  public static Tensor ltJvpOther(Tensor self, Tensor other, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "lt", wrt = "other", in = Tensor.class)
  public static Tensor ltVjpOther(Tensor self, Tensor other, Tensor out, Tensor g) {
    return other.zerosLike();
  }

  @Differentiable
  @Jvp(of = "eq", wrt = "other", in = Tensor.class)
  public static Tensor eqJvpOther(Tensor self, Tensor other, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "eq", wrt = "other", in = Tensor.class)
  public static Tensor eqVjpOther(Tensor self, Tensor other, Tensor out, Tensor g) {
    return other.zerosLike();
  }

  @Differentiable
  @Jvp(of = "argmax", wrt = "self", in = Tensor.class)
  public static Tensor argmaxJvp(Tensor self, int dim, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "argmax", wrt = "self", in = Tensor.class)
  public static Tensor argmaxVjp(Tensor self, int dim, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  @Differentiable
  @Jvp(of = "detach", wrt = "self", in = Tensor.class)
  public static Tensor detachJvp(Tensor self, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "detach", wrt = "self", in = Tensor.class)
  public static Tensor detachVjp(Tensor self, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  // ------------------------------------------------------------ linear algebra

  @Differentiable
  @Jvp(of = "matmul", wrt = "self", in = Tensor.class)
  public static Tensor matmulJvpSelf(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.matmul(other);
  }

  @Differentiable
  @Jvp(of = "matmul", wrt = "other", in = Tensor.class)
  public static Tensor matmulJvpOther(Tensor self, Tensor other, Tensor out, Tensor t) {
    return self.matmul(t);
  }

  @Differentiable
  @Vjp(of = "matmul", wrt = "self", in = Tensor.class)
  public static Tensor matmulVjpSelf(Tensor self, Tensor other, Tensor out, Tensor g) {
    Tensor b = other.dim() == 1 ? other.unsqueeze(1) : other;
    Tensor a = self.dim() == 1 ? self.unsqueeze(0) : self;
    return reduceTo(asMatrixGradient(self, other, g).matmul(b.transpose(-1, -2)), a)
        .reshape(self.shape());
  }

  @Differentiable
  @Vjp(of = "matmul", wrt = "other", in = Tensor.class)
  public static Tensor matmulVjpOther(Tensor self, Tensor other, Tensor out, Tensor g) {
    Tensor a = self.dim() == 1 ? self.unsqueeze(0) : self;
    Tensor b = other.dim() == 1 ? other.unsqueeze(1) : other;
    if (other.dim() == 2 && !other.isContiguous() && other.transpose(0, 1).isContiguous()) {
      // A transposed weight (x W^T, PyTorch's Linear): its gradient computed as (g^T x)^T, so
      // that once transposed back it is contiguous, as the weight is.
      Tensor bt = other.transpose(0, 1);
      return reduceTo(asMatrixGradient(self, other, g).transpose(-1, -2).matmul(a), bt)
          .transpose(0, 1);
    }
    return reduceTo(a.transpose(-1, -2).matmul(asMatrixGradient(self, other, g)), b)
        .reshape(other.shape());
  }

  /** The cotangent with the dimensions matmul removed for 1-D operands put back. */
  @Differentiable
  static Tensor asMatrixGradient(Tensor self, Tensor other, Tensor g) {
    Tensor gg = g;
    if (other.dim() == 1) gg = gg.unsqueeze(-1);
    if (self.dim() == 1) gg = gg.unsqueeze(-2);
    return gg;
  }

  // ------------------------------------------------------------ views

  @Differentiable
  @Jvp(of = "transpose", wrt = "self", in = Tensor.class)
  public static Tensor transposeJvp(Tensor self, int d0, int d1, Tensor out, Tensor t) {
    return t.transpose(d0, d1);
  }

  @Differentiable
  @Vjp(of = "transpose", wrt = "self", in = Tensor.class)
  public static Tensor transposeVjp(Tensor self, int d0, int d1, Tensor out, Tensor g) {
    return g.transpose(d0, d1);
  }

  @Differentiable
  @Jvp(of = "permute", wrt = "self", in = Tensor.class)
  public static Tensor permuteJvp(Tensor self, int[] order, Tensor out, Tensor t) {
    return t.permute(order);
  }

  @Differentiable
  @Vjp(of = "permute", wrt = "self", in = Tensor.class)
  public static Tensor permuteVjp(Tensor self, int[] order, Tensor out, Tensor g) {
    int[] inverse = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      inverse[Shapes.dim("permute", order[i], order.length)] = i;
    }
    return g.permute(inverse);
  }

  @Differentiable
  @Jvp(of = "reshape", wrt = "self", in = Tensor.class)
  public static Tensor reshapeJvp(Tensor self, int[] shape, Tensor out, Tensor t) {
    return t.reshape(out.shape());
  }

  @Differentiable
  @Vjp(of = "reshape", wrt = "self", in = Tensor.class)
  public static Tensor reshapeVjp(Tensor self, int[] shape, Tensor out, Tensor g) {
    return g.reshape(self.shape());
  }

  @Differentiable
  @Jvp(of = "view", wrt = "self", in = Tensor.class)
  public static Tensor viewJvp(Tensor self, int[] shape, Tensor out, Tensor t) {
    return t.reshape(out.shape());
  }

  @Differentiable
  @Vjp(of = "view", wrt = "self", in = Tensor.class)
  public static Tensor viewVjp(Tensor self, int[] shape, Tensor out, Tensor g) {
    return g.reshape(self.shape());
  }

  @Differentiable
  @Jvp(of = "flatten", wrt = "self", in = Tensor.class)
  public static Tensor flattenJvp(Tensor self, Tensor out, Tensor t) {
    return t.flatten();
  }

  @Differentiable
  @Vjp(of = "flatten", wrt = "self", in = Tensor.class)
  public static Tensor flattenVjp(Tensor self, Tensor out, Tensor g) {
    return g.reshape(self.shape());
  }

  @Differentiable
  @Jvp(of = "squeeze", wrt = "self", in = Tensor.class)
  public static Tensor squeezeJvp(Tensor self, Tensor out, Tensor t) {
    return t.reshape(out.shape());
  }

  @Differentiable
  @Vjp(of = "squeeze", wrt = "self", in = Tensor.class)
  public static Tensor squeezeVjp(Tensor self, Tensor out, Tensor g) {
    return g.reshape(self.shape());
  }

  @Differentiable
  @Jvp(of = "squeeze", wrt = "self", in = Tensor.class)
  public static Tensor squeezeDimJvp(Tensor self, int dim, Tensor out, Tensor t) {
    return t.reshape(out.shape());
  }

  @Differentiable
  @Vjp(of = "squeeze", wrt = "self", in = Tensor.class)
  public static Tensor squeezeDimVjp(Tensor self, int dim, Tensor out, Tensor g) {
    return g.reshape(self.shape());
  }

  @Differentiable
  @Jvp(of = "unsqueeze", wrt = "self", in = Tensor.class)
  public static Tensor unsqueezeJvp(Tensor self, int dim, Tensor out, Tensor t) {
    return t.unsqueeze(dim);
  }

  @Differentiable
  @Vjp(of = "unsqueeze", wrt = "self", in = Tensor.class)
  public static Tensor unsqueezeVjp(Tensor self, int dim, Tensor out, Tensor g) {
    return g.reshape(self.shape());
  }

  @Differentiable
  @Jvp(of = "broadcastTo", wrt = "self", in = Tensor.class)
  public static Tensor broadcastToJvp(Tensor self, int[] shape, Tensor out, Tensor t) {
    return t.broadcastTo(shape);
  }

  @Differentiable
  @Vjp(of = "broadcastTo", wrt = "self", in = Tensor.class)
  public static Tensor broadcastToVjp(Tensor self, int[] shape, Tensor out, Tensor g) {
    return reduceTo(g, self);
  }

  @Differentiable
  @Jvp(of = "sumToSize", wrt = "self", in = Tensor.class)
  public static Tensor sumToSizeJvp(Tensor self, int[] shape, Tensor out, Tensor t) {
    return t.sumToSize(shape);
  }

  @Differentiable
  @Vjp(of = "sumToSize", wrt = "self", in = Tensor.class)
  public static Tensor sumToSizeVjp(Tensor self, int[] shape, Tensor out, Tensor g) {
    return g.broadcastTo(self.shape());
  }

  @Differentiable
  @Jvp(of = "slice", wrt = "self", in = Tensor.class)
  public static Tensor sliceJvp(Tensor self, int dim, int start, int end, Tensor out, Tensor t) {
    return t.slice(dim, start, end);
  }

  @Differentiable
  @Vjp(of = "slice", wrt = "self", in = Tensor.class)
  public static Tensor sliceVjp(Tensor self, int dim, int start, int end, Tensor out, Tensor g) {
    int d = Shapes.dim("slice", dim, self.dim());
    int n = self.shape()[d];
    int s = start < 0 ? start + n : start;
    int[] before = self.shape().clone();
    before[d] = s;
    int[] after = self.shape().clone();
    after[d] = n - s - g.shape()[d];
    return Tensor.cat(d, Tensor.zeros(g.dtype(), before).to(g.device()), g,
        Tensor.zeros(g.dtype(), after).to(g.device()));
  }

  // ------------------------------------------------------------ reductions

  @Differentiable
  @Jvp(of = "sum", wrt = "self", in = Tensor.class)
  public static Tensor sumJvp(Tensor self, Tensor out, Tensor t) {
    return t.sum();
  }

  @Differentiable
  @Vjp(of = "sum", wrt = "self", in = Tensor.class)
  public static Tensor sumVjp(Tensor self, Tensor out, Tensor g) {
    return g.broadcastTo(self.shape());
  }

  @Differentiable
  @Jvp(of = "sum", wrt = "self", in = Tensor.class)
  public static Tensor sumDimJvp(Tensor self, int dim, boolean keepDim, Tensor out, Tensor t) {
    return t.sum(dim, keepDim);
  }

  @Differentiable
  @Vjp(of = "sum", wrt = "self", in = Tensor.class)
  public static Tensor sumDimVjp(Tensor self, int dim, boolean keepDim, Tensor out, Tensor g) {
    return (keepDim ? g : g.unsqueeze(dim)).broadcastTo(self.shape());
  }

  @Differentiable
  @Jvp(of = "mean", wrt = "self", in = Tensor.class)
  public static Tensor meanJvp(Tensor self, Tensor out, Tensor t) {
    return t.mean();
  }

  @Differentiable
  @Vjp(of = "mean", wrt = "self", in = Tensor.class)
  public static Tensor meanVjp(Tensor self, Tensor out, Tensor g) {
    return g.div(self.numel()).broadcastTo(self.shape());
  }

  @Differentiable
  @Jvp(of = "mean", wrt = "self", in = Tensor.class)
  public static Tensor meanDimJvp(Tensor self, int dim, boolean keepDim, Tensor out, Tensor t) {
    return t.mean(dim, keepDim);
  }

  @Differentiable
  @Vjp(of = "mean", wrt = "self", in = Tensor.class)
  public static Tensor meanDimVjp(Tensor self, int dim, boolean keepDim, Tensor out, Tensor g) {
    return (keepDim ? g : g.unsqueeze(dim)).div(self.size(dim)).broadcastTo(self.shape());
  }

  /** Where each maximum along {@code dim} is: argmax with the dimension kept. */
  @Differentiable
  static Tensor chosen(Tensor self, int dim) {
    int d = Shapes.dim("max", dim, self.dim());
    return self.argmax(d).unsqueeze(d);
  }

  @Differentiable
  @Jvp(of = "max", wrt = "self", in = Tensor.class)
  public static Tensor maxJvp(Tensor self, int dim, boolean keepDim, Tensor out, Tensor t) {
    int d = Shapes.dim("max", dim, self.dim());
    Tensor picked = t.gather(d, chosen(self, d));
    return keepDim ? picked : picked.squeeze(d);
  }

  @Differentiable
  @Vjp(of = "max", wrt = "self", in = Tensor.class)
  public static Tensor maxVjp(Tensor self, int dim, boolean keepDim, Tensor out, Tensor g) {
    int d = Shapes.dim("max", dim, self.dim());
    return Tensor.gatherBackward(self.shape(), d, chosen(self, d), keepDim ? g : g.unsqueeze(d))
        .to(self.dtype());
  }

  @Differentiable
  @Jvp(of = "softmax", wrt = "self", in = Tensor.class)
  public static Tensor softmaxJvp(Tensor self, int dim, Tensor out, Tensor t) {
    return out.mul(t.sub(out.mul(t).sum(dim, true)));
  }

  @Differentiable
  @Vjp(of = "softmax", wrt = "self", in = Tensor.class)
  public static Tensor softmaxVjp(Tensor self, int dim, Tensor out, Tensor g) {
    return out.mul(g.sub(g.mul(out).sum(dim, true)));
  }

  @Differentiable
  @Jvp(of = "logSoftmax", wrt = "self", in = Tensor.class)
  public static Tensor logSoftmaxJvp(Tensor self, int dim, Tensor out, Tensor t) {
    return t.sub(out.exp().mul(t).sum(dim, true));
  }

  @Differentiable
  @Vjp(of = "logSoftmax", wrt = "self", in = Tensor.class)
  public static Tensor logSoftmaxVjp(Tensor self, int dim, Tensor out, Tensor g) {
    return g.sub(out.exp().mul(g.sum(dim, true)));
  }

  @Differentiable
  @Jvp(of = "logSumExp", wrt = "self", in = Tensor.class)
  public static Tensor logSumExpJvp(Tensor self, int dim, Tensor out, Tensor t) {
    return self.softmax(dim).mul(t).sum(dim, false);
  }

  @Differentiable
  @Vjp(of = "logSumExp", wrt = "self", in = Tensor.class)
  public static Tensor logSumExpVjp(Tensor self, int dim, Tensor out, Tensor g) {
    return self.softmax(dim).mul(g.unsqueeze(Shapes.dim("logSumExp", dim, self.dim())));
  }

  // ------------------------------------------------------------ selection and joining

  @Differentiable
  @Jvp(of = "where", wrt = "cond", in = Tensor.class)
  public static Tensor whereJvpCond(Tensor cond, Tensor a, Tensor b, Tensor out, Tensor t) {
    return out.zerosLike(); // a mask selects; it has no derivative of its own
  }

  @Differentiable
  @Vjp(of = "where", wrt = "cond", in = Tensor.class)
  public static Tensor whereVjpCond(Tensor cond, Tensor a, Tensor b, Tensor out, Tensor g) {
    return cond.zerosLike();
  }

  @Differentiable
  @Jvp(of = "where", wrt = "a", in = Tensor.class)
  public static Tensor whereJvpA(Tensor cond, Tensor a, Tensor b, Tensor out, Tensor t) {
    return Tensor.where(cond, t.broadcastTo(out.shape()), out.zerosLike());
  }

  @Differentiable
  @Jvp(of = "where", wrt = "b", in = Tensor.class)
  public static Tensor whereJvpB(Tensor cond, Tensor a, Tensor b, Tensor out, Tensor t) {
    return Tensor.where(cond, out.zerosLike(), t.broadcastTo(out.shape()));
  }

  @Differentiable
  @Vjp(of = "where", wrt = "a", in = Tensor.class)
  public static Tensor whereVjpA(Tensor cond, Tensor a, Tensor b, Tensor out, Tensor g) {
    return reduceTo(Tensor.where(cond, g, g.zerosLike()), a);
  }

  @Differentiable
  @Vjp(of = "where", wrt = "b", in = Tensor.class)
  public static Tensor whereVjpB(Tensor cond, Tensor a, Tensor b, Tensor out, Tensor g) {
    return reduceTo(Tensor.where(cond, g.zerosLike(), g), b);
  }

  @Differentiable
  @Jvp(of = "indexSelect", wrt = "self", in = Tensor.class)
  public static Tensor indexSelectJvp(Tensor self, int dim, @NoDerivative Tensor index, Tensor out,
      Tensor t) {
    return t.indexSelect(dim, index);
  }

  /** Rows picked more than once receive the sum of their cotangents (a one-hot product). */
  @Differentiable
  @Vjp(of = "indexSelect", wrt = "self", in = Tensor.class)
  public static Tensor indexSelectVjp(Tensor self, int dim, Tensor index, Tensor out,
      Tensor g) {
    int d = Shapes.dim("indexSelect", dim, self.dim());
    int size = self.size(d);
    Tensor oneHot = index.unsqueeze(1).eq(Tensor.arange(DType.INT64, 0, size).to(g.device())
        .unsqueeze(0))
        .to(g.dtype());
    Tensor moved = g.transpose(0, d);
    int[] movedShape = moved.shape().clone();
    Tensor flat = moved.reshape(movedShape[0], -1);
    Tensor summed = oneHot.transpose(0, 1).matmul(flat);
    movedShape[0] = size;
    return summed.reshape(movedShape).transpose(0, d);
  }

  @Differentiable
  @Jvp(of = "gather", wrt = "self", in = Tensor.class)
  public static Tensor gatherJvp(Tensor self, int dim, Tensor index, Tensor out, Tensor t) {
    return t.gather(dim, index);
  }

  /** Each gathered element's cotangent goes back to where it was read from. */
  @Differentiable
  @Vjp(of = "gather", wrt = "self", in = Tensor.class)
  public static Tensor gatherVjp(Tensor self, int dim, Tensor index, Tensor out, Tensor g) {
    int d = Shapes.dim("gather", dim, self.dim());
    return Tensor.gatherBackward(self.shape(), d, index, g).to(self.dtype());
  }

  @Differentiable
  @Jvp(of = "gather", wrt = "index", in = Tensor.class)
  public static Tensor gatherJvpIndex(Tensor self, int dim, Tensor index, Tensor out, Tensor t) {
    return out.zerosLike(); // indices choose; they have no derivative
  }

  @Differentiable
  @Vjp(of = "gather", wrt = "index", in = Tensor.class)
  public static Tensor gatherVjpIndex(Tensor self, int dim, Tensor index, Tensor out, Tensor g) {
    return index.zerosLike();
  }

  // gatherBackward is linear in src; its transpose is gather.

  @Differentiable
  @Jvp(of = "gatherBackward", wrt = "src", in = Tensor.class)
  public static Tensor gatherBackwardJvp(int[] shape, int dim, Tensor index, Tensor src,
      Tensor out, Tensor t) {
    return Tensor.gatherBackward(shape, dim, index, t);
  }

  @Differentiable
  @Vjp(of = "gatherBackward", wrt = "src", in = Tensor.class)
  public static Tensor gatherBackwardVjp(int[] shape, int dim, Tensor index, Tensor src,
      Tensor out, Tensor c) {
    return c.gather(dim, index);
  }

  @Differentiable
  @Jvp(of = "gatherBackward", wrt = "index", in = Tensor.class)
  public static Tensor gatherBackwardJvpIndex(int[] shape, int dim, Tensor index, Tensor src,
      Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "gatherBackward", wrt = "index", in = Tensor.class)
  public static Tensor gatherBackwardVjpIndex(int[] shape, int dim, Tensor index, Tensor src,
      Tensor out, Tensor c) {
    return index.zerosLike();
  }

  @Differentiable
  @Jvp(of = "cat", wrt = "xs", in = Tensor.class)
  public static Tensor catJvp(int dim, Tensor[] xs, Tensor out, Tensor[] ts) {
    return Tensor.cat(dim, ts);
  }

  @Differentiable
  @Vjp(of = "cat", wrt = "xs", in = Tensor.class)
  public static Tensor[] catVjp(int dim, Tensor[] xs, Tensor out, Tensor g) {
    int d = Shapes.dim("cat", dim, out.dim());
    Tensor[] parts = new Tensor[xs.length];
    int start = 0;
    for (int i = 0; i < xs.length; i++) {
      int len = xs[i].size(d);
      parts[i] = g.slice(d, start, start + len);
      start += len;
    }
    return parts;
  }

  @Differentiable
  @Jvp(of = "stack", wrt = "xs", in = Tensor.class)
  public static Tensor stackJvp(int dim, Tensor[] xs, Tensor out, Tensor[] ts) {
    return Tensor.stack(dim, ts);
  }

  @Differentiable
  @Vjp(of = "stack", wrt = "xs", in = Tensor.class)
  public static Tensor[] stackVjp(int dim, Tensor[] xs, Tensor out, Tensor g) {
    int d = Shapes.dim("stack", dim, out.dim());
    Tensor[] parts = new Tensor[xs.length];
    for (int i = 0; i < xs.length; i++) parts[i] = g.slice(d, i, i + 1).squeeze(d);
    return parts;
  }

  @Differentiable
  @Jvp(of = "to", wrt = "self", in = Tensor.class)
  public static Tensor toJvp(Tensor self, DType dtype, Tensor out, Tensor t) {
    return t.to(dtype);
  }

  @Differentiable
  @Vjp(of = "to", wrt = "self", in = Tensor.class)
  public static Tensor toVjp(Tensor self, DType dtype, Tensor out, Tensor g) {
    return g.to(self.dtype());
  }

  // A move between devices is the identity on values: tangents follow the move, cotangents
  // go back to the operand's device.
  @Differentiable
  @Jvp(of = "to", wrt = "self", in = Tensor.class)
  public static Tensor toDeviceJvp(Tensor self, Device device, Tensor out, Tensor t) {
    return t.to(device);
  }

  @Differentiable
  @Vjp(of = "to", wrt = "self", in = Tensor.class)
  public static Tensor toDeviceVjp(Tensor self, Device device, Tensor out, Tensor g) {
    return g.to(self.device());
  }

  // ------------------------------------------------------------ image operations

  @Differentiable
  @Jvp(of = "unfold", wrt = "self", in = Tensor.class)
  public static Tensor unfoldJvp(Tensor self, int kernel, int stride, int padding, int dilation,
      Tensor out, Tensor t) {
    return t.unfold(kernel, stride, padding, dilation);
  }

  @Differentiable
  @Vjp(of = "unfold", wrt = "self", in = Tensor.class)
  public static Tensor unfoldVjp(Tensor self, int kernel, int stride, int padding, int dilation,
      Tensor out, Tensor g) {
    return g.fold(self.size(2), self.size(3), kernel, stride, padding, dilation);
  }

  @Differentiable
  @Jvp(of = "fold", wrt = "self", in = Tensor.class)
  public static Tensor foldJvp(Tensor self, int height, int width, int kernel, int stride,
      int padding, int dilation, Tensor out, Tensor t) {
    return t.fold(height, width, kernel, stride, padding, dilation);
  }

  @Differentiable
  @Vjp(of = "fold", wrt = "self", in = Tensor.class)
  public static Tensor foldVjp(Tensor self, int height, int width, int kernel, int stride,
      int padding, int dilation, Tensor out, Tensor g) {
    return g.unfold(kernel, stride, padding, dilation);
  }

  @Differentiable
  @Jvp(of = "conv2d", wrt = "self", in = Tensor.class)
  public static Tensor conv2dJvpSelf(Tensor self, Tensor weight, Tensor bias, int stride,
      int padding, int dilation, int groups, Tensor out, Tensor t) {
    return t.conv2d(weight, null, stride, padding, dilation, groups);
  }

  @Differentiable
  @Jvp(of = "conv2d", wrt = "weight", in = Tensor.class)
  public static Tensor conv2dJvpWeight(Tensor self, Tensor weight, Tensor bias, int stride,
      int padding, int dilation, int groups, Tensor out, Tensor t) {
    return self.conv2d(t, null, stride, padding, dilation, groups);
  }

  @Differentiable
  @Jvp(of = "conv2d", wrt = "bias", in = Tensor.class)
  public static Tensor conv2dJvpBias(Tensor self, Tensor weight, Tensor bias, int stride,
      int padding, int dilation, int groups, Tensor out, Tensor t) {
    if (t == null) return null; // no bias (null), or a zero tangent
    return t.reshape(1, t.numel(), 1, 1).broadcastTo(out.shape());
  }

  @Differentiable
  @Vjp(of = "conv2d", wrt = "self", in = Tensor.class)
  public static Tensor conv2dVjpSelf(Tensor self, Tensor weight, Tensor bias, int stride,
      int padding, int dilation, int groups, Tensor out, Tensor g) {
    return Tensor.conv2dInputGrad(self.shape(), weight, g, stride, padding, dilation, groups);
  }

  @Differentiable
  @Vjp(of = "conv2d", wrt = "weight", in = Tensor.class)
  public static Tensor conv2dVjpWeight(Tensor self, Tensor weight, Tensor bias, int stride,
      int padding, int dilation, int groups, Tensor out, Tensor g) {
    return Tensor.conv2dWeightGrad(self, weight.shape(), g, stride, padding, dilation, groups);
  }

  @Differentiable
  @Vjp(of = "conv2d", wrt = "bias", in = Tensor.class)
  public static Tensor conv2dVjpBias(Tensor self, Tensor weight, Tensor bias, int stride,
      int padding, int dilation, int groups, Tensor out, Tensor g) {
    if (bias == null) return null; // no bias: no gradient to compute
    return g.sum(0, false).sum(1, false).sum(1, false);
  }

  @Differentiable
  @Jvp(of = "conv2d", wrt = "self", in = Tensor.class)
  public static Tensor conv2dPlainJvpSelf(Tensor self, Tensor weight, Tensor out, Tensor t) {
    return t.conv2d(weight);
  }

  @Differentiable
  @Jvp(of = "conv2d", wrt = "weight", in = Tensor.class)
  public static Tensor conv2dPlainJvpWeight(Tensor self, Tensor weight, Tensor out, Tensor t) {
    return self.conv2d(t);
  }

  @Differentiable
  @Vjp(of = "conv2d", wrt = "self", in = Tensor.class)
  public static Tensor conv2dPlainVjpSelf(Tensor self, Tensor weight, Tensor out, Tensor g) {
    return Tensor.conv2dInputGrad(self.shape(), weight, g, 1, 0, 1, 1);
  }

  @Differentiable
  @Vjp(of = "conv2d", wrt = "weight", in = Tensor.class)
  public static Tensor conv2dPlainVjpWeight(Tensor self, Tensor weight, Tensor out, Tensor g) {
    return Tensor.conv2dWeightGrad(self, weight.shape(), g, 1, 0, 1, 1);
  }

  /**
   * Max pooling picks one element per window: its derivatives gather the tangent at the
   * indices the forward pass chose, and scatter the cotangent back to them.
   */
  @Differentiable
  static Tensor poolIndices(Tensor self, int kernel, int stride, int padding) {
    int[] s = self.shape();
    return self.maxPool2dIndices(kernel, stride, padding).reshape(s[0], s[1], -1);
  }

  @Differentiable
  @Jvp(of = "maxPool2d", wrt = "self", in = Tensor.class)
  public static Tensor maxPool2dJvp(Tensor self, int kernel, int stride, int padding,
      Tensor out, Tensor t) {
    int[] s = self.shape();
    return t.reshape(s[0], s[1], -1).gather(2, poolIndices(self, kernel, stride, padding))
        .reshape(out.shape());
  }

  @Differentiable
  @Vjp(of = "maxPool2d", wrt = "self", in = Tensor.class)
  public static Tensor maxPool2dVjp(Tensor self, int kernel, int stride, int padding,
      Tensor out, Tensor g) {
    int[] s = self.shape();
    int[] planes = {s[0], s[1], s[2] * s[3]};
    return Tensor.gatherBackward(planes, 2, poolIndices(self, kernel, stride, padding),
        g.reshape(s[0], s[1], -1)).reshape(s);
  }

  @Differentiable
  @Jvp(of = "maxPool2dIndices", wrt = "self", in = Tensor.class)
  public static Tensor maxPool2dIndicesJvp(Tensor self, int kernel, int stride, int padding,
      Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "maxPool2dIndices", wrt = "self", in = Tensor.class)
  public static Tensor maxPool2dIndicesVjp(Tensor self, int kernel, int stride, int padding,
      Tensor out, Tensor g) {
    return self.zerosLike();
  }

  @Differentiable
  @Jvp(of = "avgPool2d", wrt = "self", in = Tensor.class)
  public static Tensor avgPool2dJvp(Tensor self, int kernel, int stride, int padding,
      Tensor out, Tensor t) {
    return t.avgPool2d(kernel, stride, padding);
  }

  @Differentiable
  @Vjp(of = "avgPool2d", wrt = "self", in = Tensor.class)
  public static Tensor avgPool2dVjp(Tensor self, int kernel, int stride, int padding,
      Tensor out, Tensor g) {
    int[] s = self.shape();
    int area = kernel * kernel;
    Tensor spread = g.reshape(s[0] * s[1], 1, -1).div(area).broadcastTo(s[0] * s[1], area,
        g.numel() / (s[0] * s[1]));
    return spread.fold(s[2], s[3], kernel, stride, padding, 1).reshape(s);
  }

  // ------------------------------------------------------------ scalars and constants

  @Differentiable
  @Jvp(of = "item", wrt = "self", in = Tensor.class)
  public static double itemJvp(Tensor self, double out, Tensor t) {
    return t.item();
  }

  @Differentiable
  @Vjp(of = "item", wrt = "self", in = Tensor.class)
  public static Tensor itemVjp(Tensor self, double out, double g) {
    return self.onesLike().mul(g);
  }

  @Differentiable
  @Jvp(of = "zerosLike", wrt = "self", in = Tensor.class)
  public static Tensor zerosLikeJvp(Tensor self, Tensor out, Tensor t) {
    return out;
  }

  @Differentiable
  @Vjp(of = "zerosLike", wrt = "self", in = Tensor.class)
  public static Tensor zerosLikeVjp(Tensor self, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  @Differentiable
  @Jvp(of = "onesLike", wrt = "self", in = Tensor.class)
  public static Tensor onesLikeJvp(Tensor self, Tensor out, Tensor t) {
    return out.zerosLike();
  }

  @Differentiable
  @Vjp(of = "onesLike", wrt = "self", in = Tensor.class)
  public static Tensor onesLikeVjp(Tensor self, Tensor out, Tensor g) {
    return self.zerosLike();
  }

  // ------------------------------------------------------------ gradients of convolution

  @Differentiable
  @Jvp(of = "conv2dInputGrad", wrt = "weight", in = Tensor.class)
  public static Tensor conv2dInputGradJvpWeight(int[] inputShape, Tensor weight, Tensor grad,
      int stride, int padding, int dilation, int groups, Tensor out, Tensor t) {
    return Tensor.conv2dInputGrad(inputShape, t, grad, stride, padding, dilation, groups);
  }

  @Differentiable
  @Jvp(of = "conv2dInputGrad", wrt = "grad", in = Tensor.class)
  public static Tensor conv2dInputGradJvpGrad(int[] inputShape, Tensor weight, Tensor grad,
      int stride, int padding, int dilation, int groups, Tensor out, Tensor t) {
    return Tensor.conv2dInputGrad(inputShape, weight, t, stride, padding, dilation, groups);
  }

  /** {@code <c, inputGrad(W, g)> = <conv(c, W), g>}: linear in W and in g. */
  @Differentiable
  @Vjp(of = "conv2dInputGrad", wrt = "weight", in = Tensor.class)
  public static Tensor conv2dInputGradVjpWeight(int[] inputShape, Tensor weight, Tensor grad,
      int stride, int padding, int dilation, int groups, Tensor out, Tensor c) {
    return Tensor.conv2dWeightGrad(c, weight.shape(), grad, stride, padding, dilation, groups);
  }

  @Differentiable
  @Vjp(of = "conv2dInputGrad", wrt = "grad", in = Tensor.class)
  public static Tensor conv2dInputGradVjpGrad(int[] inputShape, Tensor weight, Tensor grad,
      int stride, int padding, int dilation, int groups, Tensor out, Tensor c) {
    return c.conv2d(weight, null, stride, padding, dilation, groups);
  }

  @Differentiable
  @Jvp(of = "conv2dWeightGrad", wrt = "input", in = Tensor.class)
  public static Tensor conv2dWeightGradJvpInput(Tensor input, int[] weightShape, Tensor grad,
      int stride, int padding, int dilation, int groups, Tensor out, Tensor t) {
    return Tensor.conv2dWeightGrad(t, weightShape, grad, stride, padding, dilation, groups);
  }

  @Differentiable
  @Jvp(of = "conv2dWeightGrad", wrt = "grad", in = Tensor.class)
  public static Tensor conv2dWeightGradJvpGrad(Tensor input, int[] weightShape, Tensor grad,
      int stride, int padding, int dilation, int groups, Tensor out, Tensor t) {
    return Tensor.conv2dWeightGrad(input, weightShape, t, stride, padding, dilation, groups);
  }

  /** {@code <C, weightGrad(x, g)> = <conv(x, C), g>}: linear in x and in g. */
  @Differentiable
  @Vjp(of = "conv2dWeightGrad", wrt = "input", in = Tensor.class)
  public static Tensor conv2dWeightGradVjpInput(Tensor input, int[] weightShape, Tensor grad,
      int stride, int padding, int dilation, int groups, Tensor out, Tensor c) {
    return Tensor.conv2dInputGrad(input.shape(), c, grad, stride, padding, dilation, groups);
  }

  @Differentiable
  @Vjp(of = "conv2dWeightGrad", wrt = "grad", in = Tensor.class)
  public static Tensor conv2dWeightGradVjpGrad(Tensor input, int[] weightShape, Tensor grad,
      int stride, int padding, int dilation, int groups, Tensor out, Tensor c) {
    return input.conv2d(c, null, stride, padding, dilation, groups);
  }

  // ------------------------------------------------------------ pooling windows

  @Differentiable
  @Jvp(of = "poolWindows", wrt = "self", in = Tensor.class)
  public static Tensor poolWindowsJvp(Tensor self, String op, int kernel, int stride,
      int padding, boolean max, Tensor out, Tensor t) {
    return t.poolWindows(op, kernel, stride, padding, false);
  }

  @Differentiable
  @Vjp(of = "poolWindows", wrt = "self", in = Tensor.class)
  public static Tensor poolWindowsVjp(Tensor self, String op, int kernel, int stride,
      int padding, boolean max, Tensor out, Tensor g) {
    int[] s = self.shape();
    return g.fold(s[2], s[3], kernel, stride, padding, 1).reshape(s);
  }

  // ------------------------------------------------------------ minimum, pow(tensor), max(), contiguous

  /**
   * The share of the gradient that {@code self} takes in {@code maximum} ({@code larger}) or
   * {@code minimum}: all where it was chosen, half on ties, as PyTorch.
   */
  @Differentiable
  static Tensor chosenShare(Tensor self, Tensor other, boolean larger, Tensor like) {
    Tensor won = larger ? self.gt(other) : self.lt(other);
    return mask(won, like).add(mask(self.eq(other), like).mul(0.5));
  }

  @Differentiable
  @Jvp(of = "minimum", wrt = "self", in = Tensor.class)
  public static Tensor minimumJvpSelf(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.mul(chosenShare(self, other, false, t)).broadcastTo(out.shape());
  }

  @Differentiable
  @Jvp(of = "minimum", wrt = "other", in = Tensor.class)
  public static Tensor minimumJvpOther(Tensor self, Tensor other, Tensor out, Tensor t) {
    return t.mul(chosenShare(other, self, false, t)).broadcastTo(out.shape());
  }

  @Differentiable
  @Vjp(of = "minimum", wrt = "self", in = Tensor.class)
  public static Tensor minimumVjpSelf(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g.mul(chosenShare(self, other, false, g)), self);
  }

  @Differentiable
  @Vjp(of = "minimum", wrt = "other", in = Tensor.class)
  public static Tensor minimumVjpOther(Tensor self, Tensor other, Tensor out, Tensor g) {
    return reduceTo(g.mul(chosenShare(other, self, false, g)), other);
  }

  /** {@code d out / d self} of {@code self.pow(exponent)}: 0 where the exponent is 0. */
  @Differentiable
  static Tensor powSlope(Tensor self, Tensor exponent) {
    Tensor slope = exponent.mul(self.pow(exponent.sub(1)));
    return Tensor.where(exponent.eq(0), slope.zerosLike(), slope);
  }

  /** {@code d out / d exponent}: out ln(self), 0 where out is 0 (as PyTorch). */
  @Differentiable
  static Tensor powLogSlope(Tensor self, Tensor out) {
    Tensor slope = out.mul(self.log());
    return Tensor.where(out.eq(0), slope.zerosLike(), slope);
  }

  @Differentiable
  @Jvp(of = "pow", wrt = "self", in = Tensor.class)
  public static Tensor powTensorJvpSelf(Tensor self, Tensor exponent, Tensor out, Tensor t) {
    return t.mul(powSlope(self, exponent)).broadcastTo(out.shape());
  }

  @Differentiable
  @Jvp(of = "pow", wrt = "exponent", in = Tensor.class)
  public static Tensor powTensorJvpExponent(Tensor self, Tensor exponent, Tensor out, Tensor t) {
    return t.mul(powLogSlope(self, out)).broadcastTo(out.shape());
  }

  @Differentiable
  @Vjp(of = "pow", wrt = "self", in = Tensor.class)
  public static Tensor powTensorVjpSelf(Tensor self, Tensor exponent, Tensor out, Tensor g) {
    return reduceTo(g.mul(powSlope(self, exponent)), self);
  }

  @Differentiable
  @Vjp(of = "pow", wrt = "exponent", in = Tensor.class)
  public static Tensor powTensorVjpExponent(Tensor self, Tensor exponent, Tensor out, Tensor g) {
    return reduceTo(g.mul(powLogSlope(self, out)), exponent);
  }

  /** The elements equal to the maximum, each with an equal share (PyTorch's max()). */
  @Differentiable
  static Tensor maxShare(Tensor self, Tensor out) {
    Tensor chosen = mask(self.eq(out), self);
    return chosen.div(chosen.sum());
  }

  @Differentiable
  @Jvp(of = "max", wrt = "self", in = Tensor.class)
  public static Tensor maxAllJvp(Tensor self, Tensor out, Tensor t) {
    return t.mul(maxShare(self, out)).sum();
  }

  @Differentiable
  @Vjp(of = "max", wrt = "self", in = Tensor.class)
  public static Tensor maxAllVjp(Tensor self, Tensor out, Tensor g) {
    return maxShare(self, out).mul(g);
  }

  @Differentiable
  @Jvp(of = "contiguous", wrt = "self", in = Tensor.class)
  public static Tensor contiguousJvp(Tensor self, Tensor out, Tensor t) {
    return t;
  }

  @Differentiable
  @Vjp(of = "contiguous", wrt = "self", in = Tensor.class)
  public static Tensor contiguousVjp(Tensor self, Tensor out, Tensor g) {
    return g;
  }

  // ------------------------------------------------------------ arrays to tensors and back

  @Differentiable
  @Jvp(of = "of", wrt = "data", in = Tensor.class)
  public static Tensor ofJvp(double[] data, int[] shape, Tensor out, double[] t) {
    return Tensor.of(t, shape);
  }

  @Differentiable
  @Vjp(of = "of", wrt = "data", in = Tensor.class)
  public static double[] ofVjp(double[] data, int[] shape, Tensor out, Tensor g) {
    return g.toDoubleArray();
  }

  @Differentiable
  @Jvp(of = "of", wrt = "data", in = Tensor.class)
  public static Tensor ofJvp(float[] data, int[] shape, Tensor out, float[] t) {
    return Tensor.of(t, shape);
  }

  @Differentiable
  @Vjp(of = "of", wrt = "data", in = Tensor.class)
  public static float[] ofVjp(float[] data, int[] shape, Tensor out, Tensor g) {
    return g.toFloatArray();
  }

  @Differentiable
  @Jvp(of = "toDoubleArray", wrt = "self", in = Tensor.class)
  public static double[] toDoubleArrayJvp(Tensor self, double[] out, Tensor t) {
    return t.toDoubleArray();
  }

  @Differentiable
  @Vjp(of = "toDoubleArray", wrt = "self", in = Tensor.class)
  public static Tensor toDoubleArrayVjp(Tensor self, double[] out, double[] g) {
    return Tensor.of(g, self.shape()).to(self.dtype()).to(self.device());
  }

  @Differentiable
  @Jvp(of = "toFloatArray", wrt = "self", in = Tensor.class)
  public static float[] toFloatArrayJvp(Tensor self, float[] out, Tensor t) {
    return t.toFloatArray();
  }

  @Differentiable
  @Vjp(of = "toFloatArray", wrt = "self", in = Tensor.class)
  public static Tensor toFloatArrayVjp(Tensor self, float[] out, float[] g) {
    return Tensor.of(g, self.shape()).to(self.dtype()).to(self.device());
  }
}
