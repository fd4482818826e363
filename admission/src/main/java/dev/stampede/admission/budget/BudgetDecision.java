package dev.stampede.admission.budget;

import dev.stampede.admission.OverloadException;
import dev.stampede.admission.RejectReason;

/**
 * The answer of a {@link Budget}: allowed or not, when to retry, how much burst is left, and whether it came from
 * the local fallback because Redis was unavailable. Immutable.
 */
public final class BudgetDecision {
  private final boolean allowed;
  private final long retryAfterMicros;
  private final long remaining;
  private final boolean local;

  BudgetDecision(boolean allowed, long retryAfterMicros, long remaining, boolean local) {
    this.allowed = allowed;
    this.retryAfterMicros = Math.max(0, retryAfterMicros);
    this.remaining = Math.max(0, remaining);
    this.local = local;
  }

  public boolean allowed() {
    return allowed;
  }

  /** How long until the request would be allowed (0 when allowed), in microseconds. */
  public long retryAfterMicros() {
    return retryAfterMicros;
  }

  /** Milliseconds until allowed, rounded up (0 when allowed). */
  public long retryAfterMillis() {
    return (retryAfterMicros + 999) / 1000;
  }

  /** Unit requests still allowed right now after this one. */
  public long remaining() {
    return remaining;
  }

  /** Whether the local limiter decided (Redis unavailable: the budget failed open to this process). */
  public boolean local() {
    return local;
  }

  /** The overload answer for a refused request: {@code RESOURCE_EXHAUSTED}/{@code BUDGET_EXHAUSTED}. */
  public OverloadException toException() {
    return OverloadException.retryAfter(RejectReason.BUDGET_EXHAUSTED, Math.max(1, retryAfterMillis()));
  }

  @Override
  public String toString() {
    return (allowed ? "allowed" : "denied, retry after " + retryAfterMicros + "us") + ", remaining " + remaining
        + (local ? " (local)" : "");
  }
}
