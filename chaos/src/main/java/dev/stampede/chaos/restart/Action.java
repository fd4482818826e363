package dev.stampede.chaos.restart;

import java.time.Duration;
import java.util.Optional;

/**
 * What a restart does to each picked target.
 *
 * <ul>
 *   <li>{@link Kill}: delete the pod (stop the local replica) with a grace period; 0 removes it at once and the
 *       process gets SIGKILL, as a Chaos Mesh {@code pod-kill} with {@code gracePeriod: 0}.
 *   <li>{@link Evict}: the Eviction API, which honours PodDisruptionBudgets. A refusal (HTTP 429) is reported
 *       and counted as {@code pdb-blocked}, never retried behind the caller's back.
 *   <li>{@link Rollout}: what {@code kubectl rollout restart} does — stamp
 *       {@code kubectl.kubernetes.io/restartedAt} into the pod template of the owning Deployment or
 *       StatefulSet, so its controller replaces the pods under its own update strategy.
 *   <li>{@link Fail}: a Chaos Mesh {@code pod-failure}: the target is down for a duration and then comes back.
 *       Only the local engine supports it (in a cluster it needs rights to patch pods, which the chaos Role does
 *       not grant).
 * </ul>
 *
 * <p>All implementations are immutable values.
 */
public sealed interface Action {

  /** The action's name in the journal ({@code kill}, {@code evict}, {@code rollout}, {@code fail}). */
  String name();

  /**
   * Delete with a grace period.
   *
   * @param gracePeriod the grace period, or empty for the target's own default (the pod's
   *     {@code terminationGracePeriodSeconds}, 30 s for a local replica)
   */
  record Kill(Optional<Duration> gracePeriod) implements Action {
    /** @throws IllegalArgumentException if the grace period is negative */
    public Kill {
      checkGrace(gracePeriod);
    }

    /** A kill with the given grace period. */
    public static Kill withGrace(Duration gracePeriod) {
      return new Kill(Optional.of(gracePeriod));
    }

    /** A kill with grace period 0: removed at once, SIGKILL. */
    public static Kill immediately() {
      return withGrace(Duration.ZERO);
    }

    @Override
    public String name() {
      return "kill";
    }

    @Override
    public String toString() {
      return "kill (grace " + gracePeriod.map(Action::seconds).orElse("default") + ")";
    }
  }

  /**
   * Evict through the Eviction API.
   *
   * @param gracePeriod the grace period, or empty for the pod's own default
   */
  record Evict(Optional<Duration> gracePeriod) implements Action {
    /** @throws IllegalArgumentException if the grace period is negative */
    public Evict {
      checkGrace(gracePeriod);
    }

    @Override
    public String name() {
      return "evict";
    }

    @Override
    public String toString() {
      return "evict (grace " + gracePeriod.map(Action::seconds).orElse("default") + ")";
    }
  }

  /** Restart the owning Deployment or StatefulSet as {@code kubectl rollout restart} does. */
  record Rollout() implements Action {
    @Override
    public String name() {
      return "rollout";
    }

    @Override
    public String toString() {
      return "rollout restart";
    }
  }

  /**
   * Take the target down for a duration, then let it come back (Chaos Mesh {@code pod-failure}).
   *
   * @param duration how long the target stays down, {@code > 0}
   */
  record Fail(Duration duration) implements Action {
    /** @throws IllegalArgumentException if the duration is not positive */
    public Fail {
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
      }
    }

    @Override
    public String name() {
      return "fail";
    }

    @Override
    public String toString() {
      return "fail for " + seconds(duration);
    }
  }

  private static void checkGrace(Optional<Duration> grace) {
    if (grace == null) {
      throw new IllegalArgumentException("gracePeriod: null (expected: a duration >= 0 or empty)");
    }
    grace.ifPresent(g -> {
      if (g.isNegative()) {
        throw new IllegalArgumentException("gracePeriod: " + g + " (expected: >= 0)");
      }
    });
  }

  /** Formats a duration as seconds, e.g. {@code 0s}, {@code 2.5s}. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms / 1000.0 + "s";
  }
}
