package dev.stampede.chaos.experiment;

import java.time.Duration;
import java.util.Optional;

/**
 * A restart-engine action at a given time after t0: which targets (namespace + label selector), which of them
 * (mode, as in Chaos Mesh), what to do, and whether to wait until they are ready again (which measures t_ready).
 *
 * @param name a label for reports
 * @param at the time after t0 at which the action starts, {@code >= 0}
 * @param namespace the namespace, or empty for the engine's default
 * @param selector the label selector, e.g. {@code app.kubernetes.io/name in (auth,directory)}
 * @param mode {@code one}, {@code all}, {@code fixed}, {@code fixed-percent}, {@code random-max-percent} or
 *     {@code waves}
 * @param value N for {@code fixed}, P for the percent modes; 0 otherwise
 * @param waves the wave parameters when {@code mode} is {@code waves}
 * @param action {@code kill}, {@code evict}, {@code rollout} or {@code fail}
 * @param grace the grace period of kill and evict (empty = the target's default)
 * @param failFor how long a {@code fail} keeps the target down
 * @param readyTimeout how long to wait for the targets to be ready again; empty = do not wait
 */
public record Fault(String name, Duration at, Optional<String> namespace, String selector, String mode, int value,
    Optional<Waves> waves, String action, Optional<Duration> grace, Optional<Duration> failFor,
    Optional<Duration> readyTimeout) {

  /** The modes experiment files accept. */
  public static final String[] MODES = {"one", "all", "fixed", "fixed-percent", "random-max-percent", "waves"};
  /** The actions experiment files accept. */
  public static final String[] ACTIONS = {"kill", "evict", "rollout", "fail"};

  /**
   * Waves of a {@code waves} fault.
   *
   * @param fraction share of the targets per wave, in (0, 1]
   * @param interval start-to-start time between waves
   * @param waitUntilReady whether a wave waits until the earlier ones are ready again
   */
  public record Waves(double fraction, Duration interval, boolean waitUntilReady) {
  }

  /** Whether the runner waits for readiness after this fault (and so measures its t_ready). */
  public boolean awaitsReady() {
    return readyTimeout.isPresent();
  }
}
