package dev.stampede.chaos.restart;

import dev.stampede.chaos.restart.JournalEvent.Outcome;
import dev.stampede.chaos.restart.JournalEvent.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

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
      return execute(plan, journal, abort);
    } finally {
      activeRuns.remove(abort);
    }
  }

  private RestartResult execute(RestartPlan plan, Journal journal, AbortSignal abort) {
    checkSupported(plan.action());
    Target target = resolve(plan.target());
    String ns = target.namespace();
    policy.checkNamespace(ns, defaultNamespace());
    preflight(ns, plan.action());
    Instant startedAt = pacer.now();

    List<Replica> matched = matching(target);
    if (matched.isEmpty()) {
      throw new RestartRefusedException("no " + plural(unitKind()) + " match selector " + target.selector()
          + " in namespace " + ns);
    }
    int readyBefore = (int) matched.stream().filter(r -> r.ready() && !r.terminating()).count();
    Baseline baseline = new Baseline(readyBefore, matched);
    List<Skip> skips = new ArrayList<>();
    List<Unit> candidates = new ArrayList<>(units(target, plan.action(), matched, skips));
    if (candidates.isEmpty()) {
      throw new RestartRefusedException("nothing to " + plan.action().name() + ": the " + matched.size() + " "
          + plural(unitKind()) + " matching " + target.selector() + " in namespace " + ns
          + (plan.action() instanceof Action.Rollout ? " have no Deployment or StatefulSet owner"
              : " are all terminating already"));
    }

    long seed = plan.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
    Random random = new Random(seed);
    candidates.sort(Comparator.comparing(Unit::name));
    java.util.Collections.shuffle(candidates, random);
    int n = candidates.size();
    int count = plan.mode().count(n, random);
    if (count < 1) {
      throw new RestartRefusedException("mode " + plan.mode() + " selects no target out of " + n
          + " (Chaos Mesh rounds percentages down)");
    }
    List<Unit> picked = List.copyOf(candidates.subList(0, count));
    List<List<Unit>> waves = new ArrayList<>();
    Mode.Waves wavesMode = plan.mode() instanceof Mode.Waves w ? w : null;
    if (wavesMode != null) {
      int size = wavesMode.waveSize(n);
      for (int i = 0; i < picked.size(); i += size) {
        waves.add(picked.subList(i, Math.min(picked.size(), i + size)));
      }
      if (!(plan.action() instanceof Action.Rollout)) {
        int atOnce = wavesMode.waitUntilReady() ? size : picked.size();
        policy.checkFraction(atOnce, n, wavesMode.waitUntilReady() ? "one wave" : "waves without wait-until-ready");
      }
    } else {
      waves.add(picked);
      if (!(plan.action() instanceof Action.Rollout)) {
        policy.checkFraction(picked.size(), n, "mode " + plan.mode());
      }
    }

    Run run = new Run(ns, journal, abort);
    run.record(Type.RUN_START, null, null, null, 0, String.format(Locale.ROOT,
        "%s%s, %s of selector %s: %d matched (%d ready), %d picked in %d wave%s, seed %d",
        plan.dryRun() ? "dry-run: " : "", plan.action(), plan.mode(), target.selector(), n, readyBefore,
        picked.size(), waves.size(), waves.size() == 1 ? "" : "s", seed));
    for (Skip skip : skips) {
      run.record(eventType(plan.action()), ns, skip.name(), Outcome.SKIPPED, 0, skip.reason());
    }

    List<Unit> acted = new ArrayList<>();
    Instant firstWaveAt = null;
    boolean aborted = false;
    boolean stop = false;
    int skipped = 0;
    Instant firstAction = null;
    Instant lastAction = null;
    int[] counts = new int[Outcome.values().length];
    outer:
    for (int w = 0; w < waves.size(); w++) {
      int waveNo = wavesMode == null ? 0 : w + 1;
      if (w > 0) {
        if (wavesMode.waitUntilReady() && !plan.dryRun() && !acted.isEmpty()) {
          Duration budget = plan.readyTimeout().orElse(RestartPlan.DEFAULT_READY_TIMEOUT);
          WaitResult ready = awaitReady(run, target, plan.action(), baseline, acted, budget, waveNo - 1);
          if (ready == WaitResult.ABORTED) {
            aborted = true;
            break;
          }
          if (ready == WaitResult.TIMEOUT) {
            stop = true;
          }
        }
        if (!stop) {
          Instant start = firstWaveAt.plus(wavesMode.interval().multipliedBy(w));
          if (!plan.dryRun() && !sleepUntil(start, abort)) {
            aborted = true;
            break;
          }
        }
        if (stop) {
          for (int rest = w; rest < waves.size(); rest++) {
            for (Unit u : waves.get(rest)) {
              run.record(eventType(plan.action()), ns, u.label(), Outcome.SKIPPED, rest + 1,
                  "not acted on: wave " + w + " did not get ready in time");
              skipped++;
            }
          }
          break;
        }
      }
      Instant waveStart = pacer.now();
      if (firstWaveAt == null) {
        firstWaveAt = waveStart;
      }
      if (wavesMode != null) {
        Duration offset = wavesMode.interval().multipliedBy(w);
        run.record(Type.WAVE, ns, null, null, waveNo, String.format(Locale.ROOT, "wave %d/%d: %d target%s%s",
            waveNo, waves.size(), waves.get(w).size(), waves.get(w).size() == 1 ? "" : "s",
            plan.dryRun() ? " at +" + Action.seconds(offset) + " (or later, if waiting until ready)" : ""));
      }
      for (Unit unit : waves.get(w)) {
        if (abort.isSet()) {
          aborted = true;
          break outer;
        }
        ActResult result;
        Instant at = pacer.now();
        try {
          result = act(unit, plan.action(), plan.dryRun());
        } catch (ClusterAccessException e) {
          run.record(eventType(plan.action()), ns, unit.label(), Outcome.FAILED, waveNo, e.getMessage());
          run.record(Type.RUN_END, ns, null, null, 0, "stopped: " + e.getMessage());
          throw e;
        }
        counts[result.outcome().ordinal()]++;
        if (result.outcome() == Outcome.OK || result.outcome() == Outcome.DRY_RUN) {
          acted.add(unit);
          if (firstAction == null) {
            firstAction = at;
          }
          lastAction = at;
        }
        run.record(at, eventType(plan.action()), ns, unit.label(), result.outcome(), waveNo, result.message());
      }
    }

    int remaining = picked.size() - counts[Outcome.OK.ordinal()] - counts[Outcome.DRY_RUN.ordinal()]
        - counts[Outcome.PDB_BLOCKED.ordinal()] - counts[Outcome.NOT_FOUND.ordinal()]
        - counts[Outcome.FAILED.ordinal()] - counts[Outcome.SKIPPED.ordinal()] - skipped;
    if (aborted) {
      run.record(Type.ABORT, ns, null, null, 0,
          "aborted; " + remaining + " picked target" + (remaining == 1 ? "" : "s") + " not acted on");
      skipped += remaining;
    }

    Optional<Instant> readyAt = Optional.empty();
    boolean readyTimedOut = stop;
    if (!aborted && !stop && !plan.dryRun() && plan.readyTimeout().isPresent() && !acted.isEmpty()) {
      WaitResult ready = awaitReady(run, target, plan.action(), baseline, acted, plan.readyTimeout().get(), 0);
      switch (ready) {
        case READY -> readyAt = Optional.of(run.lastReadyAt);
        case TIMEOUT -> readyTimedOut = true;
        case ABORTED -> {
          aborted = true;
          run.record(Type.ABORT, ns, null, null, 0, "aborted while waiting until ready");
        }
      }
    }

    RestartResult result = new RestartResult(name, plan, ns, seed, n,
        picked.stream().map(Unit::label).toList(),
        counts[Outcome.OK.ordinal()] + counts[Outcome.DRY_RUN.ordinal()], counts[Outcome.PDB_BLOCKED.ordinal()],
        counts[Outcome.NOT_FOUND.ordinal()], counts[Outcome.FAILED.ordinal()],
        counts[Outcome.SKIPPED.ordinal()] + skipped, aborted, startedAt, Optional.ofNullable(firstAction),
        Optional.ofNullable(lastAction), readyAt, readyTimedOut);
    run.record(Type.RUN_END, ns, null, null, 0, result.summary());
    return result;
  }

  private enum WaitResult { READY, TIMEOUT, ABORTED }

  private WaitResult awaitReady(Run run, Target target, Action action, Baseline baseline, List<Unit> acted,
      Duration timeout, int wave) {
    Instant deadline = pacer.now().plus(timeout);
    String last = "not checked yet";
    while (true) {
      if (run.abort.isSet()) {
        return WaitResult.ABORTED;
      }
      try {
        Readiness r = readiness(target, action, baseline, List.copyOf(acted));
        last = r.detail();
        if (r.ready()) {
          Instant at = pacer.now();
          run.lastReadyAt = at;
          run.record(at, Type.READY, target.namespace(), null, Outcome.OK, wave, r.detail());
          return WaitResult.READY;
        }
      } catch (ClusterAccessException e) {
        // A restarting control plane or a network blip must not end the wait early; the deadline does.
        last = e.getMessage();
      }
      Instant now = pacer.now();
      if (!now.isBefore(deadline)) {
        run.record(now, Type.READY, target.namespace(), null, Outcome.TIMEOUT, wave,
            "not ready within " + Action.seconds(timeout) + ": " + last);
        return WaitResult.TIMEOUT;
      }
      Duration left = Duration.between(now, deadline);
      if (!sleep(left.compareTo(pollInterval) < 0 ? left : pollInterval, run.abort)) {
        return WaitResult.ABORTED;
      }
    }
  }

  private boolean sleepUntil(Instant when, AbortSignal abort) {
    Duration d = Duration.between(pacer.now(), when);
    return d.isNegative() || d.isZero() || sleep(d, abort);
  }

  private boolean sleep(Duration d, AbortSignal abort) {
    try {
      return pacer.sleep(d, abort);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort.set();
      return false;
    }
  }

  private List<Replica> matching(Target target) {
    List<Replica> out = new ArrayList<>();
    for (Replica r : listReplicas(target)) {
      if (target.selector().matches(r.labels())) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(Replica::name));
    return out;
  }

  private static Type eventType(Action action) {
    if (action instanceof Action.Kill) {
      return Type.KILL;
    }
    if (action instanceof Action.Evict) {
      return Type.EVICT;
    }
    if (action instanceof Action.Rollout) {
      return Type.ROLLOUT;
    }
    return Type.FAIL;
  }

  private static String plural(String kind) {
    return kind.equals("Pod") ? "pods" : kind + "s";
  }

  /** Journal helper of one run. */
  private final class Run {
    final String namespace;
    final Journal journal;
    final AbortSignal abort;
    Instant lastReadyAt;

    Run(String namespace, Journal journal, AbortSignal abort) {
      this.namespace = namespace;
      this.journal = journal;
      this.abort = abort;
    }

    void record(Type type, String ns, String target, Outcome outcome, int wave, String message) {
      record(pacer.now(), type, ns, target, outcome, wave, message);
    }

    void record(Instant at, Type type, String ns, String target, Outcome outcome, int wave, String message) {
      journal.record(new JournalEvent(at, name, type, ns == null ? namespace : ns, target, outcome, wave, message));
    }
  }

  /** Records an event from an engine's own background work (a local replica restarting, ...). */
  protected final void record(Journal journal, Type type, String namespace, String target, Outcome outcome,
      String message) {
    journal.record(new JournalEvent(pacer.now(), name, type, namespace, target, outcome, 0, message));
  }
}
