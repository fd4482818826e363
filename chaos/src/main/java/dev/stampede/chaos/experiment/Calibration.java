package dev.stampede.chaos.experiment;

import java.time.Duration;
import java.util.Optional;

/**
 * The phase that measures C, the capacity of this run's recovery mix on this run: a closed loop of
 * {@code concurrency} calibration clients doing the mix back to back (honouring pushback) for {@code warmup}
 * (discarded) then {@code duration}; C = completed recoveries per second.
 *
 * <p>When: at the {@link When#START start} of the run (on freshly started services), or {@link When#AFTER_RAMP after
 * the ramp}, right before the steady phase. A just-started JVM is slower than the same JVM a minute later: its JIT
 * is still compiling the hot paths (a fresh auth pod on 2 cores logged in ~15/s, ~22/s 5 s later and ~30/s after
 * 30 s), so C measured at the start can be well below what the services serve when the storm hits; after the ramp
 * the services have done the clients' log-ins. A {@code ramp_rate} in units of C needs C before the ramp.
 *
 * @param mix the mix to measure, or empty for the storm profile's own ({@link Profile#recoveryMix()})
 * @param warmup how long to run before measuring (JIT, connection set-up)
 * @param duration how long to measure
 * @param concurrency calibration clients in flight
 * @param when at the start of the run or after the ramp
 */
public record Calibration(Optional<RecoveryMix> mix, Duration warmup, Duration duration, int concurrency,
    When when) {

  /** When the calibration runs. */
  public enum When {
    /** Before seeding and the ramp, on the freshly started services. */
    START("start"),
    /** After the ramp, before the steady phase: the services have served every client's log-in. */
    AFTER_RAMP("after-ramp");

    private final String id;

    When(String id) {
      this.id = id;
    }

    /** The name in experiment files. */
    public String id() {
      return id;
    }
  }

  /** The storm profile's mix, 2 s warm-up, 8 s measured, 16 in flight, at the start. */
  public static final Calibration DEFAULT =
      new Calibration(Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(8), 16, When.START);

  /** Checks the arguments. */
  public Calibration {
    java.util.Objects.requireNonNull(mix, "mix");
    java.util.Objects.requireNonNull(warmup, "warmup");
    java.util.Objects.requireNonNull(duration, "duration");
    java.util.Objects.requireNonNull(when, "when");
  }

  /** A calibration at the start of the run. */
  public Calibration(Optional<RecoveryMix> mix, Duration warmup, Duration duration, int concurrency) {
    this(mix, warmup, duration, concurrency, When.START);
  }

  /**
   * Why this calibration cannot go with {@code steady}'s ramp, or empty: a ramp rate in units of C needs C before
   * the ramp.
   */
  public Optional<String> conflictWith(SteadyPhase steady) {
    if (when != When.AFTER_RAMP) {
      return Optional.empty();
    }
    return steady.rampRate().filter(Rate::ofCapacity)
        .map(r -> "after-ramp (expected: start, because steady.ramp_rate " + r + " needs C before the ramp)");
  }

  /** The mix to measure for a storm of the given profile. */
  public RecoveryMix mixFor(Profile profile) {
    return mix.orElse(profile.recoveryMix());
  }
}
