package dev.stampede.directory.domain;

/**
 * This pod holds as many watch streams as it is configured to. The gRPC edge answers {@code RESOURCE_EXHAUSTED}
 * (reason {@code CAPACITY_EXHAUSTED}) with a retry delay; another pod may have room.
 */
public final class CapacityExhaustedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CapacityExhaustedException(String message) {
    super(message, null, false, false);
  }
}
