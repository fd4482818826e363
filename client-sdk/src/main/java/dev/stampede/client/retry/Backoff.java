package dev.stampede.client.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A schedule of delays: {@link #delayNanos(int)} for the n-th wait (n ≥ 1).
 *
 * <p>The factories cover the three schedules the SDK needs: {@link #fullJitter} for retries after an answer (gRPC
 * A6: {@code random(0, min(initial · multiplier^(n-1), max))}), {@link #proportionalJitter} for reconnects (gRPC
 * connection backoff: {@code min(initial · multiplier^(n-1), max) · (1 ± jitter)}), and {@link #fixed} for
 * simulating legacy clients. Implementations are thread-safe when their random generator is.
 */
@FunctionalInterface
public interface Backoff {

  /**
   * The delay before the {@code n}-th retry (or reconnect), in nanoseconds, never negative.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  long delayNanos(int n);

  /**
   * Full jitter: uniform in {@code [0, min(initial · multiplier^(n-1), max)]}.
   *
   * @throws IllegalArgumentException if a duration is not positive, {@code max < initial} or {@code multiplier < 1}
   */
  static Backoff fullJitter(Duration initial, Duration max, double multiplier, RandomGenerator random) {
    BackoffCeiling cap = new BackoffCeiling(initial, max, multiplier);
    Objects.requireNonNull(random, "random");
    return n -> (long) (random.nextDouble() * cap.ceilingNanos(n));
  }

  /**
   * Proportional jitter: {@code min(initial · multiplier^(n-1), max)} scaled by a uniform factor in
   * {@code [1 - jitter, 1 + jitter]}.
   *
   * @throws IllegalArgumentException if a duration is not positive, {@code max < initial}, {@code multiplier < 1}
   *     or {@code jitter} is outside {@code [0, 1)}
   */
  static Backoff proportionalJitter(Duration initial, Duration max, double multiplier, double jitter,
      RandomGenerator random) {
    BackoffCeiling cap = new BackoffCeiling(initial, max, multiplier);
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0 <= jitter < 1)");
    }
    Objects.requireNonNull(random, "random");
    return n -> {
      double factor = 1 - jitter + 2 * jitter * random.nextDouble();
      return (long) (cap.ceilingNanos(n) * factor);
    };
  }

  /**
   * The same delay every time, no jitter.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  static Backoff fixed(Duration delay) {
    long nanos = delay.toNanos();
    if (nanos < 0) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
    }
    return n -> {
      BackoffCeiling.checkN(n);
      return nanos;
    };
  }
}
