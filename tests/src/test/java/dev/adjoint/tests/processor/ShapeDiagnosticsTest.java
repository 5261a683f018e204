package dev.adjoint.tests.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.adjoint.tests.processor.Snippets.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.DifferentiableProcessor;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Compile-time shapes: for each family of operations, a program with a shape bug gets exactly
 * one {@code [AdjointShape]} error, at the operation, and the same program fixed compiles
 * cleanly; shapes flow through calls, loops, branches and records; what is unknown is never an
 * error.
 */
class ShapeDiagnosticsTest {
  private static final ShapePrograms PROGRAMS = new ShapePrograms()
      // ------------------------------------------------------------------ element-wise
      .add("Broadcast", "KEEP", "false", "true", """
          final class Broadcast {
            @Differentiable
            static Tensor centered(@Shape("B, C") Tensor x) {
              Tensor mean = x.mean(1, KEEP);
              return x.sub(mean).pow(2).sum(); // error
            }
          }
          """)
      .add("Where", "LABELS", "B", "B, 1", """
          final class Where {
            @Differentiable
            static Tensor pick(@Shape("B, 10") Tensor a, @Shape("B, 10") Tensor b,
                @NoDerivative @Shape("LABELS") Tensor mask, @Shape("B") Tensor w) {
              Tensor m = Tensor.where(mask, a, b); // error
              return m.mul(w.unsqueeze(1)).add(m).sum();
            }
          }
          """)
      // ------------------------------------------------------------------ matmul
      .add("Matmul", "ROWS", "256", "784", """
          final class Matmul {
            record Mlp(@Shape("ROWS, H") Tensor w1, @Shape("H, 10") Tensor w2) {}

            @Differentiable
            static Tensor logits(Mlp m, @Shape("B, 784") Tensor x) {
              return x.matmul(m.w1()).relu().matmul(m.w2()); // error
            }
          }
          """)
      .add("MatmulBatch", "HEADS", "8", "H", """
          final class MatmulBatch {
            @Differentiable
            static Tensor attend(@Shape("H, T, D") Tensor q, @Shape("HEADS, D, T") Tensor k) {
              return q.matmul(k).softmax(-1).sum(); // error
            }
          }
          """)
      .add("MatmulVector", "LEN", "H + 1", "H", """
          final class MatmulVector {
            @Differentiable
            static Tensor score(@Shape("B, H") Tensor x, @Shape("LEN") Tensor v) {
              Tensor s = x.matmul(v); // error
              @Shape("B") Tensor perRow = s;
              return perRow.sum();
            }
          }
          """)
      .add("MatmulBatchLost", "FLAT", "x", "x.reshape(-1, 64)", """
          final class MatmulBatchLost {
            @Differentiable
            @Shape("B, 10")
            static Tensor head(@Shape("B, 8, 8") Tensor x, @Shape("64, 10") Tensor w) {
              return FLAT.matmul(w); // error
            }
          }
          """)
      // ------------------------------------------------------------------ views
      .add("Transpose", "WT", "w", "w.transpose(0, 1)", """
          final class Transpose {
            @Differentiable
            static Tensor y(@Shape("B, 784") Tensor x, @Shape("10, 784") Tensor w) {
              return x.matmul(WT).sum(); // error
            }
          }
          """)
      .add("Permute", "ORDER", "0, 2, 1", "0, 3, 1, 2", """
          final class Permute {
            @Differentiable
            static Tensor nchw(@Shape("B, H, W, C") Tensor x, @Shape("16, C, 3, 3") Tensor k) {
              return x.permute(ORDER).conv2d(k).sum(); // error
            }
          }
          """)
      .add("Reshape", "SIZE", "400", "256", """
          final class Reshape {
            @Differentiable
            static Tensor flat(@Shape("B, 16, 4, 4") Tensor x) {
              return x.reshape(x.size(0), SIZE).sum(); // error
            }
          }
          """)
      .add("ReshapeInferred", "IN", "400", "256", """
          final class ReshapeInferred {
            @Differentiable
            static Tensor fc(@Shape("B, 16, 4, 4") Tensor x, @Shape("IN, 10") Tensor w) {
              Tensor flat = x.reshape(x.size(0), -1);
              return flat.matmul(w).sum(); // error
            }
          }
          """)
      .add("ReshapeMultiple", "SIZE", "400", "256", """
          final class ReshapeMultiple {
            @Differentiable
            static Tensor rows(@Shape("B, 16, 4, 4") Tensor x) {
              return x.reshape(-1, SIZE).sum(); // error
            }
          }
          """)
      .add("Flatten", "N", "64", "48", """
          final class Flatten {
            @Differentiable
            static Tensor dot(@Shape("4, 3, 4") Tensor x, @Shape("N") Tensor v) {
              return x.flatten().mul(v).sum(); // error
            }
          }
          """)
      .add("Unsqueeze", "AT", "0", "1", """
          final class Unsqueeze {
            @Differentiable
            static Tensor scaled(@Shape("B, C") Tensor x, @Shape("B") Tensor w) {
              return x.mul(w.unsqueeze(AT)).sum(); // error
            }
          }
          """)
      .add("Squeeze", "DIM", "0", "1", """
          final class Squeeze {
            @Differentiable
            static Tensor weighted(@Shape("B, 1") Tensor w, @Shape("B, C") Tensor y) {
              return w.squeeze(DIM).matmul(y).sum(); // error
            }
          }
          """)
      .add("BroadcastTo", "TARGET", "4, 3", "3, 4", """
          final class BroadcastTo {
            @Differentiable
            static Tensor tiled(@Shape("1, 4") Tensor x) {
              return x.broadcastTo(TARGET).sum(); // error
            }
          }
          """)
      .add("Slice", "END", "40", "10", """
          final class Slice {
            @Differentiable
            static Tensor head(@Shape("B, 32") Tensor x, @Shape("10, H") Tensor w) {
              return x.slice(1, 0, END).matmul(w).sum(); // error
            }
          }
          """)
      // ------------------------------------------------------------------ joining
      .add("Cat", "DIM", "0", "1", """
          final class Cat {
            @Differentiable
            static Tensor joined(@Shape("B, H") Tensor a, @Shape("B, K") Tensor b,
                @Shape("H + K, 10") Tensor w) {
              return Tensor.cat(DIM, a, b).matmul(w).sum(); // error
            }
          }
          """)
      .add("CatSum", "DECLARED", "B, H", "B, H + K", """
          final class CatSum {
            @Differentiable
            static Tensor joined(@Shape("B, H") Tensor a, @Shape("B, K") Tensor b) {
              @Shape("DECLARED") Tensor c = Tensor.cat(1, a, b); // error
              return c.sum();
            }
          }
          """)
      .add("Stack", "SECOND", "B, 11", "B, 10", """
          final class Stack {
            @Differentiable
            static Tensor pair(@Shape("B, 10") Tensor a, @Shape("SECOND") Tensor b) {
              return Tensor.stack(0, a, b).sum(); // error
            }
          }
          """)
      // ------------------------------------------------------------------ reductions
      .add("ReduceDim", "DIM", "2", "-1", """
          final class ReduceDim {
            @Differentiable
            static Tensor total(@Shape("B, C") Tensor x) {
              return x.sum(DIM, false).sum(); // error
            }
          }
          """)
      .add("SoftmaxOfScalar", "SCALAR", "x.sum()", "x.sum().reshape(1)", """
          final class SoftmaxOfScalar {
            @Differentiable
            static Tensor weights(@Shape("B, C") Tensor x) {
              Tensor total = SCALAR;
              return total.softmax(-1).sum(); // error
            }
          }
          """)
      .add("ReduceKeepDim", "KEEP", "false", "true", """
          final class ReduceKeepDim {
            @Differentiable
            static Tensor normalized(@Shape("B, T, D") Tensor x) {
              Tensor norm = x.pow(2).sum(-1, KEEP).sqrt();
              return x.div(norm).sum(); // error
            }
          }
          """)
      .add("Softmax", "DIM", "2", "1", """
          final class Softmax {
            @Differentiable
            static Tensor nll(@Shape("B, 10") Tensor logits) {
              return logits.logSoftmax(DIM).mean(); // error
            }
          }
          """)
      // ------------------------------------------------------------------ indexing
      .add("Gather", "INDEX", "labels", "labels.unsqueeze(1)", """
          final class Gather {
            @Differentiable
            static Tensor nll(@Shape("B, 10") Tensor logits,
                @NoDerivative @Shape("B") Tensor labels) {
              return logits.logSoftmax(1).gather(1, INDEX).mean().neg(); // error
            }
          }
          """)
      .add("IndexSelect", "IDS", "B, 2", "B", """
          final class IndexSelect {
            @Differentiable
            static Tensor rows(@Shape("V, D") Tensor table, @NoDerivative @Shape("IDS") Tensor ids) {
              return table.indexSelect(0, ids).sum(); // error
            }
          }
          """)
      // ------------------------------------------------------------------ images
      .add("Conv", "IN", "3", "1", """
          final class Conv {
            @Differentiable
            static Tensor features(@Shape("B, 1, 28, 28") Tensor x, @Shape("6, IN, 5, 5") Tensor k) {
              return x.conv2d(k).relu().sum(); // error
            }
          }
          """)
      .add("ConvFlatten", "FLAT", "16 * 5 * 5", "16 * 4 * 4", """
          final class ConvFlatten {
            record LeNet(@Shape("6, 1, 5, 5") Tensor c1, @Shape("16, 6, 5, 5") Tensor c2,
                @Shape("FLAT, 10") Tensor fc) {}

            @Differentiable
            static Tensor logits(LeNet n, @Shape("B, 1, 28, 28") Tensor x) {
              Tensor h = x.conv2d(n.c1()).relu().maxPool2d(2, 2, 0);
              h = h.conv2d(n.c2()).relu().maxPool2d(2, 2, 0);
              return h.reshape(h.size(0), -1).matmul(n.fc()); // error
            }
          }
          """)
      .add("ConvSymbolic", "OUT", "H - 2, W - 2", "H, W", """
          final class ConvSymbolic {
            @Differentiable
            static Tensor same(@Shape("B, C, H, W") Tensor x, @Shape("K, C, 3, 3") Tensor k) {
              @Shape("B, K, OUT") Tensor y = x.conv2d(k, null, 1, 1, 1, 1); // error
              return y.sum();
            }
          }
          """)
      .add("ConvStride", "SIZE", "15", "16", """
          final class ConvStride {
            @Differentiable
            static Tensor down(@Shape("B, C, 32, 32") Tensor x, @Shape("K, C, 3, 3") Tensor k) {
              Tensor y = x.conv2d(k, null, 2, 1, 1, 1);
              @Shape("B, K, SIZE, SIZE") Tensor z = y; // error
              return z.sum();
            }
          }
          """)
      .add("Pool", "KERNEL", "3", "2", """
          final class Pool {
            @Differentiable
            static Tensor pooled(@Shape("B, 8, 2, 2") Tensor x) {
              return x.maxPool2d(KERNEL, 1, 0).sum(); // error
            }
          }
          """)
      .add("Unfold", "K", "3", "2", """
          final class Unfold {
            @Differentiable
            static Tensor patches(@Shape("B, 3, 8, 8") Tensor x, @Shape("12, 5") Tensor w) {
              Tensor cols = x.unfold(K, 2, 0, 1).transpose(1, 2);
              @Shape("B, 16, 5") Tensor y = cols.matmul(w); // error
              return y.sum();
            }
          }
          """)
      .add("ViewLoop", "STEP", "h.view(-1, 2 * d)", "h.view(-1, d)", """
          final class ViewLoop {
            @Differentiable
            static Tensor f(@Shape("B, D") Tensor x, @Shape("D, D") Tensor w, int steps) {
              Tensor h = x;
              int d = x.size(1);
              int i = 0;
              while (true) {
                if (i >= steps) break;
                h = STEP.matmul(w).tanh(); // error
                i++;
              }
              return h.sum();
            }
          }
          """)
      .add("Creation", "COLS", "5", "4", """
          final class Creation {
            @Differentiable
            static Tensor biased(@Shape("B, 4") Tensor x) {
              Tensor w = Tensor.ones(COLS, 3);
              return x.matmul(w).sum(); // error
            }
          }
          """)
      // ------------------------------------------------------------------ nn layers
      .add("LinearLayer", "FLAT", "x", "x.reshape(x.size(0), -1)", """
          import dev.adjoint.nn.Linear;
          final class LinearLayer {
            @Differentiable
            static Tensor logits(@Shape("10, 784") Tensor w, @Shape("10") Tensor b,
                @Shape("B, 1, 28, 28") Tensor x) {
              Linear fc = new Linear(w, b);
              @Shape("B, 10") Tensor y = fc.forward(FLAT); // error
              return y.sum();
            }
          }
          """)
      .add("ConvLayer", "PAD", "2", "0", """
          import dev.adjoint.nn.Conv2d;
          final class ConvLayer {
            @Differentiable
            static Tensor logits(@Shape("6, 1, 5, 5") Tensor k, @Shape("6") Tensor kb,
                @Shape("864, 10") Tensor w, @Shape("B, 1, 28, 28") Tensor x) {
              Conv2d conv = new Conv2d(k, kb, 1, PAD, 1, 1);
              Tensor h = conv.forward(x).relu().maxPool2d(2, 2, 0);
              return h.reshape(x.size(0), -1).matmul(w).sum(); // error
            }
          }
          """)
      .add("ConvLayerRank", "IMAGES", "x", "x.reshape(-1, 1, 28, 28)", """
          import dev.adjoint.nn.Conv2d;
          record ConvLayerRank(Conv2d conv) {
            @Differentiable
            Tensor features(@Shape("B, 784") Tensor x) {
              return conv.forward(IMAGES).relu().sum(); // error
            }
          }
          """)
      .add("EmbeddingLoss", "POOL", "", ".mean(1, false)", """
          import dev.adjoint.nn.Embedding;
          import dev.adjoint.nn.Losses;
          final class EmbeddingLoss {
            @Differentiable
            static Tensor loss(Embedding emb, @Shape("D, 10") Tensor w,
                @NoDerivative @Shape("B, T") Tensor ids, @NoDerivative @Shape("B") Tensor labels) {
              Tensor logits = emb.forward(ids)POOL.matmul(w);
              return Losses.crossEntropy(logits, labels); // error
            }
          }
          """)
      .add("CrossEntropyLabels", "LABELS", "labels.unsqueeze(1)", "labels", """
          import dev.adjoint.nn.Losses;
          final class CrossEntropyLabels {
            @Differentiable
            static Tensor loss(@Shape("B, 784") Tensor x, @Shape("784, 10") Tensor w,
                @NoDerivative @Shape("B") Tensor labels) {
              return Losses.crossEntropy(x.matmul(w), LABELS); // error
            }
          }
          """)
      .add("MseLoss", "TARGET", "y", "y.unsqueeze(1)", """
          import dev.adjoint.nn.Losses;
          final class MseLoss {
            @Differentiable
            static Tensor loss(@Shape("B, 13") Tensor x, @Shape("13, 1") Tensor w,
                @NoDerivative @Shape("B") Tensor y) {
              return Losses.mseLoss(x.matmul(w), TARGET); // error
            }
          }
          """)
      .add("BatchNormLayer", "FEATURES", "features", "features.unsqueeze(0)", """
          import dev.adjoint.nn.BatchNorm;
          final class BatchNormLayer {
            @Differentiable
            static Tensor one(BatchNorm bn, @Shape("C") Tensor features) {
              return bn.forward(FEATURES).sum(); // error
            }
          }
          """)
      .add("LayersKeepShapes", "ROWS", "256", "784", """
          import dev.adjoint.nn.Activations;
          import dev.adjoint.nn.Dropout;
          import dev.adjoint.nn.LayerNorm;
          final class LayersKeepShapes {
            @Differentiable
            static Tensor f(Dropout drop, LayerNorm norm, @Shape("B, 784") Tensor x,
                @Shape("ROWS, 10") Tensor w, @NoDerivative long seed) {
              Tensor h = Activations.gelu(norm.forward(drop.forward(x, seed)));
              return h.matmul(w).sum(); // error
            }
          }
          """)
      .add("Attention", "MEMORY", "S, E", "B, S, E", """
          import dev.adjoint.nn.MultiheadAttention;
          final class Attention {
            @Differentiable
            static Tensor f(MultiheadAttention mha, @Shape("B, T, E") Tensor x,
                @Shape("MEMORY") Tensor memory, @NoDerivative Tensor mask) {
              return mha.forward(x, memory, memory, mask).sum(); // error
            }
          }
          """)
      // ------------------------------------------------------------------ declarations
      .add("Result", "OUT", "B, 10", "B, H", """
          final class Result {
            @Differentiable
            @Shape("OUT")
            static Tensor hidden(@Shape("B, 784") Tensor x, @Shape("784, H") Tensor w) {
              return x.matmul(w).relu(); // error
            }
          }
          """)
      .add("Local", "DECLARED", "B, 784", "B, H", """
          final class Local {
            @Differentiable
            static Tensor hidden(@Shape("B, 784") Tensor x, @Shape("784, H") Tensor w) {
              @Shape("DECLARED") Tensor h = x.matmul(w); // error
              return h.sum();
            }
          }
          """)
      .add("LocalReassigned", "SECOND", "h.transpose(0, 1)", "h.relu()", """
          final class LocalReassigned {
            @Differentiable
            static Tensor hidden(@Shape("B, 784") Tensor x, @Shape("784, H") Tensor w) {
              @Shape("B, H") Tensor h = x.matmul(w);
              h = SECOND; // error
              return h.sum();
            }
          }
          """)
      .add("Record", "W2", "H, 10", "H + 1, 10", """
          final class Record {
            record Net(@Shape("784, H") Tensor w1, @Shape("H") Tensor b1,
                @Shape("W2") Tensor w2) {
              @Differentiable
              Tensor loss(@Shape("B, 784") Tensor x) {
                Tensor h = x.matmul(w1).add(b1).relu();
                Tensor pad = Tensor.cat(1, h, Tensor.ones(h.size(0), 1));
                return pad.matmul(w2).sum(); // error
              }
            }
          }
          """)
      .add("RecordInstances", "SECOND", "b", "a", """
          final class RecordInstances {
            record Layer(@Shape("16, O") Tensor w, @Shape("O") Tensor b) {}

            @Differentiable
            static Tensor twice(Layer a, Layer b, @Shape("N, 16") Tensor x) {
              Tensor h = x.matmul(a.w()).add(a.b());
              return h.add(SECOND.b()).sum(); // error
            }
          }
          """)
      .add("RecordBuilt", "BIAS", "Tensor.zeros(10)", "Tensor.zeros(256)", """
          final class RecordBuilt {
            record Layer(@Shape("I, O") Tensor w, @Shape("O") Tensor b) {}

            @Differentiable
            static Tensor apply(@Shape("B, 784") Tensor x, @Shape("784, 256") Tensor w) {
              return forward(new Layer(w, BIAS), x); // error
            }

            @Differentiable
            static Tensor forward(Layer l, Tensor x) {
              return x.matmul(l.w()).add(l.b()).sum();
            }
          }
          """)
      // ------------------------------------------------------------------ calls
      .add("CallDeclared", "W", "w", "w.transpose(0, 1)", """
          final class CallDeclared {
            @Differentiable
            @Shape("N, M")
            static Tensor dense(@Shape("N, K") Tensor x, @Shape("K, M") Tensor w) {
              return x.matmul(w);
            }

            @Differentiable
            static Tensor y(@Shape("B, 784") Tensor x, @Shape("256, 784") Tensor w) {
              return dense(x, W).sum(); // error
            }
          }
          """)
      .add("CallResult", "CLASSES", "10", "256", """
          final class CallResult {
            @Differentiable
            static Tensor dense(Tensor x, Tensor w) {
              return x.matmul(w).relu();
            }

            @Differentiable
            static Tensor y(@Shape("B, 784") Tensor x, @Shape("784, 256") Tensor w1,
                @Shape("CLASSES, 10") Tensor w2) {
              Tensor h = dense(x, w1);
              return h.matmul(w2).sum(); // error
            }
          }
          """)
      .add("CallInside", "W1", "256, 784", "784, 256", """
          final class CallInside {
            @Differentiable
            static Tensor dense(Tensor x, Tensor w) {
              return x.matmul(w).relu();
            }

            @Differentiable
            static Tensor y(@Shape("B, 784") Tensor x, @Shape("W1") Tensor w1) {
              return dense(x, w1).sum(); // error
            }
          }
          """)
      .add("Gradient", "GRADIENT", "g", "g.transpose(0, 1)", """
          final class Gradient {
            @Differentiable
            static Tensor loss(@Shape("F, O") Tensor w, @NoDerivative @Shape("N, F") Tensor x) {
              return x.matmul(w).pow(2).mean();
            }

            @Differentiable
            static Tensor penalized(@Shape("F, O") Tensor w, @NoDerivative @Shape("N, F") Tensor x,
                @Shape("O, F") Tensor v) {
              Tensor g = GradientDerivatives.lossGrad(w, x);
              return loss(w, x).add(v.mul(GRADIENT).sum()); // error
            }
          }
          """)
      .add("Undifferentiated", "ROWS", "10", "784", """
          record Undifferentiated(@Shape("ROWS, C") Tensor w) {
            @Shape("B, C")
            Tensor predict(@Shape("B, 784") Tensor x) {
              return x.matmul(w); // error
            }
          }
          """)
      // ------------------------------------------------------------------ control flow
      .add("Loop", "W", "w.transpose(0, 1)", "w", """
          final class Loop {
            @Differentiable
            static Tensor deep(@Shape("B, H") Tensor x, @Shape("H, 2 * H") Tensor w, int layers) {
              Tensor h = x;
              for (int i = 0; i < layers; i++) {
                Tensor both = h.matmul(W); // error
                h = both.slice(1, 0, h.size(1)).tanh();
              }
              return h.sum();
            }
          }
          """)
      .add("Branch", "W", "w2", "w1", """
          final class Branch {
            @Differentiable
            static Tensor pick(@Shape("B, 784") Tensor x, @Shape("784, 10") Tensor w1,
                @Shape("256, 10") Tensor w2, boolean small) {
              Tensor y;
              if (small) {
                y = x.matmul(w1);
              } else {
                y = x.matmul(W); // error
              }
              return y.sum();
            }
          }
          """);

