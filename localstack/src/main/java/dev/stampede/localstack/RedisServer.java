package dev.stampede.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A private {@code redis-server} child process on a loopback port, for tests, benchmarks, chaos runs and
 * {@code stampede up}.
 *
 * <p>Persistence is off by default (no RDB snapshots, no AOF). With {@link Builder#appendOnly(boolean)} the server
 * writes an append-only file with {@code appendfsync everysec} (DESIGN §4), so acknowledged writes survive
 * {@link #kill()} (SIGKILL: the kernel still holds what Redis wrote) and {@link #restart()} on the same port and
 * data directory. The process is registered so it never outlives this JVM. Methods are synchronized; one instance
 * may be shared by threads.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.builder().appendOnly(true).build().start()) {
 *   String uri = redis.uri(); // redis://127.0.0.1:41234
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
  /** How long {@link #start()} waits for the server to answer PING. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final RedisBinary binary;
  private final boolean appendOnly;
  private final String appendFsync;
  private final boolean ownsDataDir;
  private final Path dataDir;
  private final boolean portChosenByUs;
  private final List<String> extraArgs;
  private final Duration startTimeout;
  private int port;
  private ManagedProcess process;

  private RedisServer(Builder b) {
    this.binary = b.binary != null ? b.binary : RedisBinary.resolve();
    this.appendOnly = b.appendOnly;
    this.appendFsync = b.appendFsync;
    this.extraArgs = List.copyOf(b.extraArgs);
    this.startTimeout = b.startTimeout;
    this.portChosenByUs = b.port == 0;
    this.port = portChosenByUs ? FreePorts.find() : b.port;
    try {
      this.ownsDataDir = b.dataDir == null;
      this.dataDir = ownsDataDir ? Files.createTempDirectory("stampede-redis-") : Files.createDirectories(b.dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Redis data directory", e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the server and waits until it answers (after loading its AOF, if any). When the port was chosen
   * automatically and another process took it meanwhile, retries on a new port.
   *
   * @return this
   * @throws IllegalStateException when the server does not come up, with the tail of its log
   */
  public synchronized RedisServer start() {
    for (int attempt = 1; ; attempt++) {
      try {
        launch();
        return this;
      } catch (IllegalStateException e) {
        boolean portTaken = process != null && !process.isRunning() && process.logTail(20).contains("Address already in use");
        if (!portTaken || !portChosenByUs || attempt >= 3) {
          throw e;
        }
        port = FreePorts.find();
      }
    }
  }

  private void launch() {
    List<String> command = new ArrayList<>(List.of(
        binary.path().toString(),
        "--port", Integer.toString(port),
        "--bind", "127.0.0.1",
        "--dir", dataDir.toString(),
        "--save", "",
        "--appendonly", appendOnly ? "yes" : "no",
        "--appendfsync", appendFsync,
        "--daemonize", "no",
        "--protected-mode", "yes",
        "--logfile", ""));
    command.addAll(extraArgs);
    process = new ManagedProcess("redis-server :" + port, command, Map.of(), dataDir.resolve("redis.log"), null);
    process.start();
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isRunning()) {
        throw new IllegalStateException("redis-server on port " + port + " exited at start ("
            + binary + "):\n" + process.logTail(20));
      }
      try {
        // INFO, not PING: another server on the same port would answer PING too.
        String info = Resp.command(port, Duration.ofMillis(500), "INFO", "server");
        if (info.contains("process_id:" + process.pid() + "\r\n")
            && "PONG".equals(Resp.command(port, Duration.ofMillis(500), "PING"))) {
          return;
        }
      } catch (IOException e) {
        // not listening yet, or LOADING the AOF
      }
      sleep(Duration.ofMillis(20));
    }
    process.kill();
    throw new IllegalStateException("redis-server on port " + port + " did not answer PING within " + startTimeout
        + ":\n" + process.logTail(20));
  }

  /** Kills the server with SIGKILL, like a crashed node. Data written with AOF on survives a {@link #restart()}. */
  public synchronized void kill() {
    if (process != null) {
      process.kill();
    }
  }

  /** Stops the server with SIGTERM (Redis flushes its AOF), then SIGKILL after a grace period. */
  public synchronized void stop() {
    if (process != null) {
      process.stop(STOP_GRACE);
    }
  }

  /** Starts the server again on the same port and data directory; stops it first if it runs. */
  public synchronized RedisServer restart() {
    stop();
    launch();
    return this;
  }

  /** Sends one command and returns its reply as text (see the integration tests for the format). */
  public synchronized String command(String... args) {
    try {
      return Resp.command(port, Duration.ofSeconds(5), args);
    } catch (IOException e) {
      throw new UncheckedIOException("redis " + args[0] + " on port " + port + " failed: " + e.getMessage(), e);
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isRunning();
  }

  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("not started");
    }
    return process.pid();
  }

  public synchronized int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  /** {@code redis://127.0.0.1:<port>}, the form {@code stampede.redis.uri} takes. */
  public synchronized String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public RedisBinary binary() {
    return binary;
  }

  public boolean appendOnly() {
    return appendOnly;
  }

  /** Stops the server and deletes the data directory if this object created it. */
  @Override
  public synchronized void close() {
    stop();
    if (ownsDataDir) {
      deleteRecursively(dataDir);
    }
  }

  @Override
  public String toString() {
    return "RedisServer[" + uri() + ", " + binary + (appendOnly ? ", aof" : "") + "]";
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }

  /** Builds a {@link RedisServer}; nothing starts until {@link RedisServer#start()}. */
  public static final class Builder {
    private RedisBinary binary;
    private int port;
    private Path dataDir;
    private boolean appendOnly;
    private String appendFsync = "everysec";
    private final List<String> extraArgs = new ArrayList<>();
    private Duration startTimeout = DEFAULT_START_TIMEOUT;

    private Builder() {
    }

    /** The executable; default {@link RedisBinary#resolve()}. */
    public Builder binary(RedisBinary binary) {
      this.binary = binary;
      return this;
    }

    /** A fixed port; default 0 = a free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 = any free port)");
      }
      this.port = port;
      return this;
    }

    /** Where AOF files and the log go; default a fresh temporary directory deleted by {@link #close()}. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** Turns the append-only file on (default off). */
    public Builder appendOnly(boolean appendOnly) {
      this.appendOnly = appendOnly;
      return this;
    }

    /** {@code always}, {@code everysec} (default) or {@code no}. */
    public Builder appendFsync(String policy) {
      if (!List.of("always", "everysec", "no").contains(policy)) {
        throw new IllegalArgumentException("appendFsync: " + policy + " (expected: always, everysec or no)");
      }
      this.appendFsync = policy;
      return this;
    }

    /** Extra {@code redis-server} arguments, e.g. {@code "--maxmemory", "64mb"}. */
    public Builder extraArgs(String... args) {
      this.extraArgs.addAll(List.of(args));
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startTimeout: " + timeout + " (expected: > 0)");
      }
      this.startTimeout = timeout;
      return this;
    }

    /** Resolves the binary and reserves the port and data directory. */
    public RedisServer build() {
      return new RedisServer(this);
    }
  }
}
