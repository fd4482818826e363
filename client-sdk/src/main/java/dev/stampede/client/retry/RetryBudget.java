package dev.stampede.client.retry;

/**
 * A token bucket that bounds retries to a fraction of successes: each success deposits
 * {@code depositPerSuccess} tokens (up to {@code maxTokens}), each retry withdraws one, and a retry without a
 * whole token left is not sent (Finagle's RetryBudget, gRPC A6 retry throttling).
 *
 * <p>In steady state retries are at most {@code depositPerSuccess} × successes plus the initial balance, however
 * often the server fails: with the defaults (10 tokens, 0.1 per success) a server failing every call sees at most
 * 10 retries from this client in total until something succeeds again. Thread-safe.
 */
public final class RetryBudget {
  // Kept in thousandths of a token, as gRPC's retry throttle does: ten deposits of 0.1 make exactly one token,
  // which floating point would not.
  private static final long MILLI = 1000;

  private final long maxMilliTokens;
  private final long depositMilliTokens;
  private long milliTokens;

  /**
   * @param maxTokens the bucket's capacity, also its starting balance (≥ 1)
   * @param depositPerSuccess tokens added per success (> 0, ≤ maxTokens)
   * @throws IllegalArgumentException if an argument is out of range
   */
  public RetryBudget(double maxTokens, double depositPerSuccess) {
    if (!(maxTokens >= 1) || Double.isInfinite(maxTokens)) {
      throw new IllegalArgumentException("maxTokens: " + maxTokens + " (expected: >= 1)");
    }
    if (!(depositPerSuccess > 0 && depositPerSuccess <= maxTokens)) {
      throw new IllegalArgumentException(
          "depositPerSuccess: " + depositPerSuccess + " (expected: > 0 and <= maxTokens)");
    }
    this.maxMilliTokens = Math.round(maxTokens * MILLI);
    this.depositMilliTokens = Math.max(1, Math.round(depositPerSuccess * MILLI));
    this.milliTokens = maxMilliTokens;
  }

  /** Withdraws one token for a retry; false (and nothing withdrawn) when less than one is left. */
  public synchronized boolean tryWithdraw() {
    if (milliTokens < MILLI) {
      return false;
    }
    milliTokens -= MILLI;
    return true;
  }

  /** Records a success. */
  public synchronized void deposit() {
    milliTokens = Math.min(maxMilliTokens, milliTokens + depositMilliTokens);
  }

  /** The current balance. */
  public synchronized double tokens() {
    return (double) milliTokens / MILLI;
  }

  @Override
  public synchronized String toString() {
    return "RetryBudget{tokens=" + tokens() + "/" + (double) maxMilliTokens / MILLI + ", deposit="
        + (double) depositMilliTokens / MILLI + "}";
  }
}
