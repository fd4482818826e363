package dev.stampede.chaos.restart.local;

import dev.stampede.chaos.restart.Journal;
import dev.stampede.chaos.restart.JournalEvent;
import dev.stampede.chaos.restart.JournalEvent.Type;
import dev.stampede.localstack.JavaApp;
import dev.stampede.localstack.Readiness;
import dev.stampede.localstack.RedisServer;
import dev.stampede.tokens.KeyRing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stampede on one machine: a private Redis and N replicas of each service as child processes on free loopback
 * ports, supervised like pods of a ReplicaSet — the local "cluster" that {@code stampede up}, the experiment
 * runner and the {@link LocalEngine} act on.
 *
 * <p>What each replica gets (DESIGN §5, §7): {@code STAMPEDE_REDIS_URI}; {@code QUARKUS_HTTP_PORT} and
 * {@code QUARKUS_GRPC_SERVER_PORT} (bound to 127.0.0.1 only); token keys generated fresh for this stack — auth
 * holds the rings of {@code auth}, {@code directory} and {@code relay}, directory only its own, relay only its
 * own; auth also gets a random admin credential with {@code SeedAccounts} enabled
 * ({@code STAMPEDE_AUTH_ADMIN_CREDENTIAL}, {@code STAMPEDE_AUTH_ADMIN_SEED_ENABLED=true}); plus the stack's extra
 * environment (e.g. {@code STAMPEDE_ADMISSION_ENABLED}). Keys and the credential live only in this object and in
 * the children's environment; they are never logged, and {@link #toString()} omits them.
 *
 * <p>Redis runs with AOF ({@code appendfsync everysec}), so accounts and resume tickets survive a Redis restart.
 * {@link #close()} stops every replica and Redis (in parallel, within 30 s); localstack's registry makes sure no
 * child outlives the JVM even if this object is never closed.
 *
 * <p>Thread-safe.
 */
public final class LocalStack implements AutoCloseable {

  /** Replica restart delay after a kill (a ReplicaSet creating the replacement). */
  public static final Duration DEFAULT_RESTART_DELAY = Duration.ofSeconds(1);
  /** How long {@link Builder#start()} waits for every replica to be ready. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(2);
  /** The grace period of replicas when the stack stops. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(15);
  /** The label keys every replica carries (DESIGN §2). */
  public static final String NAME_LABEL = "app.kubernetes.io/name";
  /** The label key naming the system. */
  public static final String PART_OF_LABEL = "app.kubernetes.io/part-of";

  private final List<ServiceSpec> services;
  private final Map<String, Integer> replicaCounts;
  private final Map<String, String> extraEnv;
  private final Duration restartDelay;
  private final Duration readyTimeout;
  private final Path logDir;
  private final boolean ownsLogDir;
  private final Journal journal;
  private final Clock clock;
  private final RedisServer redis;
  private final boolean ownsRedis;
  private final String adminCredential;
  private final Map<String, String> keyRings;
  private final ScheduledExecutorService scheduler;
  private final List<LocalReplica> replicas = new ArrayList<>();
  private volatile boolean closing;

  private LocalStack(Builder b, RedisServer redis, boolean ownsRedis) {
    this.services = List.copyOf(b.services);
    this.replicaCounts = Map.copyOf(b.replicas);
    this.extraEnv = Map.copyOf(b.env);
    this.restartDelay = b.restartDelay;
    this.readyTimeout = b.readyTimeout;
    this.journal = b.journal;
    this.clock = b.clock;
    this.redis = redis;
    this.ownsRedis = ownsRedis;
    try {
      this.ownsLogDir = b.logDir == null;
      this.logDir = ownsLogDir ? Files.createTempDirectory("stampede-stack-") : Files.createDirectories(b.logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log directory", e);
    }
    SecureRandom random = new SecureRandom();
    String kid = "local-" + HexFormat.of().formatHex(random.generateSeed(3));
    Map<String, String> rings = new LinkedHashMap<>();
    for (String audience : ServiceSpec.STANDARD) {
      rings.put(audience, KeyRing.randomSpec(kid, random));
    }
    this.keyRings = Map.copyOf(rings);
    byte[] credential = new byte[32];
    random.nextBytes(credential);
    this.adminCredential = Base64.getUrlEncoder().withoutPadding().encodeToString(credential);
    AtomicInteger threads = new AtomicInteger();
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "local-stack-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** A builder; add services with {@link Builder#service}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The Redis URI, {@code redis://127.0.0.1:<port>}. */
  public String redisUri() {
    return redis.uri();
  }

  /** The Redis server (to kill or restart it in an experiment). */
  public RedisServer redis() {
    return redis;
  }

  /** Every replica, by service then index. */
  public synchronized List<LocalReplica> replicas() {
    return List.copyOf(replicas);
  }

  /** The replicas of one service (empty if it has none). */
  public List<LocalReplica> replicas(String service) {
    return replicas().stream().filter(r -> r.service().equals(service)).toList();
  }

  /** The services, in start order. */
  public List<ServiceSpec> services() {
    return services;
  }

  /**
   * The endpoints as {@code stampede up --json} writes them: Redis and the gRPC {@code host:port}s per service,
   * with an empty list for each standard service that is not part of this stack.
   */
  public StackEndpoints endpoints() {
    Map<String, List<String>> grpc = new LinkedHashMap<>();
    for (String standard : ServiceSpec.STANDARD) {
      grpc.put(standard, new ArrayList<>());
    }
    for (LocalReplica r : replicas()) {
      grpc.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(r.grpcEndpoint());
    }
    return new StackEndpoints(redisUri(), grpc);
  }

  /**
   * The admin credential auth accepts for {@code SeedAccounts} (and other admin RPCs) in this stack. A secret:
   * hand it to tools, never print it.
   */
  public String adminCredential() {
    return adminCredential;
  }

  /** The journal that replica exits, starts and readiness go to. */
  public Journal journal() {
    return journal;
  }

  /** The delay before a killed replica is started again. */
  public Duration restartDelay() {
    return restartDelay;
  }

  /** Where the replicas' logs are ({@code <replica>.log}). */
  public Path logDir() {
    return logDir;
  }

  /**
   * Stops every replica and starts them again on the same ports with {@code env} added to (or replacing) the
   * stack's extra environment — e.g. {@code STAMPEDE_ADMISSION_ENABLED=false} between two runs of an experiment.
   * Redis, the keys and the admin credential stay. Returns when every replica is ready.
   *
   * @throws IllegalStateException if a replica does not become ready (with the tail of its log)
   */
  public synchronized void reconfigure(Map<String, String> env) {
    Map<String, String> merged = new LinkedHashMap<>(extraEnv);
    merged.putAll(env);
    parallel(replicas, r -> r.shutdown(STOP_GRACE));
    for (LocalReplica r : replicas) {
      ServiceSpec spec = spec(r.service());
      r.replaceApp(app(spec, r.index(), merged, r.httpPort(), spec.grpcOnHttpPort() ? 0 : r.grpcPort()));
    }
    startAll();
  }

  /** Whether the stack is stopping. */
  boolean isClosing() {
    return closing;
  }

  /**
   * Stops every replica (SIGTERM, SIGKILL after {@link #STOP_GRACE}) and, if this stack started it, Redis. Safe to
   * call twice and from a signal handler.
   */
  @Override
  public void close() {
    closing = true;
    List<LocalReplica> all = replicas();
    parallel(all, r -> r.shutdown(STOP_GRACE));
    scheduler.shutdownNow();
    if (ownsRedis) {
      redis.close();
    }
    if (ownsLogDir) {
      deleteTree(logDir);
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort: a temporary directory
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }

  @Override
  public String toString() {
    return "LocalStack[redis " + redisUri() + ", " + replicas().size() + " replicas]";
  }

  void record(Type type, String replica, String message) {
    journal.record(new JournalEvent(clock.instant(), "local", type, LocalEngine.NAMESPACE, replica, null, 0,
        message));
  }

  private void launch() {
    for (ServiceSpec spec : services) {
      int count = replicaCounts.getOrDefault(spec.name(), 1);
      for (int i = 0; i < count; i++) {
        JavaApp app = app(spec, i, extraEnv, 0, 0);
        replicas.add(new LocalReplica(this, spec.name(), i, labels(spec.name()), spec.grpcOnHttpPort(), app,
            scheduler));
      }
    }
    startAll();
  }

  private void startAll() {
    for (LocalReplica r : replicas) {
      r.start("stack start");
    }
    parallel(replicas, r -> r.awaitReady(readyTimeout));
    replicas.forEach(LocalReplica::supervise);
  }

  private JavaApp app(ServiceSpec spec, int index, Map<String, String> env, int httpPort, int grpcPort) {
    String name = spec.name() + "-" + index;
    JavaApp.Builder b = JavaApp.builder(name).labels(labels(spec.name())).logFile(logDir.resolve(name + ".log"))
        .port("http", "QUARKUS_HTTP_PORT", httpPort)
        .readiness(Readiness.httpOk("http", spec.readinessPath()))
        .env("STAMPEDE_REDIS_URI", redis.uri())
        .env("QUARKUS_HTTP_HOST", "127.0.0.1")
        .env("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1");
    if (!spec.grpcOnHttpPort()) {
      b.port("grpc", "QUARKUS_GRPC_SERVER_PORT", grpcPort);
    }
    switch (spec.name()) {
      case "auth" -> {
        keyRings.forEach((audience, ring) -> b.env("STAMPEDE_TOKEN_KEYS_" + audience.toUpperCase(), ring));
        b.env("STAMPEDE_AUTH_ADMIN_CREDENTIAL", adminCredential);
        b.env("STAMPEDE_AUTH_ADMIN_SEED_ENABLED", "true");
      }
      case "directory" -> b.env("STAMPEDE_TOKEN_KEYS_DIRECTORY", keyRings.get("directory"));
      case "relay" -> b.env("STAMPEDE_TOKEN_KEYS_RELAY", keyRings.get("relay"));
      default -> {
        // Not a Stampede service: no keys.
      }
    }
    b.env(spec.env()).env(env);
    b.jvmArgs(spec.jvmArgs().toArray(String[]::new));
    if (spec.jar().isPresent() && spec.jar().get().getFileName().toString().equals("quarkus-run.jar")) {
      b.quarkusApp(spec.jar().get());
    } else if (spec.jar().isPresent()) {
      b.jar(spec.jar().get());
    } else {
      b.mainClass(spec.classpath().orElseThrow(), spec.mainClass().orElseThrow());
    }
    return b.build();
  }

  private ServiceSpec spec(String service) {
    return services.stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow();
  }

  private static Map<String, String> labels(String service) {
    return Map.of(NAME_LABEL, service, PART_OF_LABEL, "stampede");
  }

  /** Runs {@code action} on every replica at once (one thread each: they mostly wait) and rethrows the first failure. */
  private static void parallel(List<LocalReplica> replicas, java.util.function.Consumer<LocalReplica> action) {
    List<Thread> threads = new ArrayList<>();
    List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (LocalReplica r : replicas) {
      Thread t = new Thread(() -> {
        try {
          action.accept(r);
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }, "local-stack-" + r.name());
      t.start();
      threads.add(t);
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          // Whoever interrupted us (a Ctrl-C during start) wants the waits to end: pass it on.
          interrupted = true;
          threads.forEach(Thread::interrupt);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  /** Whether this JVM is shutting down (then nothing may be restarted). */
  static boolean jvmShuttingDown() {
    try {
      Thread probe = new Thread(() -> {});
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  /** Builder of {@link LocalStack}; not thread-safe. */
  public static final class Builder {
    private final List<ServiceSpec> services = new ArrayList<>();
    private final Map<String, Integer> replicas = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration restartDelay = DEFAULT_RESTART_DELAY;
    private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
    private Path logDir;
    private Journal journal = new Journal();
    private Clock clock = Clock.systemUTC();
    private RedisServer redis;

    private Builder() {}

    /**
     * Adds a service with {@code replicas} replicas.
     *
     * @throws IllegalArgumentException if the service is already added or {@code replicas < 1}
     */
    public Builder service(ServiceSpec spec, int replicas) {
      Objects.requireNonNull(spec, "spec");
      if (replicas < 1) {
        throw new IllegalArgumentException("replicas of " + spec.name() + ": " + replicas + " (expected: >= 1)");
      }
      if (this.replicas.containsKey(spec.name())) {
        throw new IllegalArgumentException("service " + spec.name() + " is already part of the stack");
      }
      services.add(spec);
      this.replicas.put(spec.name(), replicas);
      return this;
    }

    /** An environment variable for every replica (e.g. {@code STAMPEDE_ADMISSION_ENABLED}). */
    public Builder env(String key, String value) {
      env.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * The delay before a killed replica is started again; default {@link #DEFAULT_RESTART_DELAY}.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder restartDelay(Duration delay) {
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException("restartDelay: " + delay + " (expected: >= 0)");
      }
      this.restartDelay = delay;
      return this;
    }

    /**
     * How long {@link #start()} waits for readiness; default {@link #DEFAULT_READY_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder readyTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("readyTimeout: " + timeout + " (expected: > 0)");
      }
      this.readyTimeout = timeout;
      return this;
    }

    /** Where replica logs go (kept); default a temporary directory that {@link LocalStack#close()} deletes. */
    public Builder logDir(Path dir) {
      this.logDir = dir;
      return this;
    }

    /** Where replica events go; default a journal of the stack's own. */
    public Builder journal(Journal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /** The clock of journal timestamps; default UTC system time. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Use this (running) Redis instead of starting one; the stack will not stop it. */
    public Builder redis(RedisServer redis) {
      this.redis = Objects.requireNonNull(redis, "redis");
      return this;
    }

    /**
     * Starts Redis (unless given) and every replica, and returns once all are ready. On failure everything
     * started is stopped again.
     *
     * @throws IllegalStateException if something does not start or become ready, with the replica's log tail
     */
    public LocalStack start() {
      boolean ownsRedis = redis == null;
      RedisServer r = ownsRedis ? RedisServer.builder().appendOnly(true).build().start() : redis;
      LocalStack stack;
      try {
        stack = new LocalStack(this, r, ownsRedis);
      } catch (RuntimeException e) {
        if (ownsRedis) {
          r.close();
        }
        throw e;
      }
      try {
        synchronized (stack) {
          stack.launch();
        }
        return stack;
      } catch (RuntimeException e) {
        stack.close();
        throw e;
      }
    }
  }
}
