package dev.stampede.admission.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code stampede.redis.*}: the shared Redis connection ({@code SharedRedis}). See {@code admission/README.md}. */
@ConfigMapping(prefix = "stampede.redis")
public interface RedisSettings {

  /** {@code redis://host:port} (env {@code STAMPEDE_REDIS_URI}); required by apps that use Redis. */
  Optional<String> uri();

  @WithDefault("1s")
  Duration commandTimeout();

  @WithDefault("1s")
  Duration connectTimeout();

  @WithDefault("10000")
  int requestQueueSize();

  /** The longest pause between reconnect attempts. */
  @WithDefault("1s")
  Duration reconnectMax();

  @WithDefault("2")
  int ioThreads();
}
