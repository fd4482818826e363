package dev.stampede.tokens;

/**
 * A session token was refused. Services answer {@code UNAUTHENTICATED} with reason {@code SESSION_INVALID} for
 * every {@link Reason}; the reason is for metrics and logs, never for the client (telling a forger which check
 * failed helps nobody else).
 *
 * <p>The exception carries no stack trace: refusing a token is an expected outcome on a hot path, not a bug. Its
 * message never contains the token.
 */
public final class InvalidSessionTokenException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a token was refused. */
  public enum Reason {
    /** Not a well-formed version-1 token, or longer than 1 KiB. */
    MALFORMED,
    /** The token carries no MAC for the verifier's audience. */
    WRONG_AUDIENCE,
    /** The MAC names a key id the verifier's ring does not hold (unknown, or rotated out). */
    UNKNOWN_KEY,
    /** The MAC does not match: the token was forged or altered. */
    BAD_MAC,
    /** The token expired (beyond the allowed clock skew). */
    EXPIRED,
    /** The token was issued in the future (beyond the allowed clock skew). */
    NOT_YET_VALID,
    /** The token is authentic but its session was revoked (log-out, or re-use of a rotated resume ticket). */
    REVOKED
  }

  private final Reason reason;

  /** Creates the exception for {@code reason}. */
  public InvalidSessionTokenException(Reason reason) {
    super("session token refused: " + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
        null, false, false);
    this.reason = reason;
  }

  /** Why the token was refused. */
  public Reason reason() {
    return reason;
  }
}
