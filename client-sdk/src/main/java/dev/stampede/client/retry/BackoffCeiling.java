package dev.stampede.client.retry;

import java.time.Duration;

/** The capped exponential ceiling shared by the jittered schedules; validates its settings. */
final class BackoffCeiling {
  private final long initialNanos;
  private final long maxNanos;
  private final double multiplier;

  BackoffCeiling(Duration initial, Duration max, double multiplier) {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial: " + initial + " (expected: > 0)");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max: " + max + " (expected: >= initial " + initial + ")");
    }
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: >= 1)");
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.multiplier = multiplier;
  }

  long ceilingNanos(int n) {
    checkN(n);
    double ceiling = initialNanos * Math.pow(multiplier, n - 1);
    return ceiling >= maxNanos ? maxNanos : (long) ceiling;
  }

  static void checkN(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
    }
  }
}
