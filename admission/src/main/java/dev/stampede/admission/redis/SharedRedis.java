package dev.stampede.admission.redis;

import dev.stampede.admission.OverloadException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Redis connection of a process (DESIGN §4): a single shared Lettuce {@link StatefulRedisConnection}
 * (commands from all threads are pipelined on it), used only through the async API on request paths.
 *
 * <ul>
 *   <li><b>Lazy, never fatal</b>: construction does not connect; the first use (or {@link #connect()}) starts an
 *       asynchronous connect, and a failed connect is retried on demand after a back-off. A service therefore starts
 *       and stays up while Redis is down — it answers {@code UNAVAILABLE} with pushback and reports not-ready —
 *       instead of crash-looping.</li>
 *   <li><b>Fail fast</b>: while not connected, {@link #async()} throws an {@link OverloadException}
 *       ({@code DEPENDENCY_UNAVAILABLE}) at once; once connected, Lettuce reconnects by itself (back-off capped at
 *       {@code reconnectMax}) and {@code DisconnectedBehavior.REJECT_COMMANDS} fails commands at once instead of
 *       buffering them; the request queue is bounded and every command has a timeout.</li>
 * </ul>
 *
 * <p>Failures of commands ({@code RedisException}s, timeouts) are mapped to {@code UNAVAILABLE} with pushback by
 * {@code ErrorMapper}. Thread-safe.
 */
public final class SharedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedRedis.class);

  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
  public static final int DEFAULT_REQUEST_QUEUE_SIZE = 10_000;
  public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(1);
  public static final int DEFAULT_IO_THREADS = 2;

  private final RedisURI uri;
  private final String redacted;
  private final ClientResources resources;
  private final RedisClient client;
  private final long retryNanos;

  private volatile StatefulRedisConnection<String, String> connection;
  private volatile RedisAsyncCommands<String, String> commands;
  private CompletableFuture<Void> connecting;
  private long nextAttemptNanos;
  private boolean closed;

  private SharedRedis(Builder b) {
    this.uri = RedisURI.create(b.uri);
    this.redacted = redact(b.uri);
    LettuceJfr.offUnlessAsked();
    this.resources = DefaultClientResources.builder()
        .ioThreadPoolSize(b.ioThreads)
        .computationThreadPoolSize(b.ioThreads)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), b.reconnectMax, 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(b.requestQueueSize)
        .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(b.connectTimeout).keepAlive(true).build())
        .build());
    this.retryNanos = b.reconnectMax.toNanos();
  }

  /**
   * A builder for {@code uri} ({@code redis://host:port[/db]}, the value of {@code stampede.redis.uri}).
   *
   * @throws IllegalArgumentException if the URI is empty
   */
  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  /**
   * The async commands of the shared connection.
   *
   * @throws OverloadException with {@code DEPENDENCY_UNAVAILABLE} if there is no connection yet (a connect attempt
   *     is started, at most once per back-off period)
   */
  public RedisAsyncCommands<String, String> async() {
    RedisAsyncCommands<String, String> c = commands;
    if (c != null) {
      return c;
    }
    connect();
    throw OverloadException.dependencyUnavailable("redis");
  }

  /** Whether the connection is up right now (for readiness checks). */
  public boolean isConnected() {
    StatefulRedisConnection<String, String> c = connection;
    return c != null && c.isOpen();
  }

  /**
   * Starts connecting if not connected and no attempt is running or due later; never blocks.
   *
   * @return a stage completing when this attempt (or the running one) ends; it completes exceptionally if the
   *     connection cannot be made
   */
  public synchronized CompletionStage<Void> connect() {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("closed"));
    }
    if (connection != null) {
      return CompletableFuture.completedFuture(null);
    }
    if (connecting != null) {
      return connecting;
    }
    long now = System.nanoTime();
    if (now - nextAttemptNanos < 0) {
      return CompletableFuture.failedFuture(OverloadException.dependencyUnavailable("redis"));
    }
    CompletableFuture<Void> attempt = new CompletableFuture<>();
    connecting = attempt;
    client.connectAsync(StringCodec.UTF8, uri).whenComplete((c, e) -> {
      // The connection is published before anyone waiting on connect() resumes.
      connected(attempt, c, e);
      if (e != null) {
        attempt.completeExceptionally(e);
      } else {
        attempt.complete(null);
      }
    });
    return attempt;
  }

  private synchronized void connected(CompletableFuture<Void> attempt, StatefulRedisConnection<String, String> c,
      Throwable e) {
    if (connecting == attempt) {
      connecting = null;
    }
    if (e != null) {
      nextAttemptNanos = System.nanoTime() + retryNanos;
      LOG.warn("Redis at {} unreachable ({}); retrying on demand", redacted, e.toString());
      return;
    }
    if (closed) {
      c.closeAsync();
      return;
    }
    connection = c;
    commands = c.async();
    LOG.info("Redis connected at {}", redacted);
  }

  /** Closes the connection and the client's threads. */
  @Override
  public void close() {
    StatefulRedisConnection<String, String> c;
    synchronized (this) {
      closed = true;
      c = connection;
      connection = null;
      commands = null;
    }
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "SharedRedis[" + redacted + (isConnected() ? " connected" : " not connected") + "]";
  }

  /** The URI without a password, for logs. */
  static String redact(String uri) {
    return uri.replaceAll("//[^@/]*@", "//***@");
  }

  /** Builds a {@link SharedRedis}; setters validate. Not thread-safe. */
  public static final class Builder {
    private final String uri;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
    private Duration reconnectMax = DEFAULT_RECONNECT_MAX;
    private int ioThreads = DEFAULT_IO_THREADS;

    private Builder(String uri) {
      if (uri == null || uri.isBlank()) {
        throw new IllegalArgumentException("stampede.redis.uri: empty (expected: redis://host:port)");
      }
      this.uri = uri.trim();
    }

    /** Timeout of every command; default 1 s. */
    public Builder commandTimeout(Duration d) {
      this.commandTimeout = positive("stampede.redis.command-timeout", d);
      return this;
    }

    /** TCP connect timeout; default 1 s. */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive("stampede.redis.connect-timeout", d);
      return this;
    }

    /** Commands that may be queued on the connection; default 10 000. */
    public Builder requestQueueSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("stampede.redis.request-queue-size: " + n + " (expected: >= 1)");
      }
      this.requestQueueSize = n;
      return this;
    }

    /** The longest wait between reconnect attempts; default 1 s. */
    public Builder reconnectMax(Duration d) {
      this.reconnectMax = positive("stampede.redis.reconnect-max", d);
      return this;
    }

    /** Lettuce I/O threads; default 2. */
    public Builder ioThreads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("stampede.redis.io-threads: " + n + " (expected: >= 1)");
      }
      this.ioThreads = n;
      return this;
    }

    /**
     * Builds the (not yet connected) client.
     *
     * @throws IllegalArgumentException if the URI cannot be parsed
     */
    public SharedRedis build() {
      try {
        RedisURI.create(uri);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("stampede.redis.uri: '" + redact(uri) + "' (expected: redis://host:port)");
      }
      return new SharedRedis(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}
