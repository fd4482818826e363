package dev.stampede.chaos.restart.local;

import dev.stampede.chaos.restart.JournalEvent.Type;
import dev.stampede.localstack.JavaApp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One replica of a service in a {@link LocalStack}: a child process that behaves like a pod of a ReplicaSet.
 *
 * <p>When its process exits for any reason other than the stack stopping, the replica is started again on the
 * same ports — after the stack's restart delay when a restart engine killed it (a ReplicaSet creating the
 * replacement pod), after the requested down time for a {@code fail}, and with a kubelet-style crash-loop backoff
 * (10 s doubling to 5 min) when it keeps exiting by itself before it was ever ready. Each exit, start and
 * readiness is recorded in the stack's journal.
 *
 * <p>Thread-safe; state changes are synchronized on the replica.
 */
public final class LocalReplica {

  /** The replica's life cycle. */
  public enum State {
    /** The process runs and has not answered its readiness check yet. */
    STARTING,
    /** The process answered its readiness check since it was last started. */
    READY,
    /** The process is gone; a restart is scheduled. */
    DOWN,
    /** Stopped for good (the stack is closing or being reconfigured). */
    STOPPED
  }

  static final Duration BACKOFF_START = Duration.ofSeconds(10);
  static final Duration BACKOFF_MAX = Duration.ofMinutes(5);
  private static final long WATCH_FAST_MS = 100;
  private static final long WATCH_SLOW_MS = 1000;

  private final String service;
  private final int index;
  private final Map<String, String> labels;
  private final boolean grpcOnHttpPort;
  private final LocalStack stack;
  private final ScheduledExecutorService scheduler;

  private JavaApp app;
  private State state = State.STOPPED;
  private long pid = -1;
  private long generation;
  private Instant startedAt;
  private boolean supervising;
  private boolean everReady;
  private int crashes;
  private Duration nextRestartDelay;
  private String nextRestartReason;
  private ScheduledFuture<?> pendingRestart;

  LocalReplica(LocalStack stack, String service, int index, Map<String, String> labels, boolean grpcOnHttpPort,
      JavaApp app, ScheduledExecutorService scheduler) {
    this.stack = stack;
    this.service = service;
    this.index = index;
    this.labels = Map.copyOf(labels);
    this.grpcOnHttpPort = grpcOnHttpPort;
    this.scheduler = scheduler;
    attach(app);
  }

  /** {@code <service>-<index>}, e.g. {@code auth-0}. */
  public String name() {
    return service + "-" + index;
  }

  /** The service, e.g. {@code auth}. */
  public String service() {
    return service;
  }

  /** The replica's index within its service, from 0. */
  public int index() {
    return index;
  }

  /** The labels, like a pod's: {@code app.kubernetes.io/name} and {@code app.kubernetes.io/part-of}. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The HTTP port (health, metrics); stays the same across restarts. */
  public synchronized int httpPort() {
    return app.port("http");
  }

  /** The gRPC port (the HTTP port when the service serves gRPC there); stays the same across restarts. */
  public synchronized int grpcPort() {
    return grpcOnHttpPort ? app.port("http") : app.port("grpc");
  }

  /** The gRPC endpoint, {@code 127.0.0.1:<port>}. */
  public String grpcEndpoint() {
    return "127.0.0.1:" + grpcPort();
  }

  /** The pid of the current (or last) process, or -1 if never started. */
  public synchronized long pid() {
    return pid;
  }

  /** The life-cycle state. */
  public synchronized State state() {
    return state;
  }

  /** The log file (appended across restarts). */
  public synchronized java.nio.file.Path logFile() {
    return app.logFile();
  }

  /** Whether the process runs. */
  public synchronized boolean isRunning() {
    return app.isRunning();
  }

  /** Whether the process runs and answers its readiness check right now (one HTTP request). */
  public boolean isReady() {
    JavaApp current;
    synchronized (this) {
      current = app;
    }
    return current.isReady();
  }

  @Override
  public String toString() {
    return name() + " " + state() + " pid " + pid() + " grpc " + grpcEndpoint();
  }

  // ---- life cycle, driven by LocalStack and LocalEngine ----

  /** Starts the process; supervision (restart on exit) starts with {@link #supervise()}. */
  synchronized void start(String reason) {
    app.start();
    pid = app.pid();
    generation++;
    startedAt = Instant.now();
    state = State.STARTING;
    stack.record(Type.REPLICA_START, name(), "pid " + pid + " (" + reason + ")");
    watchReadiness(generation, startedAt);
  }

  /** Waits for readiness of the current process, throwing with its log tail if it exits or times out. */
  void awaitReady(Duration timeout) {
    JavaApp current;
    long gen;
    synchronized (this) {
      current = app;
      gen = generation;
    }
    current.awaitReady(timeout);
    markReady(gen);
  }

  /** From now on, an exit is followed by a restart. */
  synchronized void supervise() {
    supervising = true;
  }

  /**
   * Stops the process as a kill of a restart engine: SIGKILL for a zero grace period, else SIGTERM and SIGKILL
   * after the grace period (in the background, like the kubelet). The replica comes back after
   * {@code restartAfter}.
   *
   * @return false if the replica was not running (already down)
   */
  boolean kill(Duration grace, Duration restartAfter, String reason) {
    JavaApp target;
    synchronized (this) {
      if (!app.isRunning()) {
        return false;
      }
      nextRestartDelay = restartAfter;
      nextRestartReason = reason;
      target = app;
    }
    if (grace.isZero()) {
      target.kill();
    } else {
      CompletableFuture.runAsync(() -> target.stop(grace), scheduler);
    }
    return true;
  }

