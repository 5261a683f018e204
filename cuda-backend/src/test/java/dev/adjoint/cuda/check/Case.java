package dev.adjoint.cuda.check;

import dev.adjoint.tensor.DType;
import java.util.function.Function;

/**
 * One op-value check: arguments from fresh random values of each dtype in {@code dtypes}, the
 * operation run on the CPU and on CUDA, results compared within {@code scale} times the
 * dtype's tolerance. {@code setup} runs before the CUDA run and {@code teardown} after (TF32).
 */
public record Case(String group, String name, DType[] dtypes, Function<Gen, Object[]> args,
    Function<Object[], Object> op, double scale, Runnable setup, Runnable teardown) {
  static final DType[] FLOATS = {DType.FLOAT64, DType.FLOAT32};
  static final Runnable NOTHING = () -> {};

  static Case of(String group, String name, Function<Gen, Object[]> args,
      Function<Object[], Object> op) {
    return new Case(group, name, FLOATS, args, op, 1, NOTHING, NOTHING);
  }

  Case scaled(double s) {
    return new Case(group, name, dtypes, args, op, s, setup, teardown);
  }

  Case only(DType... ds) {
    return new Case(group, name, ds, args, op, scale, setup, teardown);
  }

  Case around(Runnable before, Runnable after) {
    return new Case(group, name, dtypes, args, op, scale, before, after);
  }
}
