package dev.stampede.admission.limit;

import java.util.Locale;

/** Which concurrency-limits algorithm drives the adaptive limit. */
public enum LimitAlgorithm {
  /**
   * TCP Vegas (default): estimates the queue from the no-load RTT and keeps it between alpha and beta. It holds
   * queueing delay bounded even at small limits, and it honours drops.
   */
  VEGAS,
  /**
   * Gradient2: compares the latest RTT with a long-term average. Adapts to slowly changing latency, but the
   * long-term average follows sustained queueing upwards, and concurrency-limits 0.5.4 ignores drops in it.
   */
  GRADIENT2,
  /** A fixed limit ({@code stampede.admission.limit.initial}); no adaptation. */
  FIXED;

  /**
   * Parses a configuration value, case-insensitively.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static LimitAlgorithm parse(String value) {
    for (LimitAlgorithm a : values()) {
      if (a.name().equalsIgnoreCase(value.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "limit.algorithm: '" + value + "' (expected one of vegas, gradient2, fixed)");
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
