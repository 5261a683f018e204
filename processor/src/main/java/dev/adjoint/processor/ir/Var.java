package dev.adjoint.processor.ir;

/** A typed variable of one function. Identity matters: two variables may never share a name. */
public final class Var {
  private final String name;
  private final IrType type;
  private final boolean synthetic;

  public Var(String name, IrType type) {
    this(name, type, false);
  }

  /** A synthetic variable is a temporary no one wrote: the emitter may fold it away. */
  public Var(String name, IrType type, boolean synthetic) {
    this.name = name;
    this.type = type;
    this.synthetic = synthetic;
  }

  public boolean isSynthetic() {
    return synthetic;
  }

  public String name() {
    return name;
  }

  public IrType type() {
    return type;
  }

  @Override
  public String toString() {
    return name;
  }
}
