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

  /**
   * This fault as the plain-value map the restart engines read ({@code dev.stampede.chaos.restart.PlanSpec}):
   * {@code namespace}, {@code selector}, {@code mode}, {@code value}, {@code fraction}, {@code interval},
   * {@code waitUntilReady}, {@code action}, {@code gracePeriod}, {@code duration}, {@code readyTimeout}; durations
   * as text ({@code 500ms}), absent keys for absent values.
   */
  public java.util.Map<String, Object> toPlanSpec() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    namespace.ifPresent(n -> m.put("namespace", n));
    m.put("selector", selector);
    m.put("mode", mode);
    if (value > 0) {
      m.put("value", value);
    }
    waves.ifPresent(w -> {
      m.put("fraction", w.fraction());
      m.put("interval", w.interval().toMillis() + "ms");
      m.put("waitUntilReady", w.waitUntilReady());
    });
    m.put("action", action);
    grace.ifPresent(g -> m.put("gracePeriod", g.toMillis() + "ms"));
    failFor.ifPresent(d -> m.put("duration", d.toMillis() + "ms"));
    readyTimeout.ifPresent(t -> m.put("readyTimeout", t.toMillis() + "ms"));
    return m;
  }

  /** Whether the runner waits for readiness after this fault (and so measures its t_ready). */
  public boolean awaitsReady() {
    return readyTimeout.isPresent();
  }
}
