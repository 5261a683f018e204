package dev.adjoint.tests.bench;

import dev.adjoint.ad.ValueAndGrad;
import dev.adjoint.optim.Adam;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Sgd;
import dev.adjoint.tensor.Tensor;
import dev.adjoint.tests.bench.StepModels.Cnn;
import dev.adjoint.tests.bench.StepModels.Mlp;
import java.util.Map;

/** Adjoint's step: the generated {@code lossValueAndGrad} and an optimizer from dev.adjoint.optim. */
final class AdjointTrainingStep implements TrainingStep {
  private final Tensor[][] batches;
  private final boolean mlp;
  private Mlp mlpModel;
  private Cnn cnnModel;
  private final Optimizer<Mlp> mlpOpt;
  private final Optimizer<Cnn> cnnOpt;

  AdjointTrainingStep(String workload, Map<String, Tensor> data) {
    String model = TrainingStep.model(workload);
    batches = new Tensor[BATCHES][];
    for (int b = 0; b < BATCHES; b++) batches[b] = TrainingStep.batch(data, model, b);
    mlp = model.equals("mlp");
    boolean adam = TrainingStep.adam(workload);
    if (mlp) {
      mlpModel = Mlp.of(data, "mlp.");
      mlpOpt = adam ? Adam.of(mlpModel, 1e-3) : Sgd.of(mlpModel, 0.01);
      cnnOpt = null;
    } else {
      cnnModel = Cnn.of(data, "cnn.");
      cnnOpt = adam ? Adam.of(cnnModel, 1e-3) : Sgd.of(cnnModel, 0.01);
      mlpOpt = null;
    }
  }

  @Override
  public double step(int i, boolean wantLoss) {
    Tensor[] b = batches[i % BATCHES];
    Tensor loss;
    if (mlp) {
      ValueAndGrad<Tensor, Mlp> vg = StepModels_MlpDerivatives.lossValueAndGrad(mlpModel, b[0],
          b[1]);
      mlpModel = mlpOpt.step(mlpModel, vg.grad());
      loss = vg.value();
    } else {
      ValueAndGrad<Tensor, Cnn> vg = StepModels_CnnDerivatives.lossValueAndGrad(cnnModel, b[0],
          b[1]);
      cnnModel = cnnOpt.step(cnnModel, vg.grad());
      loss = vg.value();
    }
    return wantLoss ? loss.item() : Double.NaN;
  }
}