  private static void check(String name) {
    ShapePrograms.Program p = PROGRAMS.program(name);
    ShapePrograms.Outcome o = PROGRAMS.buggy().get(name);
    assertEquals(java.util.List.of(), o.others(), name + ": other diagnostics");
    assertEquals(java.util.List.of((long) p.markedLine()), o.lines(),
        name + ": [AdjointShape] errors " + o.messages());
    for (String problem : PROGRAMS.fixedProblems()) {
      assertTrue(!problem.contains("/" + name + ".java"), "fixed " + name + ": " + problem);
    }
  }

  private static String message(String name) {
    check(name);
    return PROGRAMS.buggy().get(name).messages().get(0);
  }

  @Test
  void broadcastingAReductionWithoutKeepDim() {
    assertEquals("[AdjointShape] sub: (B, C) and (B) do not broadcast: sizes C and B (dimension "
        + "-1, counting from the end) differ and neither is 1; give the operand that should "
        + "repeat a dimension of size 1 there (unsqueeze, or keepDim = true in the reduction "
        + "that made it), or transpose the other", message("Broadcast"));
  }

  @Test
  void whereBroadcastsItsThreeOperands() {
    check("Where");
  }

  @Test
  void matmulInnerDimensions() {
    assertEquals("[AdjointShape] matmul: (B, 784) x (256, H): inner dimensions 784 and 256 "
        + "differ; the last dimension on the left must equal the first dimension of the matrix "
        + "on the right: transpose the operand stored the other way round (transpose(0, 1) for "
        + "a weight), or fix its @Shape", message("Matmul"));
  }

