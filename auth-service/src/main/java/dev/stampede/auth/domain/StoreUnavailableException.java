package dev.stampede.auth.domain;

/**
 * The store (Redis) could not be reached or did not answer in time. The gRPC edge answers {@code UNAVAILABLE} with
 * reason {@code DEPENDENCY_UNAVAILABLE} and a retry delay; the operation had no effect, or an effect the client
 * can safely retry (every write is idempotent or conditional).
 */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
