package dev.adjoint.examples.rnn;

import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/** A short text as INT64 character indices, and random windows of it for training. */
public final class Text {
  /** Written for this example; repetitive enough to be learned in a few hundred steps. */
  public static final String SAMPLE = """
      the gradient flows back through the loop, one step at a time.
      the forward pass goes through the loop, one step at a time.
      the network reads a character, keeps a state, and guesses the next character.
      the state is a vector, the guess is a softmax, and the loss is the cross entropy.
      the gradient of the loss goes back through every step of the loop.
      the optimizer takes a step, the loss goes down, and the network guesses better.
      one step at a time, the network learns the text, and the text is this one.
      """;

  private final char[] vocabulary;
  private final long[] indices;

  /** The text's distinct characters, sorted, are its vocabulary. */
  public Text(String text) {
    vocabulary = text.chars().distinct().sorted().collect(StringBuilder::new,
        StringBuilder::appendCodePoint, StringBuilder::append).toString().toCharArray();
    indices = text.chars().mapToLong(ch -> Arrays.binarySearch(vocabulary, (char) ch)).toArray();
  }

  public int vocabularySize() {
    return vocabulary.length;
  }

  public int length() {
    return indices.length;
  }

  /** The character of index {@code i}. */
  public char character(long i) {
    return vocabulary[(int) i];
  }

  /** The index of {@code ch}, which must be in the vocabulary. */
  public long index(char ch) {
    int i = Arrays.binarySearch(vocabulary, ch);
    if (i < 0) throw new IllegalArgumentException("Text: '" + ch + "' is not in the text");
    return i;
  }

  /** The text's characters as indices. */
  public long[] indices() {
    return indices.clone();
  }

  /** Inputs and targets {@code (batch, steps)}: windows at random offsets, targets one later. */
  public Tensor[] windows(SplittableRandom random, int batch, int steps) {
    long[] inputs = new long[batch * steps];
    long[] targets = new long[batch * steps];
    for (int b = 0; b < batch; b++) {
      int start = random.nextInt(indices.length - steps);
      System.arraycopy(indices, start, inputs, b * steps, steps);
      System.arraycopy(indices, start + 1, targets, b * steps, steps);
    }
    return new Tensor[] {Tensor.of(inputs, batch, steps), Tensor.of(targets, batch, steps)};
  }
}