  @Test
  void matmulBatchDimensions() {
    assertTrue(message("MatmulBatch").contains("batch dimensions (H) and (8) do not broadcast"));
  }

  @Test
  void matmulWithAVector() {
    assertTrue(message("MatmulVector").contains("(B, H) x (H + 1): inner dimensions H and "
        + "H + 1 differ"), message("MatmulVector"));
  }

  @Test
  void matmulLosingTheBatchDimension() {
    assertTrue(message("MatmulBatchLost").contains("(B, 8, 8) x (64, 10): inner dimensions 8 "
        + "and 64 differ"), message("MatmulBatchLost"));
  }

  @Test
  void transpose() {
    check("Transpose");
  }

  @Test
  void permute() {
    assertTrue(message("Permute").contains("permute: (0, 2, 1) does not name every dimension "
        + "of (B, H, W, C) once"), message("Permute"));
  }

  @Test
  void reshapeElementCount() {
    assertEquals("[AdjointShape] reshape: cannot view (B, 16, 4, 4) (256*B elements) as (B, 400) "
        + "(400*B elements); the element counts must agree: compute the sizes from the input "
        + "(x.size(0), -1) or fix the declared shapes", message("Reshape"));
  }

  @Test
  void reshapeSolvesMinusOne() {
    assertTrue(message("ReshapeInferred").contains("(B, 256) x (400, 10)"),
        message("ReshapeInferred"));
  }

