package dev.stampede.relay.ops;

import dev.stampede.relay.config.RelayConfig;
import dev.stampede.relay.store.RedisLink;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one Redis connection of the pod ({@code stampede.redis.uri}, {@code stampede.redis.command-timeout}). It
 * connects in the background: the pod starts without Redis and reports not ready until it is reachable.
 */
public class RedisProducer {
  @Produces
  @Singleton
  RedisLink redis(@ConfigProperty(name = "stampede.redis.uri") String uri,
      @ConfigProperty(name = "stampede.redis.command-timeout", defaultValue = "1s") Duration timeout,
      RelayConfig config) {
    return new RedisLink(uri, timeout, config.capacity().retryAfter()).start();
  }

  void close(@Disposes RedisLink redis) {
    redis.close();
  }
}
