package dev.adjoint.processor.read;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;

/** A position in user source, kept on calls so that later stages can report errors there. */
public record Site(Tree tree, CompilationUnitTree unit) {
  /**
   * The source of argument {@code position} of the call at {@code site} (the receiver first for
   * an instance method), as the user wrote it, or {@code fallback} where it is not known.
   */
  public static String argument(Object site, int position, boolean instance, String fallback) {
    if (!(site instanceof Site) || !(((Site) site).tree() instanceof MethodInvocationTree)) {
      return fallback;
    }
    MethodInvocationTree call = (MethodInvocationTree) ((Site) site).tree();
    int p = instance ? position - 1 : position;
    if (p < 0) {
      return call.getMethodSelect() instanceof MemberSelectTree
          ? ((MemberSelectTree) call.getMethodSelect()).getExpression().toString() : "this";
    }
    return p < call.getArguments().size() ? call.getArguments().get(p).toString() : fallback;
  }
}