  @Test
  void reshapeMinusOneThatCannotDivide() {
    assertTrue(message("ReshapeMultiple").contains("256*B is not a multiple of 400 (for B = 1)"),
        message("ReshapeMultiple"));
  }

  @Test
  void flatten() {
    assertTrue(message("Flatten").contains("(48) and (64) do not broadcast"),
        message("Flatten"));
  }

  @Test
  void unsqueezeAtTheWrongPlace() {
    check("Unsqueeze");
  }

  @Test
  void squeeze() {
    check("Squeeze");
  }

  @Test
  void broadcastTo() {
    assertTrue(message("BroadcastTo").contains("cannot broadcast (1, 4) to (4, 3)"),
        message("BroadcastTo"));
  }

  @Test
  void slice() {
    assertTrue(message("Slice").contains("[0, 40) is out of range for dimension 1 of size 32"),
        message("Slice"));
  }

  @Test
  void catOnTheWrongDimension() {
    assertTrue(message("Cat").contains("cat: (B, H) and (B, K) differ in dimension 1 (H and K)"),
        message("Cat"));
  }

  @Test
  void catAddsSizesSymbolically() {
    assertEquals("[AdjointShape] 'c' is declared @Shape(\"B, H\"), but is (B, H + K) here: "
        + "dimension 1 is H + K, not H; fix the declaration or the computation",
        message("CatSum"));
  }

