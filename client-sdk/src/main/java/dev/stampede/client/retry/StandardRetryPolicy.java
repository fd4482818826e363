package dev.stampede.client.retry;

import io.grpc.Status;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The SDK's retry discipline for calls a server answered.
 *
 * <ul>
 *   <li>Retried: {@code UNAVAILABLE}, and {@code RESOURCE_EXHAUSTED} when it carries a delay (an overload answer
 *       always does; without one it is a size limit, which fails again). Never: {@link
 *       RetryPolicy#NEVER_RETRIED}, nor {@code DEADLINE_EXCEEDED} (the caller's time is up).
 *   <li>When: after exactly the server's delay when it gave one ({@link Pushback}), otherwise after a capped
 *       exponential backoff with full jitter.
 *   <li>How many: at most {@link RetryOptions#maxAttempts()} per call, each retry paid with a {@link RetryBudget}
 *       token, and every attempt subject to {@link AdaptiveThrottle} (attempts that never reached a server are
 *       taken back out of its counts) (a retry the server scheduled is not rejected
 *       locally unless {@link RetryOptions.Builder#throttleServerScheduledRetries} says so).
 * </ul>
 *
 * <p>Thread-safe. One instance holds one budget and one throttle: share it among the calls that should be governed
 * together (one client process talking to one service).
 */
public final class StandardRetryPolicy implements RetryPolicy {
  private final RetryOptions options;
  private final Backoff backoff;
  private final RetryBudget budget;
  private final AdaptiveThrottle throttle;

  /** A policy with fresh state. See {@link RetryOptions#newPolicy()}. */
  public StandardRetryPolicy(RetryOptions options, RandomGenerator random) {
    this.options = Objects.requireNonNull(options, "options");
    Objects.requireNonNull(random, "random");
    this.backoff = Backoff.fullJitter(options.initialBackoff(), options.maxBackoff(), options.backoffMultiplier(),
        random);
    this.budget = options.budgetEnabled() ? new RetryBudget(options.budgetMaxTokens(), options.budgetDeposit()) : null;
    this.throttle = options.throttleEnabled()
        ? new AdaptiveThrottle(options.throttleK(), options.throttleWindow(), options.throttleBuckets(),
            options.throttleMinSent(), random)
        : null;
  }

  @Override
  public boolean admit(int attempt, boolean serverScheduled, long nowNanos) {
    if (throttle == null) {
      return true;
    }
    if (serverScheduled && !options.throttleServerScheduledRetries()) {
      throttle.countRequest(nowNanos);
      return true;
    }
    return throttle.admit(nowNanos);
  }

  @Override
  public void onSuccess(long nowNanos) {
    if (throttle != null) {
      throttle.recordAccepted(nowNanos);
    }
    if (budget != null) {
      budget.deposit();
    }
  }

  @Override
  public RetryDecision onFailure(AttemptFailure failure, long nowNanos) {
    Status.Code code = failure.code();
    if (throttle != null) {
      if (!failure.reachedServer()) {
        throttle.forgetRequest(nowNanos);
      } else if (!isOverload(code)) {
        throttle.recordAccepted(nowNanos);
      }
    }
    boolean retryable = code == Status.Code.UNAVAILABLE
        || (code == Status.Code.RESOURCE_EXHAUSTED && failure.pushback().isPresent());
    if (!retryable || NEVER_RETRIED.contains(code)) {
      return RetryDecision.stop(RetryDecision.Kind.NOT_RETRYABLE);
    }
    if (failure.pushback().isStop()) {
      return RetryDecision.stop(RetryDecision.Kind.SERVER_SAID_STOP);
    }
    if (failure.attempt() >= options.maxAttempts()) {
      return RetryDecision.stop(RetryDecision.Kind.ATTEMPTS_EXHAUSTED);
    }
    if (budget != null && !budget.tryWithdraw()) {
      return RetryDecision.stop(RetryDecision.Kind.BUDGET_EXHAUSTED);
    }
    if (failure.pushback().isPresent()) {
      return RetryDecision.pushback(failure.pushback().delayNanos());
    }
    return RetryDecision.backoff(backoff.delayNanos(failure.attempt()));
  }

  /** Answers that say the server did not take the request (what the throttle counts as not accepted). */
  static boolean isOverload(Status.Code code) {
    return code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.UNAVAILABLE
        || code == Status.Code.DEADLINE_EXCEEDED;
  }

  /** The budget, or null when disabled (for tests and metrics). */
  public RetryBudget budget() {
    return budget;
  }

  /** The throttle, or null when disabled (for tests and metrics). */
  public AdaptiveThrottle throttle() {
    return throttle;
  }

  public RetryOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return "StandardRetryPolicy{" + options + "}";
  }
}
