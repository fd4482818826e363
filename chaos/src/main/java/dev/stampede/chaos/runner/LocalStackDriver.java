package dev.stampede.chaos.runner;

import dev.stampede.chaos.experiment.Experiment;
import dev.stampede.chaos.experiment.Fault;
import dev.stampede.chaos.restart.Journal;
import dev.stampede.chaos.restart.JournalEvent;
import dev.stampede.chaos.restart.PlanSpec;
import dev.stampede.chaos.restart.RestartPlan;
import dev.stampede.chaos.restart.RestartResult;
import dev.stampede.chaos.restart.Selector;
import dev.stampede.chaos.restart.local.LocalEngine;
import dev.stampede.chaos.restart.local.LocalReplica;
import dev.stampede.chaos.restart.local.LocalStack;
import dev.stampede.chaos.restart.local.ServiceSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code local} engine's system under test: a {@link LocalStack} (a private Redis with AOF and the service jars
 * as child processes on loopback ports) started for the run, faults through the {@link LocalEngine}, the replicas'
 * {@code /q/metrics} scraped over loopback. Redis is a target too: a fault whose selector matches
 * {@code app.kubernetes.io/name=redis} kills it and starts it again on its data directory (its AOF) after the
 * stack's restart delay, as a StatefulSet would; its t_ready lasts until every replica is ready again.
 *
 * <p>Thread-safe. {@link #close()} stops every process the driver started.
 */
public final class LocalStackDriver extends SdkStackDriver {
  /** The labels of the stack's Redis, as a pod of a StatefulSet would carry them. */
  public static final Map<String, String> REDIS_LABELS =
      Map.of(LocalStack.NAME_LABEL, "redis", LocalStack.PART_OF_LABEL, "stampede");
  private static final Duration READY_POLL = Duration.ofMillis(100);

  private final LocalStack stack;
  private final LocalEngine engine;
  private final Journal journal;
  private final boolean admission;

  private LocalStackDriver(LocalStack stack, Journal journal, boolean admission) {
    this.stack = stack;
    this.journal = journal;
    this.admission = admission;
    this.engine = LocalEngine.builder(stack).build();
  }

  /**
   * Starts the stack of an experiment: Redis, then the experiment's replicas of auth and directory (and relay when
   * asked for) with {@code STAMPEDE_ADMISSION_ENABLED} set; returns when every replica is ready.
   *
   * @param home the repository root, where the service jars are built
   * @param logDir where the replicas write their logs ({@code <replica>.log}), or empty for a temporary
   *     directory removed on close
   * @throws EngineUnavailableException if a service jar is not built
   * @throws IllegalStateException if a replica does not become ready
   */
  public static LocalStackDriver start(Path home, Experiment experiment, boolean admission,
      Optional<Path> logDir) {
    Journal journal = new Journal();
    LocalStack.Builder b = LocalStack.builder().journal(journal)
        .env("STAMPEDE_ADMISSION_ENABLED", Boolean.toString(admission));
    logDir.ifPresent(b::logDir);
    Map<String, Integer> replicas = new LinkedHashMap<>(Map.of("auth", 1, "directory", 1));
    replicas.putAll(experiment.stack().replicas());
    for (String service : ServiceSpec.STANDARD) {
      int count = replicas.getOrDefault(service, 0);
      if (count == 0) {
        continue;
      }
      ServiceSpec spec = ServiceSpec.standard(home, service).orElseThrow(() -> new EngineUnavailableException(
          "the local engine needs " + service + "-service/target/quarkus-app/quarkus-run.jar (build it: mvn -B "
              + "-DskipTests install, or ./stampede builds it)"));
      b.service(spec, count);
    }
    return new LocalStackDriver(b.start(), journal, admission);
  }

  /** The stack (for tests and for the demo's report of where things ran). */
  public LocalStack stack() {
    return stack;
  }

  @Override
  public String engine() {
    return "local";
  }

  @Override
  public boolean admission() {
    return admission;
  }

  @Override
  protected String authTarget() {
    return String.join(",", stack.endpoints().grpc().get("auth"));
  }

  @Override
  protected String directoryTarget() {
    return String.join(",", stack.endpoints().grpc().get("directory"));
  }

  @Override
  protected String adminCredential() {
    return stack.adminCredential();
  }

  @Override
  public Map<String, List<URI>> metricsEndpoints() {
    Map<String, List<URI>> out = new LinkedHashMap<>();
    for (LocalReplica r : stack.replicas()) {
      out.computeIfAbsent(r.service(), k -> new ArrayList<>())
          .add(URI.create("http://127.0.0.1:" + r.httpPort() + "/q/metrics"));
    }
    return out;
  }

  @Override
  public FaultRun fault(Fault fault) {
    RestartPlan plan = PlanSpec.fromMap(fault.toPlanSpec(), "faults[" + fault.name() + "]");
    boolean redis = Selector.parse(fault.selector()).matches(REDIS_LABELS);
    if (!redis) {
      return replicaFault(plan);
    }
    if (engine.list(plan.target()).isEmpty()) {
      return redisFault(fault);
    }
    CompletableFuture<FaultRun> replicas = CompletableFuture.supplyAsync(() -> replicaFault(plan));
    FaultRun r = redisFault(fault);
    return merge(r, replicas.join());
  }

  @Override
  public void close() {
    closeChannels();
    engine.close();
    stack.close();
  }

  private FaultRun replicaFault(RestartPlan plan) {
    Journal own = new Journal();
    Instant from = Instant.now();
    RestartResult result = engine.run(plan, own);
    Instant to = Instant.now();
    List<JournalEntry> events = new ArrayList<>();
    own.events().forEach(e -> events.add(entry(e)));
    // The replicas' own exits, restarts and readiness, as a ReplicaSet's events would show them.
    Set<String> picked = Set.copyOf(result.picked());
    for (JournalEvent e : journal.events()) {
      if (picked.contains(e.name()) && !e.at().isBefore(from) && !e.at().isAfter(to)
          && (e.type() == JournalEvent.Type.REPLICA_EXIT || e.type() == JournalEvent.Type.REPLICA_START
          || e.type() == JournalEvent.Type.REPLICA_READY)) {
        events.add(entry(e));
      }
    }
    events.sort(Comparator.comparing(JournalEntry::at));
    return new FaultRun(result.firstActionAt().orElse(result.startedAt()), result.timeToReady(),
        result.readyTimedOut(), events);
  }

  private FaultRun redisFault(Fault fault) {
    List<JournalEntry> events = new ArrayList<>();
    Instant acted = Instant.now();
    Duration downFor = stack.restartDelay();
    switch (fault.action()) {
      case "kill", "evict" -> {
        boolean immediately = fault.grace().map(Duration::isZero).orElse(false);
        if (immediately) {
          stack.redis().kill();
        } else {
          stack.redis().stop();
        }
        events.add(new JournalEntry(acted, engine(), fault.action(), "redis", "ok",
            immediately ? "SIGKILL" : "SIGTERM, then SIGKILL after the grace period"));
      }
      case "fail" -> {
        stack.redis().kill();
        downFor = fault.failFor().orElse(downFor);
        events.add(new JournalEntry(acted, engine(), "fail", "redis", "ok", "SIGKILL, down for "
            + downFor.toMillis() + " ms"));
      }
      default -> throw new IllegalArgumentException("faults[" + fault.name() + "].action: '" + fault.action()
          + "' (expected for redis: kill, evict or fail)");
    }
    sleep(downFor);
    stack.redis().restart();
    events.add(new JournalEntry(Instant.now(), engine(), JournalEvent.Type.REPLICA_START.id(), "redis", "ok",
        "started again on its data directory (AOF)"));
    if (fault.readyTimeout().isEmpty()) {
      return new FaultRun(acted, Optional.empty(), false, events);
    }
    Instant deadline = acted.plus(fault.readyTimeout().get());
    while (!stack.replicas().stream().allMatch(LocalReplica::isReady)) {
      if (Instant.now().isAfter(deadline)) {
        events.add(new JournalEntry(Instant.now(), engine(), "ready", "redis", "timeout",
            "not every replica ready again within " + fault.readyTimeout().get().toSeconds() + " s"));
        return new FaultRun(acted, Optional.empty(), true, events);
      }
      sleep(READY_POLL);
    }
    Instant ready = Instant.now();
    events.add(new JournalEntry(ready, engine(), "ready", "redis", "ok", "Redis up, every replica ready again"));
    return new FaultRun(acted, Optional.of(Duration.between(acted, ready)), false, events);
  }

  private static FaultRun merge(FaultRun a, FaultRun b) {
    List<JournalEntry> events = new ArrayList<>(a.events());
    events.addAll(b.events());
    events.sort(Comparator.comparing(JournalEntry::at));
    Instant acted = a.actedAt().isBefore(b.actedAt()) ? a.actedAt() : b.actedAt();
    Optional<Duration> ready = Optional.empty();
    if (a.timeToReady().isPresent() && b.timeToReady().isPresent()) {
      Instant readyAt = later(a.actedAt().plus(a.timeToReady().get()), b.actedAt().plus(b.timeToReady().get()));
      ready = Optional.of(Duration.between(acted, readyAt));
    }
    return new FaultRun(acted, ready, a.readyTimedOut() || b.readyTimedOut(), events);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static JournalEntry entry(JournalEvent e) {
    return new JournalEntry(e.at(), e.engine(), e.type().id(), e.name() == null ? "" : e.name(),
        e.outcome() == null ? "" : e.outcome().id(), e.message() == null ? "" : e.message());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
