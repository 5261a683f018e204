package dev.adjoint.tests.bench;

import dev.adjoint.tensor.Tensor;
import java.util.Map;

/**
 * One system's training step on one workload of {@link TrainingStepReport}: forward, loss,
 * backward and the optimizer's update, from weights and batches that every system reads from
 * the same file.
 */
interface TrainingStep extends AutoCloseable {
  /** The workloads: model and optimizer. */
  String[] WORKLOADS = {"mlp-sgd", "mlp-adam", "cnn-sgd"};

  /** Batches per workload in the data file; steps cycle through them. */
  int BATCHES = 8;

  /** Step {@code i} (batch {@code i % BATCHES}); its loss when {@code wantLoss}, else NaN. */
  double step(int i, boolean wantLoss);

  @Override
  default void close() {}

  /** {@code "mlp"} or {@code "cnn"}. */
  static String model(String workload) {
    return workload.substring(0, workload.indexOf('-'));
  }

  static boolean adam(String workload) {
    return workload.endsWith("-adam");
  }

  /** The batch {@code b} of a model: input and labels. */
  static Tensor[] batch(Map<String, Tensor> data, String model, int b) {
    return new Tensor[] {data.get(model + ".x." + b), data.get(model + ".y." + b)};
  }
}
