package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GradBench's {@code lstm} (ADBench's): an {@code l}-layer LSTM with diagonal weights, run over
 * a sequence of {@code c} characters of {@code b} bits each; the objective is the mean negative
 * log-likelihood of each next character, and the derivative its gradient in the main and the
 * extra parameters, concatenated. Written as the C++ reference writes it, over flat arrays: the
 * state is a local copy updated in place, step after step.
 */
public final class Lstm implements Eval {
  @Differentiable
  public static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /**
   * The loss. {@code mainParams} holds, per layer, the weights then the biases of the forget,
   * input, output and change gates ({@code 8 b} numbers); {@code extraParams} the input
   * weights, output weights and output biases; {@code state0}, per layer, the hidden state then
   * the cell.
   */
  @Differentiable
  public static double objective(double[] mainParams, double[] extraParams,
      @NoDerivative double[] state0, @NoDerivative double[] sequence, int l, int c, int b) {
    double[] state = new double[2 * l * b];
    for (int i = 0; i < 2 * l * b; i++) {
      state[i] = state0[i];
    }
    double[] x = new double[b];
    double[] ypred = new double[b];
    double total = 0;
    int count = 0;
    for (int t = 0; t < c - 1; t++) {
      for (int i = 0; i < b; i++) {
        x[i] = sequence[t * b + i] * extraParams[i];
      }
      for (int layer = 0; layer < l; layer++) {
        int p = 8 * b * layer;
        int s = 2 * b * layer;
        for (int i = 0; i < b; i++) {
          double forget = sigmoid(x[i] * mainParams[p + i] + mainParams[p + 4 * b + i]);
          double ingate = sigmoid(state[s + i] * mainParams[p + b + i]
              + mainParams[p + 5 * b + i]);
          double outgate = sigmoid(x[i] * mainParams[p + 2 * b + i]
              + mainParams[p + 6 * b + i]);
          double change = Math.tanh(state[s + i] * mainParams[p + 3 * b + i]
              + mainParams[p + 7 * b + i]);
          double cell = state[s + b + i] * forget + ingate * change;
          state[s + b + i] = cell;
          double hidden = outgate * Math.tanh(cell);
          state[s + i] = hidden;
          x[i] = hidden; // the next layer's input
        }
      }
      double sum = 2; // log(sum(exp(y)) + 2), as ADBench's logsumexp
      for (int i = 0; i < b; i++) {
        double y = x[i] * extraParams[b + i] + extraParams[2 * b + i];
        ypred[i] = y;
        sum += Math.exp(y);
      }
      double lse = Math.log(sum);
      for (int i = 0; i < b; i++) {
        total += sequence[(t + 1) * b + i] * (ypred[i] - lse);
      }
      count += b;
    }
    return -total / count;
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    Map<String, Object> input = Json.object(message);
    int[] md = new int[2];
    int[] sd = new int[2];
    double[] main = Json.rows(input.get("main_params"), md);
    double[] extra = Json.rows(input.get("extra_params"), new int[2]);
    double[] state = Json.rows(input.get("state"), new int[2]);
    double[] sequence = Json.rows(input.get("sequence"), sd);
    int l = md[0] / 2;
    int b = md[1] / 4;
    int c = sd[0];
    switch (function) {
      case "objective":
        return () -> objective(main, extra, state, sequence, l, c, b);
      case "jacobian":
        return () -> {
          LstmDerivatives.ObjectiveGrad g =
              LstmDerivatives.objectiveGrad(main, extra, state, sequence, l, c, b);
          double[] out = new double[main.length + extra.length];
          System.arraycopy(g.mainParams(), 0, out, 0, main.length);
          System.arraycopy(g.extraParams(), 0, out, main.length, extra.length);
          return out;
        };
      default:
        return null;
    }
  }
}
