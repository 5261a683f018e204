package dev.adjoint.processor.diff;

import dev.adjoint.processor.check.Message;

/** A derivative that cannot be built, with the message for the user. */
public final class DiffException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Object site;
  private final Message message;
  private final transient Object[] args;

  public DiffException(Object site, Message message, Object... args) {
    super(message.format(args));
    this.site = site;
    this.message = message;
    this.args = args;
  }

  public Object site() {
    return site;
  }

  public Message message() {
    return message;
  }

  public Object[] args() {
    return args;
  }
}
