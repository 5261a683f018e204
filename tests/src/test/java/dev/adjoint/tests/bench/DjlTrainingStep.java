package dev.adjoint.tests.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.adjoint.tensor.Tensor;
import java.util.Map;

/**
 * PyTorch 2.7 through DJL (offline, CPU): the same model as {@link StepModels} in DJL's
 * operators, autograd through {@link GradientCollector}, and DJL's fused SGD and Adam updates.
 * Each step's temporaries live in a sub-manager closed at the end of the step.
 */
final class DjlTrainingStep implements TrainingStep {
  private final NDManager manager = NDManager.newBaseManager();
  private final NDArray[] params;
  private final NDArray[][] batches;
  private final boolean mlp;
  private final Optimizer optimizer;

  DjlTrainingStep(String workload, Map<String, Tensor> data) {
    String model = TrainingStep.model(workload);
    mlp = model.equals("mlp");
    String[] names = mlp ? StepModels.Mlp.NAMES : StepModels.Cnn.NAMES;
    params = new NDArray[names.length];
    for (int i = 0; i < names.length; i++) {
      params[i] = array(data.get(model + "." + names[i]));
      params[i].setRequiresGradient(true);
    }
    batches = new NDArray[BATCHES][];
    for (int b = 0; b < BATCHES; b++) {
      Tensor[] xy = TrainingStep.batch(data, model, b);
      batches[b] = new NDArray[] {array(xy[0]), manager.create(xy[1].toLongArray(),
          new Shape(xy[1].numel(), 1))};
    }
    optimizer = TrainingStep.adam(workload)
        ? Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()
        : Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build();
  }

  private NDArray array(Tensor t) {
    long[] shape = new long[t.dim()];
    for (int i = 0; i < shape.length; i++) shape[i] = t.size(i);
    return manager.create(t.toFloatArray(), new Shape(shape));
  }

  private NDArray logits(NDArray x) {
    NDArray[] p = params;
    if (mlp) {
      NDArray h = Activation.relu(Linear.linear(x, p[0], p[1]).singletonOrThrow());
      h = Activation.relu(Linear.linear(h, p[2], p[3]).singletonOrThrow());
      return Linear.linear(h, p[4], p[5]).singletonOrThrow();
    }
    Shape one = new Shape(1, 1);
    Shape two = new Shape(2, 2);
    Shape none = new Shape(0, 0);
    NDArray h = Conv2d.conv2d(x, p[0], p[1], one, one, one, 1).singletonOrThrow();
    h = Pool.maxPool2d(Activation.relu(h), two, two, none, false);
    h = Conv2d.conv2d(h, p[2], p[3], one, one, one, 1).singletonOrThrow();
    h = Pool.maxPool2d(Activation.relu(h), two, two, none, false);
    return Linear.linear(h.reshape(h.getShape().get(0), -1), p[4], p[5]).singletonOrThrow();
  }

  @Override
  public double step(int i, boolean wantLoss) {
    NDArray[] b = batches[i % BATCHES];
    try (NDManager scope = manager.newSubManager()) {
      // Results go to their first operand's manager: with the batch in this step's scope,
      // every temporary is freed when the step ends.
      b[0].tempAttach(scope);
      b[1].tempAttach(scope);
      double value = Double.NaN;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = logits(b[0]).logSoftmax(1).gather(b[1], 1).mean().neg();
        gc.backward(loss);
        if (wantLoss) value = loss.getFloat();
      }
      for (int k = 0; k < params.length; k++) {
        NDArray g = params[k].getGradient();
        g.attach(scope);
        optimizer.update("p" + k, params[k], g);
        g.subi(g); // PyTorch accumulates into .grad: zero it for the next step
      }
      return value;
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
