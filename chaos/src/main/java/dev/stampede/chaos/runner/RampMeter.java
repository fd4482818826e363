package dev.stampede.chaos.runner;

import java.util.OptionalDouble;

/**
 * Measures C on a run's own ramp, for a run whose population is chosen from it ({@link RampSizing}): the ramp's
 * closed loop of log-ins at full concurrency is a calibration of the log-in mix, so clients brought online per
 * second, in consecutive windows after a warm-up, are the rate the stack serves. The measurement ends after a window
 * no more than {@link #STEADY_GROWTH} faster than the one before it (the services have warmed up), or
 * after the first window that starts {@code maxWarmup} or later after the ramp's start. C is the fastest window's
 * rate: a window that ends the measurement by being no faster than the one before may be slower by a moment's noise
 * (2-core box: windows of 38 and then 33 clients/s on a warm stack), and a C read too low chooses an N that offers the
 * naive server less than 2 x what it serves.
 *
 * <p>While it measures, the meter caps how many clients the ramp may bring in at the population the fastest window
 * so far would choose, so that a ramp still warming up does not overshoot the N it is measuring for. A ramp that
 * reaches the cap ends the measurement.
 *
 * <p>Times are nanoseconds on the caller's clock. Not thread-safe: the ramp's thread feeds it.
 */
final class RampMeter {
  /**
   * A window at most this much faster than the one before counts as warmed up (2-core box: consecutive 5 s windows of
   * a warm auth differ by a few per cent; a warming one gains 10–30 % per window for up to half a minute).
   */
  static final double STEADY_GROWTH = 0.08;

  private final RampSizing sizing;
  private final long start;
  private final long window;
  private long windowStart;
  private int windowStartCount = -1;
  private double previous = Double.NaN;
  private double last = Double.NaN;
  private double fastest = Double.NaN;
  private boolean decided;

  /**
   * @param sizing the warm-up, window, longest warm-up and the population for a C
   * @param startNanos the ramp's start
   */
  RampMeter(RampSizing sizing, long startNanos) {
    this.sizing = sizing;
    this.start = startNanos;
    this.window = sizing.window().toNanos();
    this.windowStart = startNanos + sizing.warmup().toNanos();
  }

  /**
   * Feeds the number of clients online at {@code nanos}. A window's rate is the clients brought online from its
   * first observation to the first observation at or after its end, divided by the time between the two.
   */
  void observe(long nanos, int online) {
    if (decided || nanos < windowStart) {
      return;
    }
    if (windowStartCount < 0) {
      windowStart = nanos;
      windowStartCount = online;
      return;
    }
    if (nanos - windowStart < window) {
      return;
    }
    double rate = (online - windowStartCount) / ((nanos - windowStart) / 1e9);
    previous = last;
    last = rate;
    fastest = Double.isNaN(fastest) ? rate : Math.max(fastest, rate);
    if (steady(previous, last) || windowStart - start >= sizing.maxWarmup().toNanos()) {
      decided = true;
      return;
    }
    windowStart = nanos;
    windowStartCount = online;
  }

  /**
   * How many clients the ramp may have brought in so far: the population the fastest window's rate chooses, or
   * {@code Integer.MAX_VALUE} before the first window; after the decision, the population C chooses.
   */
  int cap() {
    return Double.isNaN(fastest) ? Integer.MAX_VALUE : sizing.clientsFor().applyAsInt(fastest);
  }

  /**
   * Ends the measurement because the ramp reached the cap.
   *
   * @return whether there was a complete window to decide on
   */
  boolean decideAtCap() {
    if (!Double.isNaN(fastest)) {
      decided = true;
    }
    return decided;
  }

  /**
   * Whether a window's rate {@code last} says the services have warmed up: it is no more than
   * {@link #STEADY_GROWTH} above the window before ({@code previous}; NaN for none: never steady after one window).
   */
  static boolean steady(double previous, double last) {
    return !Double.isNaN(previous) && last <= previous * (1 + STEADY_GROWTH);
  }

  /** Whether C is known. */
  boolean decided() {
    return decided;
  }

  /** C, once decided. */
  OptionalDouble capacity() {
    return decided ? OptionalDouble.of(fastest) : OptionalDouble.empty();
  }
}
