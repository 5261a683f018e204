package dev.adjoint.backend.cpu;

import dev.adjoint.tensor.Backend;

/** The scalar definition of every element-wise operation, in double and in float. */
final class Ops {
  private Ops() {}

  static double apply(Backend.UnaryOp op, double x, double p) {
    switch (op) {
      case NEG: return -x;
      case EXP: return Math.exp(x);
      case LOG: return Math.log(x);
      case SQRT: return Math.sqrt(x);
      case ABS: return Math.abs(x);
      case TANH: return Math.tanh(x);
      case SIGMOID: return 1 / (1 + Math.exp(-x));
      case RELU: return x > 0 ? x : 0;
      case SIN: return Math.sin(x);
      case COS: return Math.cos(x);
      case POW: return Math.pow(x, p);
      case CLAMP_MIN: return x < p ? p : x;
      case CLAMP_MAX: return x > p ? p : x;
      case SIGN: return Math.signum(x);
      case STEP: return x > 0 ? 1 : 0;
      case LOG1P: return Math.log1p(x);
      case ERF: return Erf.erf(x);
      default: throw new IllegalArgumentException(op.toString());
    }
  }

  static double apply(Backend.BinaryOp op, double a, double b) {
    switch (op) {
      case ADD: return a + b;
      case SUB: return a - b;
      case MUL: return a * b;
      case DIV: return a / b;
      case POW: return Math.pow(a, b);
      case MAX: return a >= b || Double.isNaN(a) ? a : b;
      case MIN: return a <= b || Double.isNaN(a) ? a : b;
      case GT: return a > b ? 1 : 0;
      case LT: return a < b ? 1 : 0;
      case EQ: return a == b ? 1 : 0;
      default: throw new IllegalArgumentException(op.toString());
    }
  }

  /** Integer semantics for INT64 (exact for add, sub, mul, max, min, comparisons). */
  static long apply(Backend.BinaryOp op, long a, long b) {
    switch (op) {
      case ADD: return a + b;
      case SUB: return a - b;
      case MUL: return a * b;
      case MAX: return Math.max(a, b);
      case MIN: return Math.min(a, b);
      case GT: return a > b ? 1 : 0;
      case LT: return a < b ? 1 : 0;
      case EQ: return a == b ? 1 : 0;
      default: return (long) apply(op, (double) a, (double) b);
    }
  }

  static float apply(Backend.UnaryOp op, float x, float p) {
    switch (op) {
      case NEG: return -x;
      case ABS: return Math.abs(x);
      case RELU: return x > 0 ? x : 0;
      case CLAMP_MIN: return x < p ? p : x;
      case CLAMP_MAX: return x > p ? p : x;
      case SIGN: return Math.signum(x);
      case STEP: return x > 0 ? 1 : 0;
      case SQRT: return (float) Math.sqrt(x);
      default: return (float) apply(op, (double) x, (double) p);
    }
  }

  static float apply(Backend.BinaryOp op, float a, float b) {
    switch (op) {
      case ADD: return a + b;
      case SUB: return a - b;
      case MUL: return a * b;
      case DIV: return a / b;
      default: return (float) apply(op, (double) a, (double) b);
    }
  }
}
