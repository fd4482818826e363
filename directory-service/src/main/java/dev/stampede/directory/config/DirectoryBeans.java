package dev.stampede.directory.config;

import dev.stampede.directory.domain.Inputs;
import dev.stampede.admission.Admission;
import dev.stampede.admission.quarkus.RedisSettings;
import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.directory.grpc.DirectoryMetrics;
import dev.stampede.directory.grpc.Statuses;
import dev.stampede.directory.store.PresenceFeed;
import dev.stampede.directory.store.PresenceStore;
import dev.stampede.directory.store.BinaryCommands;
import dev.stampede.directory.store.PubSubConnector;
import dev.stampede.directory.watch.PresenceHub;
import dev.stampede.tokens.Audiences;
import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionTokenVerifier;
import dev.stampede.tokens.revocation.RevocationCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires the plain classes of {@code domain}, {@code store} and {@code watch} into CDI. Nothing here touches Redis at
 * construction: admission's {@link SharedRedis} connects in the background, and pub/sub connects on the first watch.
 */
@Singleton
public class DirectoryBeans {
  /** The configuration key of this service's token key ring (DESIGN §5). */
  public static final String TOKEN_KEYS = KeyRing.CONFIG_PREFIX + Audiences.DIRECTORY;

  /**
   * Builds everything at startup, so that a bad configuration (a malformed key ring, a TTL of 0) stops the process
   * with a message naming the key — instead of a gRPC service bean failing later, which the separate gRPC server
   * would only log (DESIGN §9). Redis is connected in the background and is never a reason to stop.
   */
  void onStart(@Observes StartupEvent event, DirectoryConfig config, SharedRedis redis, PresenceStore store,
      PresenceHub hub, SessionTokenVerifier verifier, RevocationCheck revocations, DirectoryMetrics metrics) {
    check(config);
    metrics.redisConnected(redis::isConnected);
  }

  /**
   * Checks the ranges {@code @ConfigMapping} cannot express.
   *
   * @throws IllegalArgumentException naming the first key out of range
   */
  static void check(DirectoryConfig config) {
    atLeast("stampede.directory.lease.ttl", config.lease().ttl(), Duration.ofMillis(100));
    if (config.lease().maxDevicesPerUser() < 1) {
      throw new IllegalArgumentException("stampede.directory.lease.max-devices-per-user: "
          + config.lease().maxDevicesPerUser() + " (expected: >= 1)");
    }
    int maxUsers = config.watch().maxUsers();
    if (maxUsers < 1 || maxUsers > Inputs.MAX_WATCH_USERS) {
      throw new IllegalArgumentException("stampede.directory.watch.max-users: " + maxUsers + " (expected: 1.."
          + Inputs.MAX_WATCH_USERS + ", the contract's maximum)");
    }
    if (config.watch().maxStreams() < 1) {
      throw new IllegalArgumentException("stampede.directory.watch.max-streams: " + config.watch().maxStreams()
          + " (expected: >= 1)");
    }
    atLeast("stampede.directory.watch.expiry-grace", config.watch().expiryGrace(), Duration.ZERO);
    atLeast("stampede.directory.drain.timeout", config.drain().timeout(), Duration.ZERO);
    atLeast("stampede.directory.grpc-start-timeout", config.grpcStartTimeout(), Duration.ZERO);
  }

  private static void atLeast(String key, Duration value, Duration min) {
    if (value.compareTo(min) < 0) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: >= " + min + ")");
    }
  }

  @Produces
  @Singleton
  PresenceStore presenceStore(SharedRedis redis, DirectoryConfig config) {
    return new PresenceStore(new BinaryCommands(redis), config.lease().ttl(), config.lease().maxDevicesPerUser());
  }

  @Produces
  @Singleton
  PubSubConnector pubSubConnector(RedisSettings redis) {
    String uri = redis.uri().orElseThrow(() -> new IllegalStateException(
        "stampede.redis.uri is not set (env STAMPEDE_REDIS_URI, e.g. redis://127.0.0.1:6379)"));
    return new PubSubConnector(uri, redis.connectTimeout(), redis.commandTimeout());
  }

  void closePubSubConnector(@Disposes PubSubConnector connector) {
    connector.close();
  }

  @Produces
  @Singleton
  PresenceFeed presenceFeed(PubSubConnector connector) {
    return new PresenceFeed(connector);
  }

  void closePresenceFeed(@Disposes PresenceFeed feed) {
    feed.close();
  }

  @Produces
  @Singleton
  ExpiryTimer expiryTimer() {
    return new ExpiryTimer();
  }

  void closeExpiryTimer(@Disposes ExpiryTimer timer) {
    timer.executor.shutdownNow();
  }

  @Produces
  @Singleton
  PresenceHub presenceHub(PresenceStore store, PresenceFeed feed, ExpiryTimer timer, DirectoryConfig config,
      DirectoryMetrics metrics) {
    PresenceHub hub = new PresenceHub(
        userId -> store.read(userId).thenApply(s -> new PresenceHub.Snapshot(s.presence(), s.readAtMillis())),
        new PresenceHub.Feed() {
          @Override
          public java.util.concurrent.CompletionStage<Void> subscribe(java.util.Collection<String> userIds) {
            return feed.subscribe(userIds);
          }

          @Override
          public void unsubscribe(java.util.Collection<String> userIds) {
            feed.unsubscribe(userIds);
          }
        },
        timer::schedule,
        config.watch().maxStreams(),
        config.watch().expiryGrace().toMillis());
    feed.listener(new PresenceFeed.Listener() {
      @Override
      public void changed(String userId) {
        hub.changed(userId);
      }

      @Override
      public void lost(Throwable cause) {
        hub.endAll(cause);
      }
    });
    metrics.watchedUsers(hub::topicCount);
    return hub;
  }

  @Produces
  @Singleton
  SessionTokenVerifier sessionTokenVerifier(@ConfigProperty(name = TOKEN_KEYS) String keys, DirectoryConfig config) {
    return SessionTokenVerifier.builder()
        .keyRing(KeyRing.parse(Audiences.DIRECTORY, keys))
        .allowedClockSkew(config.token().allowedClockSkew())
        .build();
  }

  @Produces
  @Singleton
  RevocationCheck revocationCheck(PresenceStore store, DirectoryConfig config) {
    return RevocationCheck.builder()
        .lookup(store::hexists)
        .maxStaleness(config.token().revocationMaxStaleness())
        .maxEntries(config.token().revocationCacheSize())
        .build();
  }

  @Produces
  @Singleton
  Statuses statuses(Admission admission) {
    return new Statuses(admission);
  }

  @Produces
  @Singleton
  DirectoryMetrics directoryMetrics(MeterRegistry registry) {
    return new DirectoryMetrics(registry);
  }

  /** One daemon thread for the watch hub's expiry checks. */
  static final class ExpiryTimer {
    final ScheduledThreadPoolExecutor executor;

    ExpiryTimer() {
      executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "directory-expiry-timer");
        t.setDaemon(true);
        return t;
      });
      executor.setRemoveOnCancelPolicy(true);
    }

    Runnable schedule(Runnable task, long delayMillis) {
      ScheduledFuture<?> f = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    }
  }
}