  @Test
  void stack() {
    check("Stack");
  }

  @Test
  void reductionDimensionOutOfRange() {
    assertEquals("[AdjointShape] sum: dimension 2 is out of range for (B, C) (valid: -2 to 1); "
        + "count dimensions from 0, or from -1 at the end", message("ReduceDim"));
  }

  @Test
  void dimensionOfAScalar() {
    assertEquals("[AdjointShape] softmax: dimension -1 is out of range for a tensor with no "
        + "dimensions (a scalar, ()); give it one first, e.g. reshape(1)",
        message("SoftmaxOfScalar"));
  }

  @Test
  void reductionWithoutKeepDimBroadcastAgainstItsInput() {
    assertTrue(message("ReduceKeepDim").contains("div: (B, T, D) and (B, T) do not broadcast"),
        message("ReduceKeepDim"));
  }

  @Test
  void softmaxDimension() {
    check("Softmax");
  }

  @Test
  void gatherNeedsTheIndexUnsqueezed() {
    assertEquals("[AdjointShape] gather: the index (B) must have as many dimensions as the input "
        + "(B, 10); unsqueeze the index where it picks (index.unsqueeze(1))", message("Gather"));
  }

  @Test
  void indexSelect() {
    check("IndexSelect");
  }

  @Test
  void convChannels() {
    assertTrue(message("Conv").contains("conv2d: input (B, 1, 28, 28) has 1 channels, but weight "
        + "(6, 3, 5, 5) expects 3"), message("Conv"));
  }

