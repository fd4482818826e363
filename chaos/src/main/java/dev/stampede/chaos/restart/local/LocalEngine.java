package dev.stampede.chaos.restart.local;

import dev.stampede.chaos.restart.AbstractRestartEngine;
import dev.stampede.chaos.restart.Action;
import dev.stampede.chaos.restart.JournalEvent.Outcome;
import dev.stampede.chaos.restart.Pacer;
import dev.stampede.chaos.restart.Replica;
import dev.stampede.chaos.restart.SafetyPolicy;
import dev.stampede.chaos.restart.Target;
import dev.stampede.localstack.JavaApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The restart engine for the replicas of a {@link LocalStack} on this machine.
 *
 * <p>Targets are replicas, selected by their pod-like labels; the namespace of a target is ignored (the local
 * stack has one, {@code local}). Actions:
 * <ul>
 *   <li>{@code kill}: SIGKILL for grace 0, else SIGTERM and SIGKILL after the grace period (default 30 s, as a
 *       pod's); the stack starts the replica again on the same ports after its restart delay.
 *   <li>{@code evict}: there are no PodDisruptionBudgets locally, so an eviction is a graceful kill.
 *   <li>{@code fail} (Chaos Mesh pod-failure): SIGKILL, and the replica stays down for the given duration.
 *   <li>{@code rollout}: each picked service is restarted one replica at a time (graceful stop, start, wait until
 *       ready), as a Deployment with {@code maxSurge: 0} would; the picked units are services.
 * </ul>
 *
 * <p>Readiness after a kill means: as many ready replicas as before, none of them a process that was killed.
 * The engine does not own the stack: {@link #close()} leaves it running. Thread-safe.
 */
public final class LocalEngine extends AbstractRestartEngine {

  /** The namespace of every local replica. */
  public static final String NAMESPACE = "local";
  /** The default readiness poll interval. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);
  /** How long a rollout waits for each restarted replica. */
  public static final Duration ROLLOUT_READY_TIMEOUT = Duration.ofMinutes(2);

  private final LocalStack stack;

  private LocalEngine(Builder b) {
    super("local", b.policy, b.pacer, b.pollInterval);
    this.stack = b.stack;
  }

  /** A builder for an engine acting on {@code stack}. */
  public static Builder builder(LocalStack stack) {
    return new Builder(Objects.requireNonNull(stack, "stack"));
  }

  /** The stack this engine acts on. */
  public LocalStack stack() {
    return stack;
  }

  @Override
  public String defaultNamespace() {
    return NAMESPACE;
  }

  @Override
  protected Target resolve(Target target) {
    return new Target(NAMESPACE, target.selector());
  }

  @Override
  public void close() {
    // The stack belongs to whoever started it.
  }

  @Override
  protected String unitKind() {
    return "replica";
  }

  @Override
  protected void checkSupported(Action action) {
    // Every action has a local meaning.
  }

  @Override
  protected List<Replica> listReplicas(Target target) {
    List<Replica> out = new ArrayList<>();
    for (LocalReplica r : stack.replicas()) {
      LocalReplica.State state = r.state();
      boolean running = r.isRunning();
      out.add(new Replica(NAMESPACE, r.name(), r.uid(), r.labels(), state == LocalReplica.State.READY && running,
          !running || state == LocalReplica.State.DOWN || state == LocalReplica.State.STOPPED,
          "service/" + r.service()));
    }
    return out;
  }

  @Override
  protected List<Unit> units(Target target, Action action, List<Replica> matched, List<Skip> skipped) {
    if (!(action instanceof Action.Rollout)) {
      return super.units(target, action, matched, skipped);
    }
    Map<String, Unit> services = new LinkedHashMap<>();
    for (Replica r : matched) {
      String service = r.owner().substring("service/".length());
      services.putIfAbsent(service, new Unit("service", NAMESPACE, service, service));
    }
    return new ArrayList<>(services.values());
  }

  @Override
  protected ActResult act(Unit unit, Action action, boolean dryRun) {
    if (action instanceof Action.Rollout) {
      return rollout(unit, dryRun);
    }
    Optional<LocalReplica> found = stack.replicas().stream().filter(r -> r.name().equals(unit.name())).findFirst();
    if (found.isEmpty()) {
      return new ActResult(Outcome.NOT_FOUND, "no such replica");
    }
    LocalReplica replica = found.get();
    Duration restartAfter = stack.restartDelay();
    Duration grace;
    String what;
    if (action instanceof Action.Kill kill) {
      grace = kill.gracePeriod().orElse(JavaApp.DEFAULT_STOP_GRACE);
      what = "kill";
    } else if (action instanceof Action.Evict evict) {
      grace = evict.gracePeriod().orElse(JavaApp.DEFAULT_STOP_GRACE);
      what = "evict (no PodDisruptionBudgets locally: a graceful kill)";
    } else {
      grace = Duration.ZERO;
      restartAfter = ((Action.Fail) action).duration();
      what = "fail";
    }
    String how = (grace.isZero() ? "SIGKILL" : "SIGTERM, SIGKILL after " + grace.toMillis() / 1000.0 + "s")
        + "; back after " + restartAfter.toMillis() / 1000.0 + "s";
    if (dryRun) {
      return new ActResult(Outcome.DRY_RUN, "would " + what + " replica " + replica.name() + " (pid " + replica.pid()
          + "): " + how);
    }
    if (!replica.uid().equals(unit.uid())) {
      return new ActResult(Outcome.NOT_FOUND, "restarted since it was picked; the new process is left alone");
    }
    long pid = replica.pid();
    if (!replica.kill(grace, restartAfter, what + " by the local engine")) {
      return new ActResult(Outcome.NOT_FOUND, "already down");
    }
    return new ActResult(Outcome.OK, what + " pid " + pid + ": " + how);
  }

  private ActResult rollout(Unit unit, boolean dryRun) {
    List<LocalReplica> replicas = stack.replicas(unit.name());
    if (dryRun) {
      return new ActResult(Outcome.DRY_RUN, "would restart the " + replicas.size() + " replicas of " + unit.name()
          + " one at a time, each ready before the next");
    }
    for (LocalReplica r : replicas) {
      try {
        r.rolloutRestart(JavaApp.DEFAULT_STOP_GRACE, ROLLOUT_READY_TIMEOUT);
      } catch (RuntimeException e) {
        return new ActResult(Outcome.FAILED, r.name() + " did not come back ready: " + firstLine(e.getMessage()));
      }
    }
    return new ActResult(Outcome.OK, "restarted " + replicas.size() + " replicas one at a time");
  }

  @Override
  protected Readiness readiness(Target target, Action action, Baseline baseline, List<Unit> acted) {
    if (action instanceof Action.Rollout) {
      int ready = 0;
      int total = 0;
      for (Unit u : acted) {
        for (LocalReplica r : stack.replicas(u.name())) {
          total++;
          if (r.state() == LocalReplica.State.READY && r.isRunning()) {
            ready++;
          }
        }
      }
      return new Readiness(ready == total, ready + "/" + total + " replicas ready");
    }
    Set<String> killed = new HashSet<>();
    acted.forEach(u -> killed.add(u.uid()));
    int ready = 0;
    for (Replica r : listReplicas(target)) {
      if (target.selector().matches(r.labels()) && r.ready() && !killed.contains(r.uid())) {
        ready++;
      }
    }
    return new Readiness(ready >= baseline.readyBefore(), ready + "/" + baseline.readyBefore()
        + " replicas ready");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Builder of {@link LocalEngine}; not thread-safe. */
  public static final class Builder {
    private final LocalStack stack;
    private SafetyPolicy policy = SafetyPolicy.DEFAULT;
    private Pacer pacer = Pacer.system();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;

    private Builder(LocalStack stack) {
      this.stack = stack;
    }

    /** The guard rails (only {@code maxFraction} matters locally); default no limit. */
    public Builder policy(SafetyPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The clock; default wall-clock time. */
    public Builder pacer(Pacer pacer) {
      this.pacer = Objects.requireNonNull(pacer, "pacer");
      return this;
    }

    /**
     * How often readiness is checked; default {@link #DEFAULT_POLL_INTERVAL}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder pollInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval: " + interval + " (expected: > 0)");
      }
      this.pollInterval = interval;
      return this;
    }

    /** The engine. */
    public LocalEngine build() {
      return new LocalEngine(this);
    }
  }
}
