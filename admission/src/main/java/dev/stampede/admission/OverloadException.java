package dev.stampede.admission;

import java.util.Objects;

/**
 * Work refused for overload or because a dependency is down: {@code ErrorMapper} answers it with
 * {@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE} (by {@link RejectReason#code()}), a
 * {@code google.rpc.RetryInfo}, a {@code google.rpc.ErrorInfo} and the {@code grpc-retry-pushback-ms} trailer.
 * Thrown (or used to complete futures) by worker pools, budgets and the shared Redis connection. It carries no
 * stack trace: it is an answer, not a bug, and it is created on hot paths.
 */
public final class OverloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@link #retryAfterMillis()} when the retry calendar should choose the delay. */
  public static final long CALENDAR = -1;

  private final RejectReason reason;
  private final long retryAfterMillis;

  public OverloadException(RejectReason reason, long retryAfterMillis, String message) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryAfterMillis = retryAfterMillis;
  }

  /** Refused for {@code reason}; the retry calendar picks the delay. */
  public static OverloadException of(RejectReason reason) {
    return new OverloadException(reason, CALENDAR, reason.label());
  }

  /** Refused for {@code reason}; the client must wait {@code retryAfterMillis}. */
  public static OverloadException retryAfter(RejectReason reason, long retryAfterMillis) {
    return new OverloadException(reason, Math.max(0, retryAfterMillis), reason.label());
  }

  /** A dependency (named for logs only, never sent to clients) cannot be reached. */
  public static OverloadException dependencyUnavailable(String dependency) {
    return new OverloadException(RejectReason.DEPENDENCY_UNAVAILABLE, CALENDAR, dependency + " unavailable");
  }

  public RejectReason reason() {
    return reason;
  }

  /** The delay the client must wait, or {@link #CALENDAR}. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }
}
