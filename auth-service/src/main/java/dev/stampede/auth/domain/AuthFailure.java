package dev.stampede.auth.domain;

/**
 * A credential was refused: the gRPC edge answers {@code UNAUTHENTICATED} with {@link #reason()} as the
 * {@code google.rpc.ErrorInfo} reason. The message is the same for every cause within a reason, so the answer
 * never tells a caller which check failed (unknown user versus wrong password, forged versus rotated ticket).
 */
public final class AuthFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The {@code stampede.common.v1.ErrorReason} names this failure maps to. */
  public enum Reason {
    BAD_CREDENTIALS("user name or password is wrong"),
    TICKET_INVALID("resume ticket is not valid; log in again"),
    SESSION_INVALID("session token is not valid");

    final String message;

    Reason(String message) {
      this.message = message;
    }
  }

  private final Reason reason;

  public AuthFailure(Reason reason) {
    super(reason.message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
