package dev.stampede.chaos.experiment;

import java.time.Duration;
import java.util.Optional;

/**
 * How the clients come online before the trigger: each logs in for real, registers presence and heartbeats. The
 * ramp is a closed loop — at most {@code rampConcurrency} log-ins in flight, optionally also capped at
 * {@code rampRate} — so its offered load never exceeds what the servers complete: queues stay short even on the
 * naive server, and every run starts from a healthy steady state. After the last client is online the run holds
 * for {@code hold}.
 *
 * <p>The cap is on concurrency rather than on a rate relative to C because C measures the storm's recovery mix
 * (a resume for {@code sdk} clients), while the ramp does password log-ins for every profile.
 *
 * @param rampConcurrency log-ins in flight during the ramp, at least 1
 * @param rampRate an optional cap on log-ins started per second
 * @param hold how long to stay in the steady state after the last client is online
 */
public record SteadyPhase(int rampConcurrency, Optional<Rate> rampRate, Duration hold) {

  /** Four log-ins in flight, no rate cap, then 5 s of steady state. */
  public static final SteadyPhase DEFAULT = new SteadyPhase(4, Optional.empty(), Duration.ofSeconds(5));

  /** Checks the ranges. */
  public SteadyPhase {
    if (rampConcurrency < 1) {
      throw new IllegalArgumentException("rampConcurrency: " + rampConcurrency + " (expected: >= 1)");
    }
    rampRate = rampRate == null ? Optional.empty() : rampRate;
  }
}