  @Test
  void flattenSizeAfterConvAndPool() {
    assertTrue(message("ConvFlatten").contains("(B, 256) x (400, 10)"), message("ConvFlatten"));
  }

  @Test
  void convOutputSizesOnNames() {
    assertTrue(message("ConvSymbolic").contains("is (B, K, H, W) here: dimension 2 is H, not "
        + "H - 2"), message("ConvSymbolic"));
  }

  @Test
  void convStrideArithmetic() {
    check("ConvStride");
  }

  @Test
  void poolWindowLargerThanTheInput() {
    check("Pool");
  }

  @Test
  void unfoldSizes() {
    assertTrue(message("Unfold").contains("(B, 9, 27) x (12, 5): inner dimensions 27 and 12"),
        message("Unfold"));
  }

  @Test
  void viewInAWhileLoopWithBreak() {
    assertTrue(message("ViewLoop").contains("view: cannot view (B, D)"), message("ViewLoop"));
  }

  @Test
  void createdTensors() {
    check("Creation");
  }

  @Test
  void declaredResult() {
    assertEquals("[AdjointShape] Result.hidden is declared to return @Shape(\"B, 10\"), but "
        + "returns (B, H) here: dimension 1 is H, not 10; fix the declaration or the "
        + "computation", message("Result"));
  }

