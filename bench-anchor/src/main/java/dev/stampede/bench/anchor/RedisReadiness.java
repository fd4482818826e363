package dev.stampede.bench.anchor;

import dev.stampede.admission.redis.SharedRedis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while Redis is unreachable (the gRPC server's own readiness check covers serving). */
@Readiness
@ApplicationScoped
public class RedisReadiness implements HealthCheck {
  @Inject
  SharedRedis redis;

  @Override
  public HealthCheckResponse call() {
    if (!redis.isConnected()) {
      redis.connect();
    }
    return HealthCheckResponse.named("redis").status(redis.isConnected()).build();
  }
}
