package dev.stampede.directory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The Redis connection, {@code stampede.redis.*} (env {@code STAMPEDE_REDIS_*}); shared convention of all services. */
@ConfigMapping(prefix = "stampede.redis")
public interface RedisConfig {
  /** {@code redis://host:port} (required; env {@code STAMPEDE_REDIS_URI}). */
  String uri();

  /** TCP connect timeout (default 1 s). */
  @WithDefault("1s")
  Duration connectTimeout();

  /** How long one command may take before the call fails with UNAVAILABLE (default 1 s). */
  @WithDefault("1s")
  Duration commandTimeout();

  /** Commands queued on the connection at most; beyond that calls fail at once with UNAVAILABLE (default 10000). */
  @WithDefault("10000")
  int requestQueueSize();
}
