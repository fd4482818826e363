package dev.stampede.directory.store;

import dev.stampede.directory.domain.StoreUnavailableException;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * This pod's subscription to the change channels of the users its watchers watch ({@link PresenceKeys#channel}).
 * Every write of a user's presence publishes on that user's channel from inside its script, so a change made through
 * any pod reaches every pod that subscribed; Redis filters, so a pod hears only about users it watches.
 *
 * <p>Pub/sub is at-most-once: messages published while the subscription is down are lost. So a lost connection is
 * not repaired quietly: the {@link Listener} is told ({@link Listener#lost}), the watches end with
 * {@code UNAVAILABLE}, clients re-subscribe and start from a fresh snapshot (the contract of Watch). The next
 * subscription opens a new connection.
 *
 * <p>Subscribe and unsubscribe commands are sent one after another in call order, so an unsubscribe followed by a
 * subscribe of the same channel leaves it subscribed. Thread-safe; callbacks run on a Lettuce thread and must not
 * block.
 */
public final class PresenceFeed implements AutoCloseable {
  /** Receives changes and the loss of the subscription. */
  public interface Listener {
    /** The presence of {@code userId} changed (through some pod). */
    void changed(String userId);

    /** The subscription is gone; changes may have been missed. */
    void lost(Throwable cause);
  }

  private static final Logger LOG = Logger.getLogger(PresenceFeed.class);

  private final PubSubConnector link;
  private volatile Listener listener = new Listener() {
    @Override
    public void changed(String userId) {
    }

    @Override
    public void lost(Throwable cause) {
    }
  };
  private CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> connection;
  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
  private boolean closed;

  public PresenceFeed(PubSubConnector link) {
    this.link = Objects.requireNonNull(link, "link");
    link.client().addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
        connectionLost(disconnected);
      }
    });
  }

  /** Sets who hears about changes (one listener: the pod's hub). */
  public void listener(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Subscribes to the change channels of {@code userIds}; completes once Redis confirmed. */
  public synchronized CompletionStage<Void> subscribe(Collection<String> userIds) {
    String[] channels = userIds.stream().map(PresenceKeys::channel).toArray(String[]::new);
    return enqueue(c -> c.async().subscribe(channels));
  }

  /** Unsubscribes from the change channels of {@code userIds}; best effort. */
  public synchronized void unsubscribe(Collection<String> userIds) {
    if (connection == null || connection.isCompletedExceptionally()) {
      return; // nothing is subscribed on a connection that does not exist
    }
    String[] channels = userIds.stream().map(PresenceKeys::channel).toArray(String[]::new);
    enqueue(c -> c.async().unsubscribe(channels));
  }

  /** Whether a subscription connection is open now. */
  public synchronized boolean isConnected() {
    return connection != null && connection.isDone() && !connection.isCompletedExceptionally()
        && connection.join().isOpen();
  }

  private <T> CompletableFuture<Void> enqueue(Function<StatefulRedisPubSubConnection<String, byte[]>,
      CompletionStage<T>> command) {
    if (closed) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("Redis: pub/sub closed", null));
    }
    CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> conn = ensureConnection();
    CompletableFuture<Void> result = tail.handle((ignored, error) -> null)
        .thenCompose(ignored -> conn)
        .thenCompose(command)
        .handle((ignored, error) -> {
          if (error != null) {
            throw new java.util.concurrent.CompletionException(RedisFailures.translate(error));
          }
          return null;
        });
    tail = result;
    return result;
  }

  private CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> ensureConnection() {
    if (connection == null || connection.isCompletedExceptionally()) {
      CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> opening = new CompletableFuture<>();
      connection = opening;
      link.connect().whenComplete((c, error) -> {
        if (error != null) {
          opening.completeExceptionally(RedisFailures.translate(error));
          return;
        }
        c.addListener(new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, byte[] message) {
            String user = PresenceKeys.userOfChannel(channel);
            if (user != null) {
              listener.changed(user);
            }
          }
        });
        opening.complete(c);
      });
    }
    return connection;
  }

  private void connectionLost(RedisChannelHandler<?, ?> disconnected) {
    synchronized (this) {
      if (connection == null || !connection.isDone() || connection.isCompletedExceptionally()
          || connection.join() != disconnected) {
        return;
      }
      connection = null;
      tail = CompletableFuture.completedFuture(null);
    }
    disconnected.closeAsync();
    if (!closed) {
      LOG.warn("Redis: the presence subscription dropped; ending watches so that clients re-subscribe");
      listener.lost(new StoreUnavailableException("Redis: presence subscription lost", null));
    }
  }

  @Override
  public void close() {
    CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> c;
    synchronized (this) {
      closed = true;
      c = connection;
      connection = null;
    }
    if (c != null && c.isDone() && !c.isCompletedExceptionally()) {
      c.join().closeAsync();
    }
  }
}
