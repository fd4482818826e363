package dev.stampede.chaos.restart;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RestartPlan} as a map of plain values — what an experiment file's fault, the JSON of a journal and the
 * local control socket carry. Keys (all but {@code selector} optional):
 *
 * <pre>
 * namespace:      stampede                        # engine default if absent
 * selector:       app.kubernetes.io/name=auth     # required
 * mode:           one | all | fixed | fixed-percent | random-max-percent | waves   (default all)
 * value:          2                               # fixed: count; fixed-percent, random-max-percent: percent
 * fraction:       0.25                            # waves: share per wave
 * interval:       10s                             # waves: start to start
 * waitUntilReady: false                           # waves
 * action:         kill | evict | rollout | fail   (default kill)
 * gracePeriod:    0s                              # kill and evict; absent: the target's own (a pod's
 *                                                 # terminationGracePeriodSeconds, 30 s locally)
 * duration:       30s                             # fail
 * dryRun:         false
 * readyTimeout:   5m                              # wait until ready afterwards; absent: do not wait
 * seed:           42
 * </pre>
 *
 * <p>Errors name the key and what was expected. Stateless and thread-safe.
 */
public final class PlanSpec {

  private static final Set<String> KEYS = Set.of("namespace", "selector", "mode", "value", "fraction", "interval",
      "waitUntilReady", "action", "gracePeriod", "duration", "dryRun", "readyTimeout", "seed");

  private PlanSpec() {}

