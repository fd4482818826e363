package dev.stampede.directory.domain;

/**
 * The lease id belongs to another user, or to another device of the caller: a session may only extend or withdraw
 * the lease of the device its token is bound to. The gRPC edge answers {@code PERMISSION_DENIED}.
 */
public final class ForeignLeaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ForeignLeaseException() {
    super("lease_id: belongs to another user or device (expected: a lease of this session's device)", null, false,
        false);
  }
}