  /**
   * A rolling restart of this replica (as a Deployment with maxSurge 0 would do it, the ports being fixed):
   * graceful stop, immediate start, wait until ready.
   */
  void rolloutRestart(Duration grace, Duration readyTimeout) {
    synchronized (this) {
      boolean wasSupervising = supervising;
      supervising = false;
      cancelPendingRestart();
      try {
        app.stop(grace);
        state = State.DOWN;
        stack.record(Type.REPLICA_EXIT, name(), "stopped for a rollout restart");
        start("rollout restart");
      } finally {
        supervising = wasSupervising;
      }
    }
    awaitReady(readyTimeout);
  }

  /** Stops the process for good (no restart). */
  void shutdown(Duration grace) {
    JavaApp target;
    synchronized (this) {
      supervising = false;
      cancelPendingRestart();
      target = app;
    }
    target.stop(grace);
    synchronized (this) {
      state = State.STOPPED;
    }
  }

  /** Replaces the app (same ports, new environment) after {@link #shutdown}. */
  synchronized void replaceApp(JavaApp newApp) {
    if (app.isRunning()) {
      throw new IllegalStateException(name() + " still runs");
    }
    attach(newApp);
  }

  private void attach(JavaApp newApp) {
    this.app = newApp;
    newApp.onExit(() -> onExit(newApp));
  }

  private void onExit(JavaApp exited) {
    synchronized (this) {
      if (exited != app || app.isRunning() || state == State.STOPPED) {
        return;
      }
      int code = exitCode(app);
      state = State.DOWN;
      if (!supervising || LocalStack.jvmShuttingDown() || stack.isClosing()) {
        return;
      }
      if (pendingRestart != null && !pendingRestart.isDone()) {
        return;
      }
      Duration delay;
      String why;
      if (nextRestartDelay != null) {
        delay = nextRestartDelay;
        why = nextRestartReason;
        nextRestartDelay = null;
        nextRestartReason = null;
      } else {
        if (everReady) {
          crashes = 0;
        }
        everReady = false;
        crashes++;
        delay = crashes <= 1 ? stack.restartDelay() : backoff(crashes);
        why = "exited by itself" + (crashes > 1 ? " " + crashes + " times in a row (crash-loop backoff)" : "");
      }
      stack.record(Type.REPLICA_EXIT, name(), "pid " + pid + " exit code " + code + " (" + why + "); restarting in "
          + delay.toMillis() / 1000.0 + "s");
      pendingRestart = scheduler.schedule(this::restartIfSupervised, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void restartIfSupervised() {
    synchronized (this) {
      pendingRestart = null;
      if (!supervising || state == State.STOPPED || app.isRunning() || stack.isClosing()
          || LocalStack.jvmShuttingDown()) {
        return;
      }
      try {
        start("replacement");
      } catch (RuntimeException e) {
        stack.record(Type.REPLICA_EXIT, name(), "could not start: " + e.getMessage() + "; retrying in "
            + BACKOFF_START.toSeconds() + "s");
        pendingRestart = scheduler.schedule(this::restartIfSupervised, BACKOFF_START.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
  }

  private void watchReadiness(long gen, Instant since) {
    scheduler.schedule(() -> checkReadiness(gen, since), WATCH_FAST_MS, TimeUnit.MILLISECONDS);
  }

  private void checkReadiness(long gen, Instant since) {
    JavaApp current;
    synchronized (this) {
      if (gen != generation || state != State.STARTING || !app.isRunning() || stack.isClosing()) {
        return;
      }
      current = app;
    }
    if (current.isReady()) {
      markReady(gen);
      return;
    }
    long waited = Duration.between(since, Instant.now()).toMillis();
    scheduler.schedule(() -> checkReadiness(gen, since), waited < 30_000 ? WATCH_FAST_MS : WATCH_SLOW_MS,
        TimeUnit.MILLISECONDS);
  }

  private synchronized void markReady(long gen) {
    if (gen != generation || state != State.STARTING) {
      return;
    }
    state = State.READY;
    everReady = true;
    Duration took = Duration.between(startedAt, Instant.now());
    stack.record(Type.REPLICA_READY, name(), "pid " + pid + " ready " + took.toMillis() / 1000.0 + "s after start");
  }

  private void cancelPendingRestart() {
    if (pendingRestart != null) {
      pendingRestart.cancel(false);
      pendingRestart = null;
    }
  }

  static Duration backoff(int crashes) {
    // kubelet CrashLoopBackOff: 10 s, doubling, capped at 5 min.
    long seconds = BACKOFF_START.toSeconds() << Math.min(10, Math.max(0, crashes - 2));
    return Duration.ofSeconds(Math.min(seconds, BACKOFF_MAX.toSeconds()));
  }

  private static int exitCode(JavaApp app) {
    try {
      // The process has exited: its exit future completes at once.
      return app.exit().get(2, TimeUnit.SECONDS).exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | RuntimeException e) {
      return -1;
    }
  }

  /** The pid as an incarnation id, {@code pid:<n>}. */
  synchronized String uid() {
    return "pid:" + pid;
  }

  synchronized Optional<Instant> startedAt() {
    return Optional.ofNullable(startedAt);
  }
}
