package dev.adjoint.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.nn.ModelTree;
import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The character RNN learns its text, measured against what no model of single characters can
 * beat, and its gradient through the time loop is the derivative central differences give.
 */
class CharRnnTest {
  private final Text text = new Text(Text.SAMPLE);

  @Test
  void learnsMoreThanCharacterFrequencies() {
    // the cross-entropy of the best guess that ignores context: the text's unigram entropy
    long[] counts = new long[text.vocabularySize()];
    for (long i : text.indices()) counts[(int) i]++;
    double unigram = 0;
    for (long count : counts) {
      double p = (double) count / text.length();
      unigram -= p * Math.log(p);
    }
    CharRnn untrained = CharRnn.init(new SplittableRandom(5), text.vocabularySize(), 16, 128);
    CharRnn trained = CharRnnExample.train(text, CharRnnExample.STEPS, false);
    double before = wholeTextLoss(untrained);
    double after = wholeTextLoss(trained);
    assertEquals(Math.log(text.vocabularySize()), before, 0.3, "untrained: about uniform");
    assertTrue(after < 0.25 * unigram, "loss " + after + " against unigram entropy " + unigram);
    String sample = CharRnnExample.sample(trained, text, "the ", 40);
    assertTrue(Text.SAMPLE.contains(sample.substring(0, 20)), "sample: " + sample);
  }

  @Test
  void gradientThroughTheLoopMatchesCentralDifferences() {
    SplittableRandom random = new SplittableRandom(8);
    ModelTree<CharRnn> tree = ModelTree.of(CharRnn.class);
    CharRnn model = tree.map(CharRnn.init(random, text.vocabularySize(), 4, 6),
        t -> t.to(DType.FLOAT64));
    CharRnn direction = tree.map(model, t -> Tensor.randn(DType.FLOAT64, random, t.shape()));
    Tensor[] batch = text.windows(random, 3, 7);
    CharRnn grad = CharRnnDerivatives.lossGrad(model, batch[0], batch[1]);

    double eps = 1e-6;
    double plus = plus(tree, model, direction, eps).loss(batch[0], batch[1]).item();
    double minus = plus(tree, model, direction, -eps).loss(batch[0], batch[1]).item();
    double fd = (plus - minus) / (2 * eps);
    double analytic = dot(tree, grad, direction);
    assertEquals(fd, analytic, 1e-7 * Math.max(1, Math.abs(fd)));
  }

  /** The mean loss of predicting every character of the text from all before it. */
  private double wholeTextLoss(CharRnn model) {
    long[] all = text.indices();
    int steps = all.length - 1;
    Tensor inputs = Tensor.of(Arrays.copyOf(all, steps), 1, steps);
    Tensor targets = Tensor.of(Arrays.copyOfRange(all, 1, all.length), 1, steps);
    return model.loss(inputs, targets).item();
  }

  private static CharRnn plus(ModelTree<CharRnn> tree, CharRnn a, CharRnn b, double scale) {
    Tensor[] x = tree.tensors(a);
    Tensor[] y = tree.tensors(b);
    Tensor[] sum = new Tensor[x.length];
    for (int i = 0; i < x.length; i++) sum[i] = x[i].add(y[i].mul(scale));
    return tree.rebuild(a, sum);
  }

  private static double dot(ModelTree<CharRnn> tree, CharRnn a, CharRnn b) {
    Tensor[] x = tree.tensors(a);
    Tensor[] y = tree.tensors(b);
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i].mul(y[i]).sum().item();
    return s;
  }
}
