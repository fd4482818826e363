package dev.stampede.chaos.experiment;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the runner watches after t0. The window is {@code boundMultiple × bound}, clamped to [min, max]; a run
 * that has not recovered by then is "not recovered", which therefore means R &gt; boundMultiple as long as the clamp
 * did not cut the window. With {@code tail} set, the run stops that long after recovery instead of watching the
 * rest of the window.
 *
 * @param boundMultiple the window as a multiple of the bound, at least 1
 * @param min the shortest window
 * @param max the longest window
 * @param tail how long to keep watching after 99 % are back, or empty to watch the whole window
 */
public record Observation(double boundMultiple, Duration min, Duration max, Optional<Duration> tail) {

  /** 5 × bound, between 30 s and 15 min, stopping 10 s after recovery. */
  public static final Observation DEFAULT = new Observation(5, Duration.ofSeconds(30), Duration.ofMinutes(15),
      Optional.of(Duration.ofSeconds(10)));

  /** The observation window for a bound. */
  public Duration window(double boundSeconds) {
    Duration w = Duration.ofMillis((long) Math.ceil(boundMultiple * boundSeconds * 1000));
    if (w.compareTo(min) < 0) {
      return min;
    }
    return w.compareTo(max) > 0 ? max : w;
  }
}
