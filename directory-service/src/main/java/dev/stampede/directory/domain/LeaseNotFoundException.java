package dev.stampede.directory.domain;

/**
 * The lease expired, was replaced by a newer registration of the device, or was withdrawn. The gRPC edge answers
 * {@code NOT_FOUND}: the client registers again instead of retrying.
 */
public final class LeaseNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LeaseNotFoundException() {
    super("lease_id: the lease expired or was replaced (register again)", null, false, false);
  }
}
