package dev.stampede.chaos.restart;

import dev.stampede.chaos.restart.AbstractRestartEngine.ActResult;
import dev.stampede.chaos.restart.AbstractRestartEngine.Baseline;
import dev.stampede.chaos.restart.AbstractRestartEngine.Readiness;
import dev.stampede.chaos.restart.AbstractRestartEngine.Skip;
import dev.stampede.chaos.restart.AbstractRestartEngine.Unit;
import dev.stampede.chaos.restart.JournalEvent.Outcome;
import dev.stampede.chaos.restart.JournalEvent.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One run of a plan on an engine: checks, the pick, the waves, the waits and the journal entries, in the order
 * {@link AbstractRestartEngine} documents. Used once, by one thread.
 */
final class PlanExecution {

  private enum WaitResult { READY, TIMEOUT, ABORTED }

  /** What the checks and the pick decided before anything is touched. */
  private record Selection(Target target, Baseline baseline, int matched, List<Unit> picked,
      List<List<Unit>> waves, long seed, List<Skip> skips) {}

  private final AbstractRestartEngine engine;
  private final RestartPlan plan;
  private final Journal journal;
  private final AbortSignal abort;
  private final Type actionType;
  private final Mode.Waves wavesMode;

  private String namespace;
  private final List<Unit> acted = new ArrayList<>();
  private final int[] counts = new int[Outcome.values().length];
  private int skipped;
  private boolean aborted;
  private boolean waveNotReady;
  private Instant firstAction;
  private Instant lastAction;
  private Instant lastReadyAt;

  PlanExecution(AbstractRestartEngine engine, RestartPlan plan, Journal journal, AbortSignal abort) {
    this.engine = engine;
    this.plan = plan;
    this.journal = journal;
    this.abort = abort;
    this.actionType = eventType(plan.action());
    this.wavesMode = plan.mode() instanceof Mode.Waves w ? w : null;
  }

  RestartResult execute() {
    Instant startedAt = engine.pacer().now();
    Selection s = select();
    record(Type.RUN_START, null, null, 0, String.format(Locale.ROOT,
        "%s%s, %s of selector %s: %d matched (%d ready), %d picked in %d wave%s, seed %d",
        plan.dryRun() ? "dry-run: " : "", plan.action(), plan.mode(), s.target().selector(), s.matched(),
        s.baseline().readyBefore(), s.picked().size(), s.waves().size(), s.waves().size() == 1 ? "" : "s", s.seed()));
    for (Skip skip : s.skips()) {
      record(actionType, skip.name(), Outcome.SKIPPED, 0, skip.reason());
    }

    actInWaves(s);

    if (aborted) {
      int remaining = s.picked().size() - handled();
      record(Type.ABORT, null, null, 0,
          "aborted; " + remaining + " picked target" + (remaining == 1 ? "" : "s") + " not acted on");
      skipped += remaining;
    }
    Optional<Instant> readyAt = Optional.empty();
    boolean readyTimedOut = waveNotReady;
    if (!aborted && !waveNotReady && !plan.dryRun() && plan.readyTimeout().isPresent() && !acted.isEmpty()) {
      switch (awaitReady(s, plan.readyTimeout().get(), 0)) {
        case READY -> readyAt = Optional.of(lastReadyAt);
        case TIMEOUT -> readyTimedOut = true;
        case ABORTED -> {
          aborted = true;
          record(Type.ABORT, null, null, 0, "aborted while waiting until ready");
        }
      }
    }

    RestartResult result = new RestartResult(engine.name(), plan, namespace, s.seed(), s.matched(),
        s.picked().stream().map(Unit::label).toList(), count(Outcome.OK) + count(Outcome.DRY_RUN),
        count(Outcome.PDB_BLOCKED), count(Outcome.NOT_FOUND), count(Outcome.FAILED),
        count(Outcome.SKIPPED) + skipped, aborted, startedAt, Optional.ofNullable(firstAction),
        Optional.ofNullable(lastAction), readyAt, readyTimedOut);
    record(Type.RUN_END, null, null, 0, result.summary());
    return result;
  }

  /** The guard rails and the pick; throws before anything is touched. */
  private Selection select() {
    engine.checkSupported(plan.action());
    Target target = engine.resolve(plan.target());
    namespace = target.namespace();
    engine.policy().checkNamespace(namespace, engine.defaultNamespace());
    engine.preflight(namespace, plan.action());

    List<Replica> matched = engine.matching(target);
    String kinds = engine.unitKind().equals("Pod") ? "pods" : engine.unitKind() + "s";
    if (matched.isEmpty()) {
      throw new RestartRefusedException("no " + kinds + " match selector " + target.selector() + " in namespace "
          + namespace);
    }
    int readyBefore = (int) matched.stream().filter(r -> r.ready() && !r.terminating()).count();
    List<Skip> skips = new ArrayList<>();
    List<Unit> candidates = new ArrayList<>(engine.units(target, plan.action(), matched, skips));
    if (candidates.isEmpty()) {
      throw new RestartRefusedException("nothing to " + plan.action().name() + ": the " + matched.size() + " "
          + kinds + " matching " + target.selector() + " in namespace " + namespace
          + (plan.action() instanceof Action.Rollout ? " have no Deployment or StatefulSet owner"
              : " are all terminating already"));
    }

    long seed = plan.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
    Random random = new Random(seed);
    candidates.sort(Comparator.comparing(Unit::name));
    Collections.shuffle(candidates, random);
    int n = candidates.size();
    int count = plan.mode().count(n, random);
    if (count < 1) {
      throw new RestartRefusedException("mode " + plan.mode() + " selects no target out of " + n
          + " (Chaos Mesh rounds percentages down)");
    }
    List<Unit> picked = List.copyOf(candidates.subList(0, count));
    List<List<Unit>> waves = new ArrayList<>();
    boolean guarded = !(plan.action() instanceof Action.Rollout);
    if (wavesMode != null) {
      int size = wavesMode.waveSize(n);
      for (int i = 0; i < picked.size(); i += size) {
        waves.add(picked.subList(i, Math.min(picked.size(), i + size)));
      }
      if (guarded) {
        engine.policy().checkFraction(wavesMode.waitUntilReady() ? size : picked.size(), n,
            wavesMode.waitUntilReady() ? "one wave" : "waves without wait-until-ready");
      }
    } else {
      waves.add(picked);
      if (guarded) {
        engine.policy().checkFraction(picked.size(), n, "mode " + plan.mode());
      }
    }
    return new Selection(target, new AbstractRestartEngine.Baseline(readyBefore, matched), n, picked, waves, seed,
        skips);
  }

