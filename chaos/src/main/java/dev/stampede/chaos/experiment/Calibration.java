package dev.stampede.chaos.experiment;

import java.time.Duration;
import java.util.Optional;

/**
 * The phase that measures C, the capacity of this run's recovery mix on this run: a closed loop of
 * {@code concurrency} calibration clients doing the mix back to back (honouring pushback) for {@code warmup}
 * (discarded) then {@code duration}; C = completed recoveries per second.
 *
 * @param mix the mix to measure, or empty for the storm profile's own ({@link Profile#recoveryMix()})
 * @param warmup how long to run before measuring (JIT, connection set-up)
 * @param duration how long to measure
 * @param concurrency calibration clients in flight
 */
public record Calibration(Optional<RecoveryMix> mix, Duration warmup, Duration duration, int concurrency) {

  /** The storm profile's mix, 2 s warm-up, 8 s measured, 16 in flight. */
  public static final Calibration DEFAULT =
      new Calibration(Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(8), 16);

  /** The mix to measure for a storm of the given profile. */
  public RecoveryMix mixFor(Profile profile) {
    return mix.orElse(profile.recoveryMix());
  }
}
