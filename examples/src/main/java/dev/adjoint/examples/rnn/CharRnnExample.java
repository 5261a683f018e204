package dev.adjoint.examples.rnn;

import dev.adjoint.ad.ValueAndGrad;
import dev.adjoint.optim.Adam;
import dev.adjoint.optim.ClipGrad;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Trains {@link CharRnn} on {@link Text#SAMPLE} for a few hundred steps of backpropagation
 * through time (the generated {@code CharRnnDerivatives.lossValueAndGrad}), printing the falling
 * loss, then lets it write a line of its own.
 *
 * <p>{@code mvn -q -pl examples exec:exec@run -Dexec.mainClass=dev.adjoint.examples.rnn.CharRnnExample}
 */
public final class CharRnnExample {
  static final int STEPS = 300;
  static final int BATCH = 32;
  static final int WINDOW = 24;

  private CharRnnExample() {}

  /** No arguments. */
  public static void main(String[] args) {
    Text text = new Text(Text.SAMPLE);
    System.out.printf("%d characters, %d distinct; loss of a uniform guess: %.3f%n",
        text.length(), text.vocabularySize(), Math.log(text.vocabularySize()));
    CharRnn model = train(text, STEPS, true);
    System.out.println("sample: " + sample(model, text, "the ", 120));
  }

  /** {@code steps} Adam steps on random windows, everything seeded. */
  public static CharRnn train(Text text, int steps, boolean print) {
    SplittableRandom random = new SplittableRandom(5);
    CharRnn model = CharRnn.init(random, text.vocabularySize(), 16, 128);
    Optimizer<CharRnn> optimizer = Adam.of(model, 1e-2);
    for (int step = 1; step <= steps; step++) {
      Tensor[] batch = text.windows(random, BATCH, WINDOW);
      ValueAndGrad<Tensor, CharRnn> vg =
          CharRnnDerivatives.lossValueAndGrad(model, batch[0], batch[1]);
      // recurrent networks' gradients can spike; clipping keeps the steps bounded
      model = optimizer.step(model, ClipGrad.byNorm(vg.grad(), 1.0).grad());
      if (print && (step == 1 || step % 25 == 0)) {
        System.out.printf("step %3d: loss %.3f%n", step, vg.value().item());
      }
    }
    return model;
  }

  /** Continues {@code prompt} with the most likely character, {@code length} times. */
  public static String sample(CharRnn model, Text text, String prompt, int length) {
    StringBuilder out = new StringBuilder(prompt);
    Tensor h = Tensor.zeros(1, model.hiddenToHidden().weight().size(0));
    long next = 0;
    for (int i = 0; i < prompt.length() + length - 1; i++) {
      long ch = i < prompt.length() ? text.index(prompt.charAt(i)) : next;
      h = model.cell(h, Tensor.of(new long[] {ch}, 1));
      next = (long) model.readOut().forward(h).argmax(1).item();
      if (i >= prompt.length() - 1) out.append(text.character(next));
    }
    return out.toString();
  }
}
