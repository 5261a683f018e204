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
    if (!muted) trees.printMessage(Diagnostic.Kind.ERROR, message.format(args), tree, unit);
    return new Abort();
  }

  public Abort error(Element element, Message message, Object... args) {
    errors++;
    if (!muted) messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), element);
    return new Abort();
  }

  public int errorCount() {
    return errors;
  }
}