  /**
   * Builds a plan from a map.
   *
   * @param where a prefix for error messages, e.g. {@code faults[0]}; may be empty
   * @throws IllegalArgumentException naming the key, if a key is unknown, missing or malformed
   */
  public static RestartPlan fromMap(Map<String, ?> map, String where) {
    String p = where == null || where.isEmpty() ? "" : where + ".";
    for (String key : map.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(p + key + ": unknown key (expected one of " + new java.util.TreeSet<>(KEYS)
            + ")");
      }
    }
    Object selectorValue = map.get("selector");
    if (!(selectorValue instanceof String selector)) {
      throw new IllegalArgumentException(p + "selector: " + (selectorValue == null ? "missing" : "not a string")
          + " (expected: a label selector such as app.kubernetes.io/name=auth)");
    }
    String namespace = optionalString(map, "namespace", p).orElse(null);
    Target target;
    try {
      target = new Target(namespace, Selector.parse(selector));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(p + e.getMessage(), e);
    }
    RestartPlan.Builder b = RestartPlan.builder(target);
    String mode = optionalString(map, "mode", p).orElse("all");
    try {
      b.mode(switch (mode) {
        case "one" -> new Mode.One();
        case "all" -> new Mode.All();
        case "fixed" -> new Mode.Fixed(requiredInt(map, "value", p, mode));
        case "fixed-percent" -> new Mode.FixedPercent(requiredInt(map, "value", p, mode));
        case "random-max-percent" -> new Mode.RandomMaxPercent(requiredInt(map, "value", p, mode));
        case "waves" -> new Mode.Waves(requiredDouble(map, "fraction", p), optionalDuration(map, "interval", p)
            .orElseThrow(() -> new IllegalArgumentException(p + "interval: missing (expected: a duration for waves)")),
            optionalBoolean(map, "waitUntilReady", p).orElse(false));
        default -> throw new IllegalArgumentException(p + "mode: '" + mode
            + "' (expected: one, all, fixed, fixed-percent, random-max-percent or waves)");
      });
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith(p) ? e : new IllegalArgumentException(p + e.getMessage(), e);
    }
    String action = optionalString(map, "action", p).orElse("kill");
    Optional<Duration> grace = optionalDuration(map, "gracePeriod", p);
    b.action(switch (action) {
      case "kill" -> new Action.Kill(grace);
      case "evict" -> new Action.Evict(grace);
      case "rollout" -> new Action.Rollout();
      case "fail" -> new Action.Fail(optionalDuration(map, "duration", p)
          .orElseThrow(() -> new IllegalArgumentException(p + "duration: missing (expected: a duration for fail)")));
      default -> throw new IllegalArgumentException(p + "action: '" + action
          + "' (expected: kill, evict, rollout or fail)");
    });
    optionalBoolean(map, "dryRun", p).ifPresent(b::dryRun);
    optionalDuration(map, "readyTimeout", p).ifPresent(d -> {
      if (d.isZero()) {
        throw new IllegalArgumentException(p + "readyTimeout: 0s (expected: > 0)");
      }
      b.awaitReady(d);
    });
    Object seed = map.get("seed");
    if (seed != null) {
      if (!(seed instanceof Number n) || n.longValue() != n.doubleValue()) {
        throw new IllegalArgumentException(p + "seed: '" + seed + "' (expected: an integer)");
      }
      b.seed(n.longValue());
    }
    return b.build();
  }

  /** The map form of a plan, read back by {@link #fromMap}. */
  public static Map<String, Object> toMap(RestartPlan plan) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (plan.target().namespace() != null) {
      m.put("namespace", plan.target().namespace());
    }
    m.put("selector", plan.target().selector().toString());
    m.put("mode", plan.mode().name());
    Mode mode = plan.mode();
    if (mode instanceof Mode.Fixed f) {
      m.put("value", f.value());
    } else if (mode instanceof Mode.FixedPercent f) {
      m.put("value", f.value());
    } else if (mode instanceof Mode.RandomMaxPercent f) {
      m.put("value", f.value());
    } else if (mode instanceof Mode.Waves w) {
      m.put("fraction", w.fraction());
      m.put("interval", Durations.format(w.interval()));
      m.put("waitUntilReady", w.waitUntilReady());
    }
    m.put("action", plan.action().name());
    Action action = plan.action();
    if (action instanceof Action.Kill k) {
      k.gracePeriod().ifPresent(g -> m.put("gracePeriod", Durations.format(g)));
    } else if (action instanceof Action.Evict e) {
      e.gracePeriod().ifPresent(g -> m.put("gracePeriod", Durations.format(g)));
    } else if (action instanceof Action.Fail f) {
      m.put("duration", Durations.format(f.duration()));
    }
    m.put("dryRun", plan.dryRun());
    plan.readyTimeout().ifPresent(t -> m.put("readyTimeout", Durations.format(t)));
    plan.seed().ifPresent(s -> m.put("seed", s));
    return m;
  }

  private static Optional<String> optionalString(Map<String, ?> map, String key, String p) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(p + key + ": '" + v + "' (expected: a string)");
    }
    return Optional.of(s);
  }

  private static Optional<Boolean> optionalBoolean(Map<String, ?> map, String key, String p) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Boolean bool)) {
      throw new IllegalArgumentException(p + key + ": '" + v + "' (expected: true or false)");
    }
    return Optional.of(bool);
  }

  private static Optional<Duration> optionalDuration(Map<String, ?> map, String key, String p) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Number n && n.doubleValue() == 0) {
      return Optional.of(Duration.ZERO);
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(p + key + ": '" + v + "' (expected: a duration such as 10s)");
    }
    return Optional.of(Durations.parse(s, p + key));
  }

  private static int requiredInt(Map<String, ?> map, String key, String p, String mode) {
    Object v = map.get(key);
    if (v instanceof String s && s.matches("-?\\d{1,9}")) {
      return Integer.parseInt(s); // Chaos Mesh writes value as a string
    }
    if (!(v instanceof Number n) || n.intValue() != n.doubleValue()) {
      throw new IllegalArgumentException(p + key + ": " + (v == null ? "missing" : "'" + v + "'")
          + " (expected: an integer for mode " + mode + ")");
    }
    return n.intValue();
  }

  private static double requiredDouble(Map<String, ?> map, String key, String p) {
    Object v = map.get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException(p + key + ": " + (v == null ? "missing" : "'" + v + "'")
          + " (expected: a number in (0, 1] for mode waves)");
    }
    return n.doubleValue();
  }
}