  @Test
  void declaredLocal() {
    check("Local");
  }

  @Test
  void declaredLocalReassigned() {
    check("LocalReassigned");
  }

  @Test
  void recordComponents() {
    check("Record");
  }

  @Test
  void namesAreBoundPerRecordInstance() {
    assertTrue(message("RecordInstances").contains("(N, a.O) and (b.O)"),
        message("RecordInstances"));
  }

  @Test
  void recordBuiltWithTheWrongComponent() {
    check("RecordBuilt");
  }

  @Test
  void callToAMethodWithDeclaredShapes() {
    assertEquals("[AdjointShape] CallDeclared.dense: the argument for 'w' is (256, 784), but 'w' "
        + "is declared @Shape(\"K, M\"): dimension 0 is 256, but K is 784 (from x); pass a "
        + "tensor of the declared shape", message("CallDeclared"));
  }

  @Test
  void shapesFlowOutOfUnannotatedCallees() {
    check("CallResult");
  }

  @Test
  void mismatchInsideACalleeIsReportedAtTheCall() {
    assertTrue(message("CallInside").startsWith("[AdjointShape] CallInside.dense fails for these "
        + "arguments, at CallInside.java:7: matmul: (B, 784) x (256, 784)"),
        message("CallInside"));
  }

  @Test
  void aGradientHasTheShapeOfItsParameter() {
    assertTrue(message("Gradient").contains("mul: (O, F) and (F, O) do not broadcast"),
        message("Gradient"));
  }

  @Test
  void methodsThatAreNotDifferentiatedButDeclareShapes() {
    check("Undifferentiated");
  }

  @Test
  void linearLayer() {
    assertEquals("[AdjointShape] Linear.forward: input (B, 1, 28, 28) has 28 features in its "
        + "last dimension, but the weight (10, 784) takes 784 (the weight is [out, in]); give the "
        + "layer 28 inputs, or fix the layer before", message("LinearLayer"));
  }

  @Test
  void convLayerHyperparameters() {
    assertTrue(message("ConvLayer").contains("(B, 1176) x (864, 10): inner dimensions 1176 and "
        + "864 differ"), message("ConvLayer"));
  }

  @Test
  void convLayerInputRank() {
    assertTrue(message("ConvLayerRank").contains("Conv2d.forward: expected an input (N, C, H, W) "
        + "or (C, H, W), got (B, 784)"), message("ConvLayerRank"));
  }

  @Test
  void embeddingThenALossOverTheUnpooledSequence() {
    assertTrue(message("EmbeddingLoss").contains("Losses.crossEntropy: labels (B) do not fit "
        + "logits (B, T, 10)"), message("EmbeddingLoss"));
  }

  @Test
  void crossEntropyLabels() {
    assertEquals("[AdjointShape] Losses.crossEntropy: labels (B, 1) do not fit logits (B, 10): "
        + "the labels need the logits' shape without the class dimension, (B); squeeze the "
        + "labels' last dimension", message("CrossEntropyLabels"));
  }

  @Test
  void elementLossesDoNotBroadcast() {
    assertTrue(message("MseLoss").contains("Losses.mseLoss: prediction (B, 1) and target (B) "
        + "differ in shape"), message("MseLoss"));
  }

  @Test
  void batchNormNeedsABatch() {
    check("BatchNormLayer");
  }

  @Test
  void dropoutNormalizationAndActivationsKeepTheShape() {
    assertTrue(message("LayersKeepShapes").contains("(B, 784) x (256, 10)"),
        message("LayersKeepShapes"));
  }

  @Test
  void attentionKeysWithoutTheBatch() {
    assertTrue(message("Attention").contains("MultiheadAttention.forward: query, key and value "
        + "need the same number of dimensions"), message("Attention"));
  }

