package dev.stampede.chaos.restart;

/**
 * The cluster could not be reached, did not accept the credentials, or forbade a request the plan needs.
 * The message is one line naming the API server or the missing permission.
 */
public class ClusterAccessException extends RestartException {
  private static final long serialVersionUID = 1L;

  /** Why access failed. */
  public enum Reason {
    /** No connection to the API server (refused, DNS, TLS, timeout). */
    UNREACHABLE,
    /** The API server did not accept the credentials (HTTP 401). */
    UNAUTHORIZED,
    /** RBAC forbids a request the plan needs (HTTP 403, or a self access review said no). */
    FORBIDDEN,
    /** Any other answer of the API server. */
    API_ERROR
  }

  private final Reason reason;

  /** An access failure with a one-line message. */
  public ClusterAccessException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why access failed. */
  public Reason reason() {
    return reason;
  }
}
