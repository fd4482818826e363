package dev.stampede.directory.store;

import dev.stampede.directory.domain.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The service's connections to Redis (DESIGN §4): one shared command connection (auto-pipelined, async only,
 * commands rejected while disconnected, bounded request queue, command timeout) and, on demand, pub/sub connections.
 *
 * <p><b>Never a crash-loop without Redis.</b> Nothing connects at construction: {@link #start()} begins connecting in
 * the background and keeps retrying with capped exponential backoff until it succeeds; Lettuce re-establishes the
 * connection after that. While there is no connection, {@link #commands()} throws {@link StoreUnavailableException}
 * at once, which the gRPC edge answers with {@code UNAVAILABLE} and a retry delay.
 *
 * <p>Keys are UTF-8 strings, values raw bytes (leases are binary, see {@link DeviceLeaseCodec}).
 *
 * <p>Thread-safe.
 */
public final class RedisLink implements AutoCloseable {
  /** Keys as UTF-8 text, values as bytes. */
  public static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private static final Logger LOG = Logger.getLogger(RedisLink.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration MAX_RETRY = Duration.ofSeconds(2);

  private final RedisURI uri;
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisClient pubSubClient;
  private volatile StatefulRedisConnection<String, byte[]> connection;
  private volatile RedisAsyncCommands<String, byte[]> commands;
  private volatile boolean closed;
  private Duration nextRetry = FIRST_RETRY;
  private boolean loggedDown;

  /**
   * @param uri {@code redis://host:port} (any form {@link RedisURI#create(String)} takes)
   * @param connectTimeout TCP connect timeout
   * @param commandTimeout how long a command may take before it fails
   * @param requestQueueSize commands queued per connection at most (further ones fail at once)
   */
  public RedisLink(String uri, Duration connectTimeout, Duration commandTimeout, int requestQueueSize) {
    this.uri = RedisURI.create(Objects.requireNonNull(uri, "uri"));
    this.resources = DefaultClientResources.create();
    ClientOptions common = ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(requestQueueSize)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
        .build();
    this.client = RedisClient.create(resources, this.uri);
    client.setOptions(common.mutate().autoReconnect(true).build());
    // A subscription that drops may have missed messages: the feed ends its watches instead of reconnecting quietly.
    this.pubSubClient = RedisClient.create(resources, this.uri);
    pubSubClient.setOptions(common.mutate().autoReconnect(false).build());
  }

  /** Starts connecting in the background; returns at once. */
  public void start() {
    attempt();
  }

  private void attempt() {
    if (closed) {
      return;
    }
    client.connectAsync(CODEC, uri).whenComplete((c, error) -> {
      if (error == null) {
        if (closed) {
          c.closeAsync();
          return;
        }
        connection = c;
        commands = c.async();
        LOG.infof("Redis: connected to %s:%d", uri.getHost(), uri.getPort());
        return;
      }
      synchronized (this) {
        if (!loggedDown) {
          LOG.warnf("Redis: cannot connect to %s:%d (%s); retrying in the background, answering UNAVAILABLE meanwhile",
              uri.getHost(), uri.getPort(), error.getMessage());
          loggedDown = true;
        }
        long delay = nextRetry.toMillis();
        nextRetry = nextRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextRetry.multipliedBy(2);
        if (!closed) {
          resources.eventExecutorGroup().schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
        }
      }
    });
  }

  /**
   * The shared async commands.
   *
   * @throws StoreUnavailableException if no connection has been made yet
   */
  public RedisAsyncCommands<String, byte[]> commands() {
    RedisAsyncCommands<String, byte[]> c = commands;
    if (c == null) {
      throw new StoreUnavailableException("Redis: not connected yet", null);
    }
    return c;
  }

  /** Whether the command connection is up right now. */
  public boolean isConnected() {
    StatefulRedisConnection<String, byte[]> c = connection;
    return c != null && c.isOpen();
  }

  /** Opens a new pub/sub connection (no automatic reconnect: its owner decides what a lost subscription means). */
  public CompletionStage<StatefulRedisPubSubConnection<String, byte[]>> connectPubSub() {
    if (closed) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("Redis: closed", null));
    }
    return pubSubClient.connectPubSubAsync(CODEC, uri);
  }

  /** The pub/sub client, to listen for its connections' state. */
  RedisClient pubSubClient() {
    return pubSubClient;
  }

  /** Where to schedule small timers (Lettuce's event executors). */
  public ClientResources resources() {
    return resources;
  }

  @Override
  public void close() {
    closed = true;
    StatefulRedisConnection<String, byte[]> c = connection;
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    pubSubClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
