package dev.stampede.client;

import dev.stampede.client.retry.Pushback;
import dev.stampede.client.retry.RetryDecision;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;

/**
 * A call failed after all the attempts its policy allowed. A {@link StatusRuntimeException}, so code that handles
 * gRPC failures handles it; it adds how many attempts were sent, why the client stopped, whether the last attempt
 * was rejected locally, and when the server would take the request again.
 *
 * <p>The status is the last server answer, or, when the call's first attempt was rejected by the client itself,
 * {@code RESOURCE_EXHAUSTED} ("rejected locally") with {@link #rejectedLocally()} true.
 */
public final class CallFailedException extends StatusRuntimeException {
  private static final long serialVersionUID = 1L;

  private final int attempts;
  private final long retryAfterNanos;
  private final boolean rejectedLocally;
  private final boolean reachedServer;
  private final transient RetryDecision.Kind stopReason;

  CallFailedException(Status status, Metadata trailers, int attempts, Pushback pushback, boolean rejectedLocally,
      boolean reachedServer, RetryDecision.Kind stopReason) {
    super(status, trailers);
    this.attempts = attempts;
    this.retryAfterNanos = pushback.isPresent() ? pushback.delayNanos() : -1;
    this.rejectedLocally = rejectedLocally;
    this.reachedServer = reachedServer;
    this.stopReason = stopReason;
  }

  /** Attempts actually sent. */
  public int attempts() {
    return attempts;
  }

  /** The delay the server asked for in its last answer, or null. Never come back earlier than this. */
  public Duration retryAfter() {
    return retryAfterNanos < 0 ? null : Duration.ofNanos(retryAfterNanos);
  }

  /** {@link #retryAfter()} in nanoseconds, or -1. */
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  /**
   * The server's booking of the slot {@link #retryAfter()} names, or null. A caller that waits out the delay itself
   * passes it to {@link CallSettings#withRetryBooking} so that the server keeps the appointment.
   */
  public String retryBooking() {
    return retryAfterNanos < 0 ? null : Pushback.booking(getTrailers());
  }

  /** Whether the client itself declined to send the call's last attempt (throttle or deadline). */
  public boolean rejectedLocally() {
    return rejectedLocally;
  }

  /**
   * Whether the last attempt left the client on a connection. False means no server was reached (the call waited
   * for a connection until its deadline): a reason to wait for the connection, not to back off.
   */
  public boolean reachedServer() {
    return reachedServer;
  }

  /** Why no further attempt was made. */
  public RetryDecision.Kind stopReason() {
    return stopReason;
  }

  /** The status code. */
  public Status.Code code() {
    return getStatus().getCode();
  }

  @Override
  public String getMessage() {
    return super.getMessage() + " (attempts: " + attempts + ", stopped: " + stopReason
        + (retryAfterNanos >= 0 ? ", retry after: " + retryAfter() : "") + ")";
  }
}
