package dev.stampede.admission;

import io.grpc.Status;
import java.util.Locale;

/**
 * Why admission (or a dependency guard) refused a call. Each value is one {@code stampede.common.v1.ErrorReason}
 * of {@code errors.proto} and is sent by name as {@code google.rpc.ErrorInfo.reason} (domain {@value #DOMAIN}).
 */
public enum RejectReason {
  /** The concurrency limit for this priority is reached and the queue is full (or the call was evicted from it). */
  OVERLOADED(Status.Code.RESOURCE_EXHAUSTED),
  /** The call waited in the queue longer than the queue-time target. */
  QUEUE_TIMEOUT(Status.Code.RESOURCE_EXHAUSTED),
  /** The call's remaining deadline is shorter than the expected service time. */
  DEADLINE_TOO_SHORT(Status.Code.RESOURCE_EXHAUSTED),
  /** A cluster-wide budget (failed log-ins per account or source, a quota) is used up. */
  BUDGET_EXHAUSTED(Status.Code.RESOURCE_EXHAUSTED),
  /** A pod is at its allocation or bandwidth capacity (e.g. relay). */
  CAPACITY_EXHAUSTED(Status.Code.RESOURCE_EXHAUSTED),
  /** A dependency (Redis) cannot be reached; the call failed fast. */
  DEPENDENCY_UNAVAILABLE(Status.Code.UNAVAILABLE),
  /** The server is shutting down and takes no new work. */
  DRAINING(Status.Code.UNAVAILABLE);

  /** The {@code google.rpc.ErrorInfo.domain} of every Stampede error. */
  public static final String DOMAIN = "stampede.dev";

  private final Status.Code code;
  private final String label;

  RejectReason(Status.Code code) {
    this.code = code;
    this.label = name().toLowerCase(Locale.ROOT);
  }

  /** The status code this reason is answered with: {@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE}. */
  public Status.Code code() {
    return code;
  }

  /** The metric label ({@code "overloaded"}, {@code "queue_timeout"}, ...). */
  public String label() {
    return label;
  }
}
