package dev.stampede.chaos.restart;

import dev.stampede.chaos.restart.JournalEvent.Outcome;
import dev.stampede.chaos.restart.JournalEvent.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part of a restart engine that does not depend on where targets live: guard rails, the pick, wave pacing,
 * readiness waits, abort and the journal. An engine supplies listing, acting and readiness through the
 * protected methods.
 *
 * <p>The order of a run: refuse unsupported actions → resolve and check the namespace → engine preflight
 * (permissions) → list and re-match locally → pick (seeded shuffle) → max-fraction guard → {@code run-start} →
 * for each wave: wait for its start (and readiness, if asked) → act on each target → optionally wait until
 * ready → {@code run-end}. Nothing is touched before every check has passed.
 *
 * <p>Thread-safe if the subclass hooks are.
 */
public abstract class AbstractRestartEngine implements RestartEngine {

  /**
   * What an action is applied to: a pod or replica, or for {@code rollout} a workload.
   *
   * @param kind {@code Pod}, {@code Deployment}, {@code StatefulSet}, {@code replica}, {@code service}
   * @param namespace the namespace
   * @param name the name
   * @param uid the incarnation's identity (pod UID, {@code pid:<n>}); for workloads their UID
   */
  public record Unit(String kind, String namespace, String name, String uid) {
    /** {@code name} for pods and replicas, {@code Kind/name} for workloads. */
    public String label() {
      return kind.equals("Pod") || kind.equals("replica") ? name : kind + "/" + name;
    }
  }

  /**
   * The outcome of one action.
   *
   * @param outcome the outcome
   * @param message a short detail ("deleted with grace 0s", "would delete ...", the API's refusal)
   */
  public record ActResult(Outcome outcome, String message) {}

  /**
   * A matched target that an action cannot apply to (e.g. a pod without a Deployment for rollout).
   *
   * @param name the target
   * @param reason why
   */
  public record Skip(String name, String reason) {}

  /**
   * Whether the targets are back.
   *
   * @param ready whether they are
   * @param detail e.g. {@code 3/3 pods ready}
   */
  public record Readiness(boolean ready, String detail) {}

  /**
   * The state before the plan acted, against which readiness is judged.
   *
   * @param readyBefore how many matched targets were ready before the first action
   * @param matched the matched targets before the first action
   */
  public record Baseline(int readyBefore, List<Replica> matched) {}

  private final String name;
  private final SafetyPolicy policy;
  private final Pacer pacer;
  private final Duration pollInterval;
  private final AbortSignal engineAbort = new AbortSignal();
  private final Set<AbortSignal> activeRuns = ConcurrentHashMap.newKeySet();

  /**
   * @param name the engine's name in the journal
   * @param policy the guard rails
   * @param pacer time and waiting
   * @param pollInterval how often readiness is checked while waiting
   */
  protected AbstractRestartEngine(String name, SafetyPolicy policy, Pacer pacer, Duration pollInterval) {
    this.name = Objects.requireNonNull(name, "name");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.pacer = Objects.requireNonNull(pacer, "pacer");
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval: " + pollInterval + " (expected: > 0)");
    }
    this.pollInterval = pollInterval;
  }

  @Override
  public final String name() {
    return name;
  }

  /** The guard rails of this engine. */
  public final SafetyPolicy policy() {
    return policy;
  }

  /** The engine's clock. */
  protected final Pacer pacer() {
    return pacer;
  }

  /** The engine's abort switch (set by {@link #abort()}), for subclasses with background work of their own. */
  protected final AbortSignal abortSignal() {
    return engineAbort;
  }

  @Override
  public void abort() {
    engineAbort.set();
    activeRuns.forEach(AbortSignal::set);
  }

  /**
   * The target with its namespace resolved: the engine's default when the target leaves it open. Engines with a
   * single namespace override this to ignore the given one.
   */
  protected Target resolve(Target target) {
    return target.inNamespace(defaultNamespace());
  }

  @Override
  public final List<Replica> list(Target target) {
    Target resolved = resolve(target);
    policy.checkNamespace(resolved.namespace(), defaultNamespace());
    return matching(resolved);
  }

  /**
   * Throws {@link RestartRefusedException} if this engine cannot carry out {@code action}.
   */
  protected abstract void checkSupported(Action action);

  /**
   * Lists the targets in {@code target.namespace()} that match its selector. The result may be a superset (a
   * server that ignores set-based requirements): it is matched again locally.
   *
   * @throws ClusterAccessException if the targets cannot be listed
   */
  protected abstract List<Replica> listReplicas(Target target);

  /**
   * Checks, before anything is touched, that the engine may do what the plan needs (e.g. RBAC). Runs for dry
   * runs too. The default checks nothing.
   *
   * @throws ClusterAccessException if a needed permission is missing
   */
  protected void preflight(String namespace, Action action) {}

  /**
   * The units an action applies to. The default: one unit per replica that is not already terminating.
   * Rollout engines map replicas to their owning workloads, adding replicas without one to {@code skipped}
   * (recorded in the journal after {@code run-start}).
   */
  protected List<Unit> units(Target target, Action action, List<Replica> matched, List<Skip> skipped) {
    List<Unit> out = new ArrayList<>();
    for (Replica r : matched) {
      if (!r.terminating()) {
        out.add(new Unit(unitKind(), r.namespace(), r.name(), r.uid()));
      }
    }
    return out;
  }

  /** The kind of a replica unit: {@code Pod} or {@code replica}. */
  protected abstract String unitKind();

  /**
   * Applies the action to one unit, or for a dry run describes what it would do without touching anything.
   *
   * @throws ClusterAccessException if the cluster became unreachable or forbids the action (the run stops)
   */
  protected abstract ActResult act(Unit unit, Action action, boolean dryRun);

  /**
   * Whether the targets are ready again after the units in {@code acted} were acted on.
   *
   * @throws ClusterAccessException if readiness cannot be read (the wait continues until its deadline)
   */
  protected abstract Readiness readiness(Target target, Action action, Baseline baseline, List<Unit> acted);

  @Override
  public final RestartResult run(RestartPlan plan, Journal journal) {
    return run(plan, journal, new AbortSignal());
  }

  @Override
  public final RestartResult run(RestartPlan plan, Journal journal, AbortSignal abort) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(abort, "abort");
    if (engineAbort.isSet()) {
      throw new RestartRefusedException("refusing: the " + name + " engine was aborted");
    }
    activeRuns.add(abort);
    try {
      if (engineAbort.isSet()) {
        abort.set();
      }
      return new PlanExecution(this, plan, journal, abort).execute();
    } finally {
      activeRuns.remove(abort);
    }
  }

  /** The poll interval of readiness waits. */
  final Duration pollInterval() {
    return pollInterval;
  }

  /** Sleeps on the engine's pacer; false if aborted (or interrupted, which also sets {@code abort}). */
  final boolean sleep(Duration d, AbortSignal abort) {
    try {
      return pacer.sleep(d, abort);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort.set();
      return false;
    }
  }

  /** The targets matching the selector (matched locally again), sorted by name. */
  final List<Replica> matching(Target target) {
    List<Replica> out = new ArrayList<>();
    for (Replica r : listReplicas(target)) {
      if (target.selector().matches(r.labels())) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(Replica::name));
    return out;
  }

  /** Records an event from an engine's own background work (a local replica restarting, ...). */
  protected final void record(Journal journal, Type type, String namespace, String target, Outcome outcome,
      String message) {
    journal.record(new JournalEvent(pacer.now(), name, type, namespace, target, outcome, 0, message));
  }
}
