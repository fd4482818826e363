package dev.stampede.chaos.restart;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of a {@link Journal}: something an engine did or saw, with the time it happened.
 *
 * @param at when it happened (the engine's clock)
 * @param engine the engine that recorded it ({@code kubernetes}, {@code local})
 * @param type what kind of event
 * @param namespace the namespace, or {@code null} when not about one
 * @param name the pod, replica or workload ({@code Deployment/auth}), or {@code null}
 * @param outcome the outcome of an action or wait, or {@code null} for plain markers
 * @param wave the 1-based wave of a {@code waves} plan, 0 otherwise
 * @param message a short human-readable detail (never a secret)
 */
public record JournalEvent(Instant at, String engine, Type type, String namespace, String name, Outcome outcome,
    int wave, String message) {

  /** The kind of event; {@link #id()} is its spelling in JSON. */
  public enum Type {
    /** A plan started; the message describes it (mode, action, seed, matched targets). */
    RUN_START,
    /** A wave started. */
    WAVE,
    /** A pod was deleted / a replica stopped. */
    KILL,
    /** A pod was evicted (or the eviction was refused). */
    EVICT,
    /** A workload was rollout-restarted. */
    ROLLOUT,
    /** A replica was taken down for a while (pod-failure). */
    FAIL,
    /** The targets were ready again (or the wait timed out). */
    READY,
    /** The plan was aborted (SIGTERM, Ctrl-C, {@link RestartEngine#abort()}). */
    ABORT,
    /** A plan finished; the message summarises it. */
    RUN_END,
    /** A local replica's process exited. */
    REPLICA_EXIT,
    /** A local replica's process was started (again), like a ReplicaSet creating a pod. */
    REPLICA_START,
    /** A local replica answered its readiness check. */
    REPLICA_READY;

    /** The JSON spelling, e.g. {@code run-start}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The outcome of an action or a wait; {@link #id()} is its spelling in JSON. */
  public enum Outcome {
    /** Done. */
    OK,
    /** Not done: the plan was a dry run; the message says what would have happened. */
    DRY_RUN,
    /** An eviction refused by a PodDisruptionBudget (HTTP 429); not retried. */
    PDB_BLOCKED,
    /** The target was already gone. */
    NOT_FOUND,
    /** The request failed; the message says why. */
    FAILED,
    /** Deliberately not acted on; the message says why. */
    SKIPPED,
    /** A wait ran out of time. */
    TIMEOUT;

    /** The JSON spelling, e.g. {@code pdb-blocked}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Checks the required fields. */
  public JournalEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(type, "type");
  }
}
