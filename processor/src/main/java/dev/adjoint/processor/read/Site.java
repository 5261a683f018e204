package dev.adjoint.processor.read;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;

/** A position in user source, kept on calls so that later stages can report errors there. */
public record Site(Tree tree, CompilationUnitTree unit) {}