  private void actInWaves(Selection s) {
    Instant firstWaveAt = null;
    for (int w = 0; w < s.waves().size(); w++) {
      int waveNo = wavesMode == null ? 0 : w + 1;
      if (w > 0 && !betweenWaves(s, w, firstWaveAt)) {
        return;
      }
      if (firstWaveAt == null) {
        firstWaveAt = engine.pacer().now();
      }
      if (wavesMode != null) {
        List<Unit> wave = s.waves().get(w);
        record(Type.WAVE, null, null, waveNo, String.format(Locale.ROOT, "wave %d/%d: %d target%s%s", waveNo,
            s.waves().size(), wave.size(), wave.size() == 1 ? "" : "s", plan.dryRun() ? " at +"
                + Action.seconds(wavesMode.interval().multipliedBy(w)) + " (or later, if waiting until ready)" : ""));
      }
      for (Unit unit : s.waves().get(w)) {
        if (abort.isSet()) {
          aborted = true;
          return;
        }
        actOn(unit, waveNo);
      }
    }
  }

  /** Waits for wave {@code w}'s turn; false if the run ends here (aborted, or the last wave did not get ready). */
  private boolean betweenWaves(Selection s, int w, Instant firstWaveAt) {
    if (wavesMode.waitUntilReady() && !plan.dryRun() && !acted.isEmpty()) {
      WaitResult ready = awaitReady(s, plan.readyTimeout().orElse(RestartPlan.DEFAULT_READY_TIMEOUT), w);
      if (ready == WaitResult.ABORTED) {
        aborted = true;
        return false;
      }
      if (ready == WaitResult.TIMEOUT) {
        waveNotReady = true;
        for (int rest = w; rest < s.waves().size(); rest++) {
          for (Unit u : s.waves().get(rest)) {
            record(actionType, u.label(), Outcome.SKIPPED, rest + 1,
                "not acted on: wave " + w + " did not get ready in time");
            skipped++;
          }
        }
        return false;
      }
    }
    Instant start = firstWaveAt.plus(wavesMode.interval().multipliedBy(w));
    Duration wait = Duration.between(engine.pacer().now(), start);
    if (!plan.dryRun() && wait.compareTo(Duration.ZERO) > 0 && !engine.sleep(wait, abort)) {
      aborted = true;
      return false;
    }
    return true;
  }

  private void actOn(Unit unit, int waveNo) {
    Instant at = engine.pacer().now();
    ActResult result;
    try {
      result = engine.act(unit, plan.action(), plan.dryRun());
    } catch (ClusterAccessException e) {
      record(actionType, unit.label(), Outcome.FAILED, waveNo, e.getMessage());
      record(Type.RUN_END, null, null, 0, "stopped: " + e.getMessage());
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
    journal.record(new JournalEvent(at, engine.name(), actionType, namespace, unit.label(), result.outcome(),
        waveNo, result.message()));
  }

  private WaitResult awaitReady(Selection s, Duration timeout, int wave) {
    Instant deadline = engine.pacer().now().plus(timeout);
    String last = "not checked yet";
    while (true) {
      if (abort.isSet()) {
        return WaitResult.ABORTED;
      }
      try {
        Readiness r = engine.readiness(s.target(), plan.action(), s.baseline(), List.copyOf(acted));
        last = r.detail();
        if (r.ready()) {
          lastReadyAt = engine.pacer().now();
          journal.record(new JournalEvent(lastReadyAt, engine.name(), Type.READY, namespace, null, Outcome.OK, wave,
              r.detail()));
          return WaitResult.READY;
        }
      } catch (ClusterAccessException e) {
        // A restarting control plane or a network blip must not end the wait early; the deadline does.
        last = e.getMessage();
      }
      Instant now = engine.pacer().now();
      if (!now.isBefore(deadline)) {
        record(Type.READY, null, Outcome.TIMEOUT, wave, "not ready within " + Action.seconds(timeout) + ": " + last);
        return WaitResult.TIMEOUT;
      }
      Duration left = Duration.between(now, deadline);
      if (!engine.sleep(left.compareTo(engine.pollInterval()) < 0 ? left : engine.pollInterval(), abort)) {
        return WaitResult.ABORTED;
      }
    }
  }

  private int handled() {
    int n = skipped;
    for (int c : counts) {
      n += c;
    }
    return n;
  }

  private int count(Outcome o) {
    return counts[o.ordinal()];
  }

  private void record(Type type, String target, Outcome outcome, int wave, String message) {
    journal.record(new JournalEvent(engine.pacer().now(), engine.name(), type, namespace, target, outcome, wave,
        message));
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
}
