package dev.stampede.chaos.runner;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleToIntFunction;

/**
 * A run whose population N is chosen from the capacity C measured on its own ramp (the demo's unprotected run: N is
 * a multiple of the log-in capacity). The experiment's population is then only an upper bound; accounts are seeded
 * and clients created as the ramp reaches them. How C is measured: {@link RampMeter}.
 *
 * @param warmup ramp time before the first measured window
 * @param window the length of each measured window
 * @param maxWarmup no window starts later than this after the ramp's start
 * @param clientsFor N for a C: at least 1 and never smaller for a larger C
 * @param chosen told C and N once both are known, before the steady phase
 */
public record RampSizing(Duration warmup, Duration window, Duration maxWarmup, DoubleToIntFunction clientsFor,
    Choice chosen) {

  /** Told the outcome of the measurement. */
  @FunctionalInterface
  public interface Choice {
    /**
     * @param capacity C measured on the ramp
     * @param clients the population the run goes on with
     */
    void chosen(double capacity, int clients);
  }

  /** Validates. */
  public RampSizing {
    Objects.requireNonNull(clientsFor, "clientsFor");
    Objects.requireNonNull(chosen, "chosen");
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warmup: " + warmup + " (expected: >= 0)");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
    }
    if (maxWarmup.isNegative()) {
      throw new IllegalArgumentException("maxWarmup: " + maxWarmup + " (expected: >= 0)");
    }
  }
}
