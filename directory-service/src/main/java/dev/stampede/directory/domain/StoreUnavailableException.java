package dev.stampede.directory.domain;

/**
 * Redis could not be reached or did not answer in time. The gRPC edge answers {@code UNAVAILABLE} with reason
 * {@code DEPENDENCY_UNAVAILABLE} and a retry delay. Every write of this service is idempotent or conditional, so the
 * client may retry whether or not the write took effect.
 */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
