package dev.adjoint.processor.shape;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.read.Site;
import javax.lang.model.element.ExecutableElement;

/**
 * Finds the tree to put a diagnostic on when a problem knows only its line: the return
 * statement, the assignment or declaration, or the {@code new} of a record on that line.
 */
final class Locator {
  private Locator() {}

  static Site find(Trees trees, ExecutableElement m, int line, Interpreter.Where where) {
    MethodTree tree = trees.getTree(m);
    TreePath path = trees.getPath(m);
    if (tree == null || path == null || tree.getBody() == null || line < 0) return null;
    CompilationUnitTree unit = path.getCompilationUnit();
    Tree[] best = {null, null};
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree t, Void p) {
        if (t == null) return null;
        long pos = trees.getSourcePositions().getStartPosition(unit, t);
        boolean here = pos >= 0 && unit.getLineMap().getLineNumber(pos) == line;
        if (here && best[0] == null && matches(t, where)) best[0] = t;
        if (here && best[1] == null && t instanceof StatementTree) best[1] = t;
        return super.scan(t, p);
      }
    }.scan(tree.getBody(), null);
    Tree t = best[0] != null ? best[0] : best[1];
    return t == null ? null : new Site(t, unit);
  }

  private static boolean matches(Tree t, Interpreter.Where where) {
    switch (where) {
      case RETURN: return t instanceof ReturnTree;
      case NEW: return t instanceof NewClassTree;
      case ASSIGN: return t instanceof VariableTree || t.getKind() == Tree.Kind.ASSIGNMENT;
      default: return false;
    }
  }
}
