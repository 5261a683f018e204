package dev.adjoint.processor.ir;

/** A typed variable of one function. Identity matters: two variables may never share a name. */
public final class Var {
  private final String name;
  private final IrType type;

  public Var(String name, IrType type) {
    this.name = name;
    this.type = type;
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
