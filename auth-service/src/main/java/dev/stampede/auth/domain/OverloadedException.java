package dev.stampede.auth.domain;

/**
 * The password-hashing executor is full: the gRPC edge answers {@code RESOURCE_EXHAUSTED} (reason
 * {@code OVERLOADED}) with a retry delay. Thrown before any hashing work was done.
 */
public final class OverloadedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OverloadedException(String message) {
    super(message, null, false, false);
  }
}
