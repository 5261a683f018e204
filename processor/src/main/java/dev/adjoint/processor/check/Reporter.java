package dev.adjoint.processor.check;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports diagnostics: at an exact tree inside a body when there is one, else at an element.
 * Counts errors so that the processor writes nothing when any was reported.
 */
public final class Reporter {
  /** Thrown after an error has been reported, to stop work on one method only. */
  public static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Abort() {
      super(null, null, false, false);
    }
  }

  private final Messager messager;
  private final Trees trees;
  private final boolean muted;
  private int errors;
  /** What was printed, so that an error met twice (by two derivatives of one method) shows once. */
  private final java.util.Set<String> printed = new java.util.HashSet<>();

  public Reporter(Messager messager, Trees trees) {
    this(messager, trees, false);
  }

  private Reporter(Messager messager, Trees trees, boolean muted) {
    this.messager = messager;
    this.trees = trees;
    this.muted = muted;
  }

  /**
   * A reporter that prints nothing, for reading code that is not differentiated only to
   * analyze it: what it cannot read is not an error there.
   */
  public static Reporter muted(Trees trees) {
    return new Reporter(null, trees, true);
  }

  public Abort error(Tree tree, CompilationUnitTree unit, Message message, Object... args) {
    errors++;
    String text = message.format(args);
    String key = unit.getSourceFile().toUri() + ":"
        + trees.getSourcePositions().getStartPosition(unit, tree) + ":" + text;
    if (!muted && printed.add(key)) {
      trees.printMessage(Diagnostic.Kind.ERROR, text, tree, unit);
    }
    return new Abort();
  }

  public Abort error(Element element, Message message, Object... args) {
    errors++;
    String text = message.format(args);
    if (!muted && printed.add(element + ":" + text)) {
      messager.printMessage(Diagnostic.Kind.ERROR, text, element);
    }
    return new Abort();
  }

  public int errorCount() {
    return errors;
  }
}
