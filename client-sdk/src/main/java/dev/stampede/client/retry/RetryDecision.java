package dev.stampede.client.retry;

/**
 * What a {@link RetryPolicy} decided after a failed attempt: retry after a delay, or stop and why.
 * Immutable.
 */
public final class RetryDecision {

  /** Why the next attempt waits, or why there is none. */
  public enum Kind {
    /** Retry after a backoff the client chose. */
    BACKOFF(true),
    /** Retry after exactly the delay the server asked for. */
    PUSHBACK(true),
    /** The status is not one that is retried. */
    NOT_RETRYABLE(false),
    /** The server's pushback said not to retry. */
    SERVER_SAID_STOP(false),
    /** The call used all its attempts. */
    ATTEMPTS_EXHAUSTED(false),
    /** The retry budget has no token left. */
    BUDGET_EXHAUSTED(false);

    private final boolean retry;

    Kind(boolean retry) {
      this.retry = retry;
    }

    /** Whether this kind means another attempt. */
    public boolean isRetry() {
      return retry;
    }
  }

  private static final RetryDecision NOT_RETRYABLE = new RetryDecision(Kind.NOT_RETRYABLE, -1);
  private static final RetryDecision SERVER_SAID_STOP = new RetryDecision(Kind.SERVER_SAID_STOP, -1);
  private static final RetryDecision ATTEMPTS_EXHAUSTED = new RetryDecision(Kind.ATTEMPTS_EXHAUSTED, -1);
  private static final RetryDecision BUDGET_EXHAUSTED = new RetryDecision(Kind.BUDGET_EXHAUSTED, -1);

  private final Kind kind;
  private final long delayNanos;

  private RetryDecision(Kind kind, long delayNanos) {
    this.kind = kind;
    this.delayNanos = delayNanos;
  }

  /** Retry after a client-chosen delay. @throws IllegalArgumentException if negative */
  public static RetryDecision backoff(long delayNanos) {
    return new RetryDecision(Kind.BACKOFF, checkDelay(delayNanos));
  }

  /** Retry after the delay the server asked for. @throws IllegalArgumentException if negative */
  public static RetryDecision pushback(long delayNanos) {
    return new RetryDecision(Kind.PUSHBACK, checkDelay(delayNanos));
  }

  /** Do not retry, for the given reason. @throws IllegalArgumentException if {@code kind} is a retry */
  public static RetryDecision stop(Kind kind) {
    switch (kind) {
      case NOT_RETRYABLE:
        return NOT_RETRYABLE;
      case SERVER_SAID_STOP:
        return SERVER_SAID_STOP;
      case ATTEMPTS_EXHAUSTED:
        return ATTEMPTS_EXHAUSTED;
      case BUDGET_EXHAUSTED:
        return BUDGET_EXHAUSTED;
      default:
        throw new IllegalArgumentException("kind: " + kind + " (expected: a reason to stop)");
    }
  }

  private static long checkDelay(long delayNanos) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delayNanos: " + delayNanos + " (expected: >= 0)");
    }
    return delayNanos;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether another attempt follows. */
  public boolean isRetry() {
    return kind.isRetry();
  }

  /** The wait before the next attempt, or -1 when there is none. */
  public long delayNanos() {
    return delayNanos;
  }

  @Override
  public String toString() {
    return isRetry() ? kind + "(" + delayNanos + "ns)" : kind.toString();
  }
}
