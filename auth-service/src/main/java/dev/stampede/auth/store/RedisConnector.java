package dev.stampede.auth.store;

import dev.stampede.auth.domain.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The service's one Redis connection (DESIGN §4): one shared {@link StatefulRedisConnection} with auto-pipelining,
 * async API only, commands rejected at once while disconnected, a bounded request queue and a command timeout.
 *
 * <p>It connects lazily and in the background: {@link #start()} never blocks and never fails, so the service
 * starts, answers {@code UNAVAILABLE} and reports not-ready while Redis is down instead of crash-looping. The first
 * connection is retried with capped, fully jittered backoff; after that Lettuce reconnects on its own, with the
 * same kind of delay so that many pods do not reconnect in lock-step.
 *
 * <p>Thread-safe.
 */
public final class RedisConnector implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RedisConnector.class);

  /** Connection settings. */
  public record Settings(Duration connectTimeout, Duration commandTimeout, int requestQueueSize,
      Duration reconnectMin, Duration reconnectMax) {
    /** @throws IllegalArgumentException naming the setting out of range */
    public Settings {
      positive("connectTimeout", connectTimeout);
      positive("commandTimeout", commandTimeout);
      positive("reconnectMin", reconnectMin);
      if (reconnectMax.compareTo(reconnectMin) < 0) {
        throw new IllegalArgumentException("reconnectMax: " + reconnectMax + " (expected: ≥ reconnectMin)");
      }
      if (requestQueueSize < 1) {
        throw new IllegalArgumentException("requestQueueSize: " + requestQueueSize + " (expected: > 0)");
      }
    }

    private static void positive(String name, Duration d) {
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
    }
  }

  private final RedisURI uri;
  private final Settings settings;
  private final ClientResources resources;
  private final RedisClient client;
  private final ScheduledExecutorService retries;
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile boolean closed;
  private int failedAttempts;

  /**
   * @param uri e.g. {@code redis://127.0.0.1:6379}
   * @throws IllegalArgumentException if the URI does not parse
   */
  public RedisConnector(String uri, Settings settings) {
    this.uri = RedisURI.create(uri);
    this.uri.setTimeout(settings.commandTimeout());
    this.settings = settings;
    this.resources = ClientResources.builder()
        .reconnectDelay(Delay.fullJitter(settings.reconnectMin(), settings.reconnectMax(), 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources);
    this.client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(settings.requestQueueSize())
        .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).keepAlive(true).build())
        .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
        .build());
    this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "redis-connect");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts connecting in the background; returns at once. */
  public void start() {
    retries.execute(this::attempt);
  }

  private void attempt() {
    if (closed || connection != null) {
      return;
    }
    client.connectAsync(StringCodec.UTF8, uri).whenComplete((conn, error) -> {
      if (error == null) {
        if (closed) {
          conn.closeAsync();
          return;
        }
        connection = conn;
        LOG.infof("connected to Redis at %s:%d", uri.getHost(), uri.getPort());
        return;
      }
      int n;
      synchronized (this) {
        n = ++failedAttempts;
      }
      long min = settings.reconnectMin().toMillis();
      long cap = Math.min(settings.reconnectMax().toMillis(), min << Math.min(n, 16));
      long delay = ThreadLocalRandom.current().nextLong(min, Math.max(cap, min) + 1);
      if (n == 1 || n % 50 == 0) {
        LOG.warnf("Redis at %s:%d unreachable (%s); retrying in the background", uri.getHost(), uri.getPort(),
            error.getMessage());
      }
      if (!closed) {
        retries.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
      }
    });
  }

  /**
   * The async commands of the shared connection.
   *
   * @throws StoreUnavailableException when no connection was established yet
   */
  public RedisAsyncCommands<String, String> commands() {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null) {
      throw new StoreUnavailableException("redis: not connected yet", null);
    }
    return c.async();
  }

  /** True when the connection is established and its channel is open now. */
  public boolean isConnected() {
    StatefulRedisConnection<String, String> c = connection;
    return c != null && c.isOpen();
  }

  @Override
  public void close() {
    closed = true;
    retries.shutdownNow();
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
