package dev.stampede.directory.store;

import dev.stampede.admission.redis.LettuceJfr;
import dev.stampede.directory.domain.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Opens the pub/sub connections of the watch feed. Commands go over the process's one shared connection
 * ({@link BinaryCommands} over admission's {@code SharedRedis}); a subscribing connection cannot carry commands, so
 * pub/sub has its own client, with its own small thread pool, the same URI and timeouts, and <b>no automatic
 * reconnect</b>: a subscription that dropped may have missed messages, so its owner ({@link PresenceFeed}) ends the
 * watches and opens a new connection for the next subscription instead.
 *
 * <p>Nothing connects at construction: a pod starts and stays up without Redis. Thread-safe.
 */
public final class PubSubConnector implements AutoCloseable {
  private final RedisURI uri;
  private final ClientResources resources;
  private final RedisClient client;
  private volatile boolean closed;

  /**
   * @param uri {@code redis://host:port} ({@code stampede.redis.uri})
   * @param connectTimeout TCP connect timeout
   * @param commandTimeout how long a (un)subscribe may take
   */
  public PubSubConnector(String uri, Duration connectTimeout, Duration commandTimeout) {
    this.uri = RedisURI.create(Objects.requireNonNull(uri, "uri"));
    LettuceJfr.offUnlessAsked();
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    this.client = RedisClient.create(resources, this.uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
        .build());
  }

  /** Opens a new pub/sub connection. */
  public CompletionStage<StatefulRedisPubSubConnection<String, byte[]>> connect() {
    if (closed) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("Redis: closed", null));
    }
    return client.connectPubSubAsync(BinaryCommands.CODEC, uri);
  }

  /** The client, to listen for its connections' state. */
  RedisClient client() {
    return client;
  }

  @Override
  public void close() {
    closed = true;
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
