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
  private final double maxTokens;
  private final double depositPerSuccess;
  private double tokens;

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
    this.maxTokens = maxTokens;
    this.depositPerSuccess = depositPerSuccess;
    this.tokens = maxTokens;
  }

  /** Withdraws one token for a retry; false (and nothing withdrawn) when less than one is left. */
  public synchronized boolean tryWithdraw() {
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  /** Records a success. */
  public synchronized void deposit() {
    tokens = Math.min(maxTokens, tokens + depositPerSuccess);
  }

  /** The current balance. */
  public synchronized double tokens() {
    return tokens;
  }

  @Override
  public synchronized String toString() {
    return "RetryBudget{tokens=" + tokens + "/" + maxTokens + ", deposit=" + depositPerSuccess + "}";
  }
}