  @Test
  void theAnalysisCanBeTurnedOffAndTimed() {
    ShapePrograms.Program p = PROGRAMS.program("Matmul");
    JavaFileObject f = JavaFileObjects.forSourceString("shapes.Matmul", p.buggy());
    Compilation off = javac().withProcessors(new DifferentiableProcessor())
        .withOptions("-Aadjoint.shapes=off").compile(f);
    assertThat(off).succeededWithoutWarnings();
    Compilation timed = javac().withProcessors(new DifferentiableProcessor())
        .withOptions("-Aadjoint.shapes=time").compile(
            JavaFileObjects.forSourceString("shapes.Matmul", p.fixed()));
    assertThat(timed).succeeded();
    assertThat(timed).hadNoteContaining("[AdjointShape] shape analysis: ");
  }

  @Test
  void loops() {
    check("Loop");
  }

  @Test
  void branches() {
    check("Branch");
  }

  @Test
  void unknownShapesAreNeverAnError() {
    JavaFileObject f = JavaFileObjects.forSourceString("shapes.Unknown", ShapePrograms.HEADER + """
        final class Unknown {
          @Differentiable
          static Tensor f(Tensor x, Tensor w, int n, @Shape("B, 784") Tensor y) {
            Tensor h = x.matmul(w).reshape(n, -1).transpose(0, 1);
            Tensor z = y.matmul(h);
            return z.sum(n % 2, false).add(Tensor.cat(0, x, w).sum()).sum();
          }
        }
        """);
    Compilation c = compile(f);
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void layersOfUnknownSizesAreNeverAnError() {
    // A layer's sizes are the model's to fix: a Linear in a model, or passed in, is some Linear
    // (its names are not the method's own, which must work for every value).
    JavaFileObject f = JavaFileObjects.forSourceString("shapes.Layers", ShapePrograms.HEADER + """
        import dev.adjoint.nn.*;
        record Layers(Conv2d conv, BatchNorm bn, Linear fc1, Linear fc2, Dropout drop) {
          @Differentiable
          Tensor loss(@Shape("B, 1, 28, 28") Tensor x, @NoDerivative @Shape("B") Tensor labels,
              @NoDerivative long seed) {
            Tensor h = bn.forward(conv.forward(x)).relu().maxPool2d(2, 2, 0);
            Tensor z = drop.forward(fc1.forward(h.reshape(x.size(0), -1)).relu(), seed);
            return Losses.crossEntropy(fc2.forward(z), labels);
          }

          @Differentiable
          static Tensor step(Linear fc, MultiheadAttention mha, @Shape("B, T, 64") Tensor x) {
            return fc.forward(mha.forward(x, true)).sum();
          }
        }
        """);
    assertThat(compile(f)).succeededWithoutWarnings();
  }

  @Test
  void shapesThatDependOnTheBranchBecomeUnknown() {
    JavaFileObject f = JavaFileObjects.forSourceString("shapes.Joined", ShapePrograms.HEADER + """
        final class Joined {
          @Differentiable
          static Tensor f(@Shape("B, 784") Tensor x, @Shape("784, 256") Tensor a,
              @Shape("784, 10") Tensor b, @Shape("10, 3") Tensor c, boolean wide) {
            Tensor h = wide ? x.matmul(a) : x.matmul(b);
            Tensor g = x;
            for (int i = 0; i < 3; i++) g = Tensor.cat(1, g, x);
            // h is (B, _): either width may follow; g grows: (B, _)
            return h.matmul(c).sum().add(g.matmul(a).sum());
          }

          @Differentiable
          static Tensor byRank(@Shape("..., 784") Tensor x, @Shape("784, 10") Tensor w) {
            Tensor y = x;
            if (x.dim() == 3) y = x.reshape(-1, 784);
            if (x.size(0) > 1) y = y.matmul(w).matmul(w);
            return y.sum();
          }
        }
        """);
    assertThat(compile(f)).succeededWithoutWarnings();
  }

  @Test
  void malformedDeclarations() {
    JavaFileObject f = JavaFileObjects.forSourceString("shapes.Malformed", ShapePrograms.HEADER + """
        final class Malformed {
          @Differentiable
          static Tensor f(@Shape("B, 7x") Tensor x, @Shape("B") double scale) {
            return x.mul(scale).sum();
          }
        }
        """);
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    assertThat(c).hadErrorContaining("[AdjointShape] @Shape(\"B, 7x\") does not parse: a name "
        + "cannot start with a digit at position 5").inFile(f).onLine(6);
    assertThat(c).hadErrorContaining("[AdjointShape] @Shape on parameter 'scale' of type double: "
        + "only tensors have shapes; remove it").inFile(f).onLine(6);
  }

  @Test
  void everyFixedProgramCompilesCleanly() {
    assertEquals(java.util.List.of(), PROGRAMS.fixedProblems());
  }
}
