package dev.stampede.relay.store;

import dev.stampede.relay.domain.RelayException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's one shared Lettuce connection (DESIGN §4: auto-pipelining, async only, commands rejected while
 * disconnected, bounded request queue, command timeout). It connects in the background and keeps trying with capped
 * backoff, so a pod starts and stays up without Redis (not ready, answering {@code UNAVAILABLE}) instead of
 * crash-looping; once connected, Lettuce reconnects by itself.
 *
 * <p>Thread-safe. {@link #async()} never blocks.
 */
public final class RedisLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /** Connecting is rare; a busy node should not turn a slow handshake into an outage. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final RedisClient client;
  private final RedisURI uri;
  private final Duration retryAfter;
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile boolean closed;

  /**
   * @param uri {@code redis://host:port}
   * @param commandTimeout how long a command may take before it fails
   * @param retryAfter the pushback given to callers while Redis is unreachable
   */
  public RedisLink(String uri, Duration commandTimeout, Duration retryAfter) {
    this.uri = RedisURI.create(uri);
    this.uri.setTimeout(commandTimeout);
    this.retryAfter = retryAfter;
    this.client = RedisClient.create();
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(65_536)
        .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .build());
  }

  /** Starts connecting in the background; returns at once. */
  public RedisLink start() {
    connect(Duration.ofMillis(100));
    return this;
  }

  private void connect(Duration backoff) {
    if (closed) {
      return;
    }
    client.connectAsync(StringCodec.UTF8, uri).whenComplete((c, e) -> {
      if (e == null) {
        if (closed) {
          c.closeAsync();
          return;
        }
        connection = c;
        LOG.info("connected to Redis at {}:{}", uri.getHost(), uri.getPort());
        return;
      }
      LOG.warn("Redis at {}:{} unreachable ({}); retrying in {} ms", uri.getHost(), uri.getPort(),
          e.getMessage(), backoff.toMillis());
      Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      CompletableFuture.delayedExecutor(backoff.toMillis(), TimeUnit.MILLISECONDS).execute(() -> connect(next));
    });
  }

  /**
   * The shared async commands.
   *
   * @throws RelayException {@code DEPENDENCY_UNAVAILABLE} while there is no open connection
   */
  public RedisAsyncCommands<String, String> async() {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null || !c.isOpen()) {
      throw RelayException.dependencyUnavailable(retryAfter, null);
    }
    return c.async();
  }

  /** Whether a connection is open right now. */
  public boolean isConnected() {
    StatefulRedisConnection<String, String> c = connection;
    return c != null && c.isOpen();
  }

  @Override
  public void close() {
    closed = true;
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
