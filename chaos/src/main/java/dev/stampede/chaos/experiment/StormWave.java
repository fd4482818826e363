package dev.stampede.chaos.experiment;

import java.time.Duration;
import java.util.Optional;

/**
 * One group of rebooting clients: how many, when (after the storm's start), and how they spread over the wave.
 * A uniform wave gives either its {@code window} or its return {@code rate} (the window then follows from the
 * calibrated capacity: clients ÷ rate).
 *
 * @param clients how many clients reboot in this wave
 * @param start the wave's start after the storm's start
 * @param arrival all at once, or uniform over the window
 * @param window the window of a uniform wave given by duration
 * @param rate the return rate of a uniform wave given by rate
 */
public record StormWave(ClientCount clients, Duration start, Arrival arrival, Optional<Duration> window,
    Optional<Rate> rate) {

  /**
   * The wave's window on this run: 0 for all-at-once, the given window, or clients ÷ rate.
   *
   * @param population the experiment's population
   * @param capacityPerSecond the calibrated C
   */
  public Duration windowOn(int population, double capacityPerSecond) {
    if (arrival == Arrival.ALL_AT_ONCE) {
      return Duration.ZERO;
    }
    if (window.isPresent()) {
      return window.get();
    }
    double perSecond = rate.orElseThrow().resolve(capacityPerSecond);
    return Duration.ofNanos(Math.round(clients.of(population) / perSecond * 1e9));
  }
}
