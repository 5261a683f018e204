package dev.adjoint.examples.rnn;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Embedding;
import dev.adjoint.nn.Linear;
import dev.adjoint.nn.Losses;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * A character-level recurrent network, PyTorch's {@code nn.RNN} cell written out:
 * {@code h = tanh(W_ih x + b_ih + W_hh h + b_hh)} over embedded characters, and a linear read-out
 * of the next character's logits. The loss runs the cell in a plain {@code for} loop over the
 * time steps; the processor differentiates through the loop (backpropagation through time).
 */
public record CharRnn(Embedding embed, Linear inputToHidden, Linear hiddenToHidden,
    Linear readOut) {
  /** PyTorch's default initialization of each layer. */
  public static CharRnn init(RandomGenerator random, int vocabulary, int embedding, int hidden) {
    return new CharRnn(Embedding.init(random, vocabulary, embedding),
        Linear.init(random, embedding, hidden), Linear.init(random, hidden, hidden),
        Linear.init(random, hidden, vocabulary));
  }

  /** One time step: the next hidden state {@code (batch, hidden)} from INT64 characters. */
  @Differentiable
  public Tensor cell(Tensor h, @NoDerivative Tensor characters) {
    return inputToHidden.forward(embed.forward(characters)).add(hiddenToHidden.forward(h)).tanh();
  }

  /**
   * Mean cross-entropy of predicting {@code targets} {@code (batch, steps)} from {@code inputs}
   * (the same text shifted by one character), from a zero hidden state.
   */
  @Differentiable
  public Tensor loss(@NoDerivative Tensor inputs, @NoDerivative Tensor targets) {
    int batch = inputs.size(0);
    int steps = inputs.size(1);
    DType dtype = readOut.weight().dtype();
    Tensor h = Tensor.zeros(dtype, batch, hiddenToHidden.weight().size(0));
    Tensor total = Tensor.zeros(dtype);
    for (int t = 0; t < steps; t++) {
      h = cell(h, inputs.slice(1, t, t + 1).reshape(batch));
      Tensor logits = readOut.forward(h);
      total = total.add(Losses.crossEntropy(logits, targets.slice(1, t, t + 1).reshape(batch)));
    }
    return total.div(steps);
  }
}
