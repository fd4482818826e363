package dev.stampede.directory.domain;

/**
 * The server is shutting down and takes no new work; open watches end with it. The gRPC edge answers
 * {@code UNAVAILABLE} (reason {@code DRAINING}) with a short retry delay: another pod can serve at once.
 */
public final class DrainingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DrainingException() {
    super("the server is draining", null, false, false);
  }
}
