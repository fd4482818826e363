package dev.stampede.client.retry;

import io.grpc.Status;
import java.util.EnumSet;
import java.util.Set;

/**
 * Decides, for the attempts of calls that share it, whether an attempt is sent and whether and when a failed one
 * is tried again.
 *
 * <p>The SDK calls {@link #admit} before every attempt, then {@link #onSuccess} or {@link #onFailure} when it
 * ends; a retry decision's delay is waited on the client's {@link dev.stampede.client.time.TimeSource}, within the
 * call's deadline. A policy is stateful (budget, throttle) and is shared by the calls it should govern together:
 * the client keeps one per service, a {@code Connection} its own set, and a call may bring its own through
 * {@code CallSettings}.
 *
 * <p>Whatever a policy answers, the SDK never retries the codes in {@link #NEVER_RETRIED}. Implementations must be
 * thread-safe and must not block.
 */
public interface RetryPolicy {

  /** Codes the SDK never retries: the same request fails again (errors.proto). */
  Set<Status.Code> NEVER_RETRIED = java.util.Collections.unmodifiableSet(
      EnumSet.of(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED, Status.Code.INVALID_ARGUMENT));

  /**
   * Called before every attempt.
   *
   * @param attempt 1 for the first attempt of a call
   * @param serverScheduled true for a retry at the time the server's pushback named
   * @param nowNanos the client's monotonic time
   * @return true to send the attempt, false to reject it locally
   */
  boolean admit(int attempt, boolean serverScheduled, long nowNanos);

  /** An attempt ended with OK. */
  void onSuccess(long nowNanos);

  /** An attempt failed: whether and when to try again. */
  RetryDecision onFailure(AttemptFailure failure, long nowNanos);

  /** Single attempts: every attempt is admitted, nothing is retried. Stateless. */
  static RetryPolicy noRetry() {
    return NoRetry.INSTANCE;
  }

  /** The policy of {@link #noRetry()}. */
  enum NoRetry implements RetryPolicy {
    INSTANCE;

    @Override
    public boolean admit(int attempt, boolean serverScheduled, long nowNanos) {
      return true;
    }

    @Override
    public void onSuccess(long nowNanos) {
    }

    @Override
    public RetryDecision onFailure(AttemptFailure failure, long nowNanos) {
      return RetryDecision.stop(RetryDecision.Kind.ATTEMPTS_EXHAUSTED);
    }
  }
}
